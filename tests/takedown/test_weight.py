"""The kit's page within the budget of every page's HTML (bench/page_weight.py,
docs/deploy.md "Budgets"): 14 KB compressed, one round trip on a slow phone
network, with the real destinations in every language. The letter writer comes
with letters.json, the letters with blanks are their own page (app/takedown/)."""

import pytest

HTML_BUDGET = 14 * 1024  # bench/page_weight.py's


def compressed(client, url: str, encoding: str) -> int:
    with client.get(url, headers={"Accept-Encoding": encoding}) as response:
        assert response.status_code == 200, url
        assert response.headers.get("Content-Encoding") == encoding, url
        return len(response.get_data())


@pytest.mark.parametrize("path", ["/takedown", "/takedown?region=tw", "/takedown/letters"])
def test_the_kit_pages_are_within_14_kb_compressed(client, lang, path):
    url = f"/{lang}{path}"
    for encoding in ("gzip", "br"):
        size = compressed(client, url, encoding)
        assert size <= HTML_BUDGET, (url, encoding, size)
