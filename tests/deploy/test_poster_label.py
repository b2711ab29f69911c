"""The poster builder's private label behind nginx as shipped (issue 28, item 9): the
review asked `/en/posters/?label=RTLABEL...` and found the label in nginx's micro-cache,
served again to anyone asking that URL. Now no page of ours sends it in a URL, and an
answer that carries it is no-store, so nginx keeps it nowhere."""

import time
from urllib.parse import quote, urlencode

import pytest

from support.stack import files_containing, request, same_site

pytestmark = pytest.mark.slow

LABEL = "RTLABEL Room 412"


def test_a_label_in_the_url_is_never_cached_nor_served_to_someone_else(nginx):
    path = f"/en/posters/?label={quote(LABEL)}"
    for source in ("127.0.0.6", "127.0.0.7"):
        answer = request(nginx.port, "GET", path, source=source)
        assert answer.status == 200
        assert answer.headers["Cache-Control"] == "no-store"
        assert answer.headers["X-Cache-Status"] == "MISS"  # asked of the app, every time
    # Without a label the builder is cached as before.
    plain = [request(nginx.port, "GET", "/en/posters/?format=a5").headers["X-Cache-Status"]
             for _ in range(2)]
    assert plain[-1] == "HIT"
    time.sleep(0.2)
    assert files_containing([nginx.folder], [b"RTLABEL"]) == []


def test_the_posted_preview_and_the_poster_keep_the_label_out_of_nginx(gunicorn, nginx):
    form = urlencode({"format": "stickers-8", "label": LABEL})
    preview = request(nginx.port, "POST", "/en/posters/preview", form, same_site(nginx.port),
                      source="127.0.0.6")
    assert preview.status == 200 and LABEL in preview.text
    assert preview.headers["Cache-Control"] == "no-store"
    assert "HIT" not in preview.headers.get("X-Cache-Status", "")
    made = request(nginx.port, "POST", "/en/posters/", form, same_site(nginx.port),
                   source="127.0.0.6")
    assert made.status == 200 and f"Your note: {LABEL}" in made.text
    assert made.headers["Cache-Control"] == "no-store"
    time.sleep(0.2)  # gunicorn writes its line after the answer
    assert files_containing([nginx.folder, gunicorn.logs], [b"RTLABEL"]) == []
