"""Links and redirects never name the request's Host (issue 14, item 10): invite and reset
links use PUBLIC_BASE_URL (app/web/links.py), redirects stay on the site."""

import re

import pytest

from app.web.links import public_url
from helpers import csrf, login

FORGED = "evil.example"


def test_invite_and_reset_links_use_the_public_address_not_the_host(app, auth):
    app.config["PUBLIC_BASE_URL"] = "https://spotcheck.example.org"
    auth.add()
    moderator_id = auth.add("mo", "moderator")
    client = app.test_client()
    base = f"https://{FORGED}"
    assert login(client, base_url=base).status_code == 302
    token = csrf(client, f"{base}/en/organizers/accounts")
    invite = client.post(f"{base}/en/organizers/accounts/invite",
                         data={"csrf_token": token, "username": "eve", "role": "moderator"})
    reset = client.post(f"{base}/en/organizers/accounts/{moderator_id}/reset",
                        data={"csrf_token": token})
    for page, kind in ((invite, "invite"), (reset, "reset")):
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and FORGED not in html
        assert re.search(rf"https://spotcheck\.example\.org/en/organizers/{kind}/[\w-]+", html)


@pytest.mark.parametrize("path", ["/en//report", "/en", "/zh-hant//check//", "/en/check",
                                  "/en//organizers//login", "/en//report?from=poster"])
def test_redirects_never_lead_to_a_forged_host(client, path):
    response = client.get(path, headers={"Host": FORGED})
    assert response.status_code in (301, 302, 308)
    location = response.headers["Location"]
    assert FORGED not in location
    assert location.startswith("/") and not location.startswith(("//", "/\\"))
    assert client.get(location).status_code == 200


def test_public_url_keeps_a_path_prefix_once(app):
    app.config["PUBLIC_BASE_URL"] = "https://example.org/spotcheck"
    with app.test_request_context(base_url="http://internal:8000/spotcheck"):
        assert public_url("organizers.login", lang="en") == (
            "https://example.org/spotcheck/en/organizers/login")
    with app.test_request_context(base_url=f"http://{FORGED}"):
        assert public_url("organizers.login", lang="en") == (
            "https://example.org/spotcheck/en/organizers/login")
