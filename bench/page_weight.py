"""Page weight: the compressed size of each public page and of everything it loads.

    .venv/bin/python bench/page_weight.py

Budgets (docs/deploy.md, "Budgets"): a checklist page's HTML <= 14 KB compressed (one round
trip), everything it loads <= 50 KB. Prints brotli and gzip figures for every
public GET page in every language; exits 1 if a page is over budget.
"""

import itertools
import os
import re
import sys
import tempfile
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

os.environ.setdefault("SPOTCHECK_INSTANCE_PATH", tempfile.mkdtemp(prefix="spotcheck-bench-"))

from flask import url_for

from app import create_app
from app.content.checklists import CHECKLISTS
from app.web.i18n import LANGUAGES

HTML_BUDGET = 14 * 1024
TOTAL_BUDGET = 50 * 1024
# The map page carries Leaflet (about 40 KB of it). It is not on the way of a
# woman checking a room, and its list view (?view=list) loads none of it.
MAP_TOTAL_BUDGET = 100 * 1024


def total_budget(url: str) -> int:
    return MAP_TOTAL_BUDGET if urlsplit(url).path.endswith("/map") else TOTAL_BUDGET


class Subresources(HTMLParser):
    """What a browser fetches for a page: stylesheets, scripts, images, icons, sprites."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img") and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "use" and a.get("href"):
            self.urls.append(a["href"].split("#")[0])  # an SVG sprite
        elif (
            tag == "link"
            and a.get("href")
            and set((a.get("rel") or "").split())
            & {"stylesheet", "icon", "manifest", "preload", "modulepreload"}
        ):
            self.urls.append(a["href"])


def compressed_size(client, url: str, encoding: str) -> int:
    with client.get(url, headers={"Accept-Encoding": encoding}) as response:
        return len(response.get_data())


def decoded(client, url: str) -> str:
    with client.get(url) as response:
        return response.get_data(as_text=True)


def page_urls(app) -> list[str]:
    """Every public HTML page: each rule with each value of its arguments."""
    values = {"lang": list(LANGUAGES), "space": list(CHECKLISTS)}
    urls = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint in ("static", "favicon", "health.healthz"):
            continue
        if rule.rule == "/" or rule.arguments - values.keys() or "/organizers" in rule.rule:
            continue  # the organizers' pages are not public
        names = sorted(rule.arguments)
        with app.test_request_context():
            for combo in itertools.product(*(values[n] for n in names)):
                urls.append(url_for(rule.endpoint, **dict(zip(names, combo, strict=True))))
    return urls


def weigh(client, url: str) -> dict:
    html = decoded(client, url)
    parser = Subresources()
    parser.feed(html)
    assets = list(dict.fromkeys(urljoin(url, u) for u in parser.urls))
    for asset in list(assets):
        if urlsplit(asset).path.endswith(".css"):
            css = decoded(client, asset)
            for ref in re.findall(r"url\(['\"]?([^'\")]+)", css):
                if not ref.startswith("data:"):
                    assets.append(urljoin(asset, ref))
    result = {"url": url, "assets": len(assets)}
    for encoding in ("br", "gzip"):
        html_size = compressed_size(client, url, encoding)
        total = html_size + sum(compressed_size(client, a, encoding) for a in assets)
        result[encoding] = (html_size, total)
    return result


def main() -> int:
    app = create_app({"SETUP_LINK_ON_START": False})
    client = app.test_client()
    rows = [weigh(client, url) for url in page_urls(app)]
    print(f"{'page':<28} {'files':>5} {'html br':>9} {'all br':>9} {'html gz':>9} {'all gz':>9}")
    over = []
    for row in rows:
        (html_br, all_br), (html_gz, all_gz) = row["br"], row["gzip"]
        flag = ""
        if html_gz > HTML_BUDGET or all_gz > total_budget(row["url"]):
            flag = "  OVER BUDGET"
            over.append(row["url"])
        print(
            f"{row['url']:<28} {row['assets'] + 1:>5} {html_br:>9,} {all_br:>9,} "
            f"{html_gz:>9,} {all_gz:>9,}{flag}"
        )
    print(
        f"budgets (gzip, the larger): html <= {HTML_BUDGET:,} B, all <= {TOTAL_BUDGET:,} B "
        f"(the map page {MAP_TOTAL_BUDGET:,} B); "
        f"{len(rows) - len(over)}/{len(rows)} pages within"
    )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
