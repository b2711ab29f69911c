"""Precache size: what the service worker stores for one language.

    .venv/bin/python bench/precache_size.py

Budget (docs/deploy.md, "Budgets"): <= 300 KB per language. Cache Storage keeps response
bodies as the browser decoded them, so the budget is checked against the
decoded size; the brotli column is what the first visit downloads for it.
The headroom column is what is left under the budget (the evidence notebook,
issue 29, needs 35-45 KB of it). Exits 1 if a language is over budget.

The takedown kit (issue 30) is not precached for everyone: the worker keeps it
only on a phone whose tracker holds a link. Its lines ("+ kit") give what it adds
to that phone's cache (files not precached already), outside the budget.
"""

import os
import sys
import tempfile

os.environ.setdefault("SPOTCHECK_INSTANCE_PATH", tempfile.mkdtemp(prefix="spotcheck-bench-"))

from app import create_app
from app.offline.views import kit_urls, precache_urls
from app.web.i18n import LANGUAGES

BUDGET = 300 * 1024


def size(client, url: str, encoding: str) -> int:
    with client.get(url, headers={"Accept-Encoding": encoding}) as response:
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return len(response.get_data())


def main() -> int:
    app = create_app({"SETUP_LINK_ON_START": False})
    client = app.test_client()
    with app.test_request_context():
        lists = {lang: precache_urls(lang) for lang in LANGUAGES}
        kits = {lang: [u for u in kit_urls(lang) if u not in lists[lang]] for lang in LANGUAGES}
    print(f"{'language':<12} {'files':>5} {'decoded':>10} {'brotli':>9} {'headroom':>9}"
          f"  budget {BUDGET:,} B")
    over = 0
    for lang, urls in lists.items():
        decoded = sum(size(client, url, "identity") for url in urls)
        compressed = sum(size(client, url, "br") for url in urls)
        verdict = "ok" if decoded <= BUDGET else "OVER BUDGET"
        over += decoded > BUDGET
        print(f"{lang:<12} {len(urls):>5} {decoded:>10,} {compressed:>9,} {BUDGET - decoded:>9,}"
              f"  {verdict}")
    for lang, urls in kits.items():
        decoded = sum(size(client, url, "identity") for url in urls)
        compressed = sum(size(client, url, "br") for url in urls)
        print(f"{lang + '+kit':<12} {len(urls):>5} {decoded:>10,} {compressed:>9,} {'':>9}"
              f"  only while her tracker holds a link")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
