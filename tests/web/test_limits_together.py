"""Every limit holds for tries sent all at once: the check and the count are one step."""

from concurrent.futures import ThreadPoolExecutor

from app import create_app
from app.web.limits import Limiter
from helpers import PASSWORD, TEST_CONFIG, add_organizer, new_report

ADDRESS = {"REMOTE_ADDR": "198.51.100.23"}
SAME_SITE = {"Origin": "http://localhost"}


def all_at_once(send, count: int = 40) -> list:
    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(lambda _: send(), range(count)))


def test_forty_wrong_receipt_codes_at_once_get_ten_answers(instance):
    app = create_app({**TEST_CONFIG, "RECEIPT_TRIES_PER_HOUR": 10})

    def wrong_code() -> int:
        return app.test_client().post("/en/report/status", data={"code": "AAAA-AAAA-AAAA-AAAA"},
                                      headers=SAME_SITE, environ_base=ADDRESS).status_code

    answers = all_at_once(wrong_code)
    assert answers.count(400) == 10 and answers.count(429) == 30


def test_a_right_code_does_not_use_up_her_tries(instance):
    app = create_app({**TEST_CONFIG, "RECEIPT_TRIES_PER_HOUR": 2})
    client = app.test_client()
    code = new_report(client)
    for _ in range(5):
        right = client.post("/en/report/status", data={"code": code}, headers=SAME_SITE,
                            environ_base=ADDRESS)
        assert right.status_code == 200
    for expected in (400, 400, 429, 429):
        wrong = client.post("/en/report/status", data={"code": "AAAA-AAAA-AAAA-AAAA"},
                            headers=SAME_SITE, environ_base=ADDRESS)
        assert wrong.status_code == expected


def test_posters_made_at_once_stop_at_the_limit(instance):
    app = create_app({**TEST_CONFIG, "POSTERS_PER_CLIENT_PER_HOUR": 5,
                      "PUBLIC_BASE_URL": "https://spotcheck.example"})

    def make() -> int:
        return app.test_client().post("/en/posters/", data={"destination": "home"},
                                      headers=SAME_SITE, environ_base=ADDRESS).status_code

    answers = all_at_once(make, 20)
    assert answers.count(200) == 5 and answers.count(429) == 15


def test_sign_in_tries_at_once_are_checked_no_more_than_the_free_ones(instance):
    app = create_app(TEST_CONFIG)
    add_organizer(app, "ada")

    def wrong_password() -> int:
        return app.test_client().post("/en/organizers/login", data={
            "username": "ada", "password": "wrong"}, headers=SAME_SITE,
            environ_base=ADDRESS).status_code

    answers = all_at_once(wrong_password, 20)
    # Three free tries, the fourth starts a wait: every other try waits, unchecked.
    assert answers.count(400) == 4 and answers.count(429) == 16


def test_a_right_password_gives_its_try_back(instance):
    app = create_app(TEST_CONFIG)
    add_organizer(app, "ada")
    client = app.test_client()
    for _ in range(6):
        signed_in = client.post("/en/organizers/login", data={
            "username": "ada", "password": PASSWORD}, headers=SAME_SITE, environ_base=ADDRESS)
        assert signed_in.status_code == 302


def test_a_wait_doubles_with_each_try_past_the_free_ones(tmp_path):
    now = [1_000_000.0]
    limiter = Limiter(tmp_path / "limits.sqlite3", b"s" * 32, lambda: now[0])
    keys = [("login-account", "ada")]
    waits = []
    for _ in range(6):
        assert limiter.take_try(keys, free=3, window=3600, longest_wait=900) == 0
        waits.append(limiter.blocked_for("login-account", "ada"))
        now[0] += waits[-1]
    assert waits == [0, 0, 0, 3, 5, 9]  # 2, 4, 8 s, and a second to round up
    assert limiter.take_try(keys, free=3, window=3600, longest_wait=900) == 0
    assert limiter.take_try(keys, free=3, window=3600, longest_wait=900) == 17  # 16 s
