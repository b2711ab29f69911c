"""No number in any query argument gives a server error, on any page, signed in or out."""

import pytest

from helpers import public_urls

NUMBERS = ("99999999999999999999", "-99999999999999999999", "9223372036854775808", "-1", "0",
           "1e999", "nan", "-0", "1.5", "٣")
# Every query argument a view reads (grep request.args), and a few it does not.
NAMES = ("after", "before", "page", "since", "within", "zoom", "bbox", "view", "space", "what",
         "status", "city", "region", "device", "v", "x")


@pytest.fixture
def english_pages(app):
    return [url for url in public_urls(app) if url.startswith(("/en/", "/api/")) or
            url.count("/") == 1]


def test_numbers_in_query_arguments_of_public_pages(client, english_pages):
    assert "/en/map" in english_pages and "/api/v1/reports" in english_pages
    for url in english_pages:
        for name in NAMES:
            for number in NUMBERS:
                response = client.get(url, query_string={name: number})
                assert response.status_code < 500, (url, name, number)
                response.close()


@pytest.mark.parametrize("url", ["/en/map?view=list&page=2", "/en/map?view=list&what=found"])
def test_numbers_beside_other_arguments_of_the_list(client, url):
    for name in ("after", "before", "page"):
        for number in NUMBERS:
            assert client.get(f"{url}&{name}={number}").status_code < 500, (name, number)


@pytest.mark.parametrize("url", ["/en/organizers/", "/en/organizers/audit",
                                 "/en/organizers/posters", "/en/organizers/stats",
                                 "/en/organizers/reports/1", "/en/organizers/export/all.csv"])
def test_numbers_in_query_arguments_of_organizer_pages(admin, url):
    for name in NAMES:
        for number in NUMBERS:
            response = admin.get(url, query_string={name: number})
            assert response.status_code < 500, (url, name, number)
            response.close()
