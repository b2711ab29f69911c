"""JavaScript each page loads: the scripts it names and every module they import.

    .venv/bin/python bench/js_weight.py

For each public page (English; the other languages load the same files) it
lists the scripts in the HTML (<script src>, <link rel=modulepreload>), then
follows each module's `import` statements, static and dynamic (a dynamic
import is counted: it may be loaded on that page), and adds up the bytes as
sent: identity, gzip and brotli. Workers are not counted (the lens page
starts its worker at once; it is listed apart).
"""

import os
import re
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SPOTCHECK_INSTANCE_PATH", tempfile.mkdtemp(prefix="spotcheck-bench-"))

from app import create_app  # noqa: E402

PAGES = ["/en/", "/en/check/", "/en/check/hotel-room", "/en/found", "/en/lens",
         "/en/report", "/en/offline/report", "/en/report/status", "/en/offline",
         "/en/map", "/en/map?view=list", "/en/map?view=pick", "/en/posters/",
         "/en/organizers/login"]
IMPORT = re.compile(r"""(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\./[\w.-]+\.js[^"']*)["']""")


class Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "link" and a.get("rel") == "modulepreload" and a.get("href"):
            self.urls.append(a["href"])


def body(client, url, encoding="identity"):
    with client.get(url, headers={"Accept-Encoding": encoding}) as response:
        assert response.status_code == 200, (url, response.status_code)
        return response.get_data()


def scripts_of(client, page):
    parser = Scripts()
    parser.feed(body(client, page).decode())
    todo = [urljoin(page, u) for u in parser.urls]
    seen = []
    while todo:
        url = todo.pop(0)
        if url in seen:
            continue
        seen.append(url)
        text = body(client, url).decode()
        todo += [urljoin(url, spec) for spec in IMPORT.findall(text)]
    return seen


def main() -> int:
    app = create_app({"SETUP_LINK_ON_START": False})
    client = app.test_client()
    print(f"{'page':<22} {'files':>5} {'bytes':>8} {'gzip':>7} {'brotli':>7}  scripts")
    for page in PAGES:
        urls = scripts_of(client, page)
        sizes = [sum(len(body(client, u, e)) for u in urls) for e in ("identity", "gzip", "br")]
        names = " ".join(urlsplit(u).path.rsplit("/", 1)[1] for u in urls)
        print(f"{page:<22} {len(urls):>5} {sizes[0]:>8,} {sizes[1]:>7,} {sizes[2]:>7,}  {names}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
