"""The page tells shrink.js the server's own size cap, so the two never disagree."""

import re

from app.reports.photos import MAX_SIDE
from helpers import ROOT

JS = ROOT / "static" / "js"


def test_the_photo_field_carries_the_servers_cap_and_the_workers_versioned_url(client):
    for url in ("/en/report", "/zh-hant/offline/report"):
        html = client.get(url).get_data(as_text=True)
        field = re.search(r'<input id="photo"[^>]*>', html, re.S).group(0)
        assert f'data-photo-max-side="{MAX_SIDE}"' in field
        assert re.search(r'data-shrink-worker="/static/js/shrink-worker\.js\?v=\w+"', field)


def test_the_cap_is_not_written_twice():
    # shrink.js reads it from the page; a number of its own would drift from photos.py.
    for name in ("shrink.js", "shrink-worker.js"):
        assert str(MAX_SIDE) not in (JS / name).read_text()
