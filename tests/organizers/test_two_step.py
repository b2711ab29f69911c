"""The second factor (app/organizers/two_step.py), as an outside review found it
(issue 14, items 3 to 5): it can't be replaced or turned off with a session alone, a
code works once, and an admin can clear a lost phone's second factor.

The `clock` fixture (organizers/conftest.py) is the time two_step.py sees.
"""

import re

import pyotp

from helpers import (
    PASSWORD,
    START,
    TWO_STEP,
    audit,
    code_at,
    csrf,
    csrf_of,
    db_rows,
    login,
    turn_on,
)


def stored_secret(app, username="ada"):
    return db_rows(app, "SELECT totp_secret FROM organizer WHERE username = ?",
                   (username,))[0][0]


# -- changing the second factor needs the password and a current code -------------------

def test_a_session_alone_cannot_replace_the_second_factor(app, admin, clock):
    secret = turn_on(admin)
    # Someone at an unlocked laptop brings her own key and a code from it.
    theirs = pyotp.random_base32()
    for extra in ({}, {"password": PASSWORD}):
        response = admin.post(TWO_STEP, data={"csrf_token": csrf(admin, TWO_STEP),
                                              "secret": theirs, "code": code_at(theirs, START),
                                              **extra})
        assert response.status_code == 400
        assert "Two-step sign-in is already on." in response.get_data(as_text=True)
    assert stored_secret(app) == secret
    clock[0] += 30
    assert login(app.test_client(), code=code_at(secret, clock[0])).status_code == 302


def test_turning_it_off_needs_the_password_too(app, admin, clock):
    secret = turn_on(admin)
    off = {"csrf_token": csrf(admin, TWO_STEP), "action": "off"}
    for password in ({}, {"password": "not my password at all"}):
        clock[0] += 30
        response = admin.post(TWO_STEP, data={**off, **password,
                                              "code": code_at(secret, clock[0])})
        assert response.status_code == 400
        assert "That password or code is not right." in response.get_data(as_text=True)
    assert stored_secret(app) == secret
    clock[0] += 30
    response = admin.post(TWO_STEP, data={**off, "password": PASSWORD,
                                          "code": code_at(secret, clock[0])})
    assert response.status_code == 302 and stored_secret(app) is None


def test_turning_it_on_needs_the_password(app, admin, clock):
    page = admin.get(TWO_STEP).get_data(as_text=True)
    assert 'name="password"' in page
    secret = re.search(r'name="secret" value="([A-Z2-7]{32})"', page)[1]
    response = admin.post(TWO_STEP, data={"csrf_token": csrf_of(page), "secret": secret,
                                          "code": code_at(secret, START)})
    assert response.status_code == 400
    # The key just scanned stays on the page, so a retry needs no new scan.
    assert f'value="{secret}"' in response.get_data(as_text=True)
    assert stored_secret(app) is None


def test_wrong_passwords_on_the_two_step_page_are_throttled_like_sign_ins(app, admin, clock):
    page = admin.get(TWO_STEP).get_data(as_text=True)
    secret = re.search(r'name="secret" value="([A-Z2-7]{32})"', page)[1]
    form = {"csrf_token": csrf_of(page), "secret": secret, "code": code_at(secret, START)}
    for _ in range(4):
        assert admin.post(TWO_STEP, data={**form, "password": "guess guess guess"}
                          ).status_code == 400
    assert admin.post(TWO_STEP, data={**form, "password": PASSWORD}).status_code == 429
    assert stored_secret(app) is None


# -- a code works once ------------------------------------------------------------------

def test_a_code_works_once_and_never_an_older_one(app, admin, clock):
    secret = turn_on(admin)  # uses the code of START's step
    client = app.test_client()
    assert login(client, code=code_at(secret, START)).status_code == 400  # used to turn on
    clock[0] += 60
    now = code_at(secret, clock[0])
    assert login(client, code=now).status_code == 302
    assert login(client, code=now).status_code == 400  # the same code, a second time
    assert login(client, code=code_at(secret, clock[0] - 30)).status_code == 400  # older
    # A phone 30 s ahead still works, once.
    assert login(client, code=code_at(secret, clock[0] + 30)).status_code == 302
    assert login(client, code=code_at(secret, clock[0] + 30)).status_code == 400
    [(step,)] = db_rows(app, "SELECT totp_last_step FROM organizer")
    assert step == clock[0] // 30 + 1


def test_a_code_used_to_sign_in_cannot_turn_two_step_off(app, admin, clock):
    secret = turn_on(admin)
    clock[0] += 30
    client = app.test_client()
    assert login(client, code=code_at(secret, clock[0])).status_code == 302
    response = client.post(TWO_STEP, data={"csrf_token": csrf(client, TWO_STEP),
                                           "action": "off", "password": PASSWORD,
                                           "code": code_at(secret, clock[0])})
    assert response.status_code == 400 and stored_secret(app) == secret


# -- resets end the old password; admins clear a lost phone -------------------------------


def test_an_admin_clears_a_lost_phone_after_confirming(app, auth, admin, clock):
    moderator_id = auth.add("mo", "moderator")
    mo = app.test_client()
    login(mo, "mo")
    turn_on(mo)
    clock[0] += 30
    listing = admin.get("/en/organizers/accounts").get_data(as_text=True)
    confirm_url = f"/en/organizers/accounts/{moderator_id}/clear-two-step"
    assert f'href="{confirm_url}"' in listing
    confirm = admin.get(confirm_url)
    text = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "mo" in text and f'action="{confirm_url}"' in text
    assert stored_secret(app, "mo") is not None  # asking changed nothing
    assert admin.post(confirm_url, data={"csrf_token": csrf_of(text)}).status_code == 302
    assert stored_secret(app, "mo") is None
    assert mo.get("/en/organizers/").status_code == 302  # the lost phone's session ended
    assert login(app.test_client(), "mo").status_code == 302  # the password alone, now
    assert (1, "two-factor cleared", None, "mo") in audit(app)


def test_only_admins_clear_two_step_and_never_their_own(app, auth, admin, clock):
    turn_on(admin)
    assert admin.get("/en/organizers/accounts/1/clear-two-step").status_code == 400
    assert admin.post("/en/organizers/accounts/1/clear-two-step",
                      data={"csrf_token": csrf(admin)}).status_code == 400
    assert admin.get("/en/organizers/accounts/99/clear-two-step").status_code == 404
    auth.add("mo", "moderator")
    mo = app.test_client()
    login(mo, "mo")
    assert mo.post("/en/organizers/accounts/1/clear-two-step",
                   data={"csrf_token": csrf(mo)}).status_code == 403
    assert stored_secret(app) is not None
