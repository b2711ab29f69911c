"""JavaScript each page loads: the scripts it names and every module they import.

    .venv/bin/python bench/js_weight.py

For each public page (English; the other languages load the same files) it
lists the scripts in the HTML (<script src>, <link rel=modulepreload>), then
follows each module's static `import` statements, and adds up the bytes as
sent: identity, gzip and brotli. What a page may load later with `import()`
(common.js loads outbox.js only when reports wait on the phone) is listed
apart, in brackets. Workers are not counted.
"""

import os
import re
import sys
import tempfile
from urllib.parse import urljoin, urlsplit

from app import create_app
from tests.support.pages import script_urls

PAGES = ["/en/", "/en/check/", "/en/check/hotel-room", "/en/found", "/en/lens", "/en/notebook",
         "/en/takedown",
         "/en/report", "/en/offline/report", "/en/report/status", "/en/offline",
         "/en/map", "/en/map?view=list", "/en/map?view=pick", "/en/posters/",
         "/en/organizers/login"]
IMPORT = re.compile(r"""(?:\bfrom\s*|\bimport\s*)["'](\./[\w.-]+\.js[^"']*)["']""")
DYNAMIC = re.compile(r"""\bimport\s*\(\s*["'](\./[\w.-]+\.js[^"']*)["']""")


def body(client, url, encoding="identity"):
    with client.get(url, headers={"Accept-Encoding": encoding}) as response:
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return response.get_data()


def closure(client, urls, pattern=IMPORT):
    todo, seen, later = list(urls), [], []
    while todo:
        url = todo.pop(0)
        if url in seen:
            continue
        seen.append(url)
        text = body(client, url).decode()
        todo += [urljoin(url, spec) for spec in pattern.findall(text)]
        later += [urljoin(url, spec) for spec in DYNAMIC.findall(text)]
    return seen, later


def scripts_of(client, page):
    """(what the page loads, what it may import later)."""
    urls = script_urls(body(client, page).decode())
    loaded, later = closure(client, [urljoin(page, u) for u in urls])
    lazy, _ = closure(client, [u for u in later if u not in loaded])
    return loaded, [u for u in lazy if u not in loaded]


def main() -> int:
    os.environ.setdefault("SPOTCHECK_INSTANCE_PATH", tempfile.mkdtemp(prefix="spotcheck-bench-"))
    app = create_app({"SETUP_LINK_ON_START": False})
    client = app.test_client()
    print(f"{'page':<22} {'files':>5} {'bytes':>8} {'gzip':>7} {'brotli':>7}  scripts")
    name = lambda url: urlsplit(url).path.rsplit("/", 1)[1]  # noqa: E731
    for page in PAGES:
        urls, lazy = scripts_of(client, page)
        sizes = [sum(len(body(client, u, e)) for u in urls) for e in ("identity", "gzip", "br")]
        names = " ".join(map(name, urls))
        if lazy:
            later = sum(len(body(client, u, "gzip")) for u in lazy)
            names += f"  [later: {' '.join(map(name, lazy))}, {later:,} B gzip]"
        print(f"{page:<22} {len(urls):>5} {sizes[0]:>8,} {sizes[1]:>7,} {sizes[2]:>7,}  {names}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
