"""Rate limits shared by every worker, the client's address behind a proxy, and logs."""

import logging
import runpy

import pytest

from app import create_app
from app.web.limits import Limiter, client_network
from helpers import (
    ROOT,
    TEST_CONFIG,
    form_key,
    receipt_of,
)


class Clock:
    def __init__(self, now: float = 1_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_workers_opening_one_file_share_their_counts(tmp_path):
    # Two Limiter objects on one file with one boot secret: two gunicorn workers.
    clock = Clock()
    first = Limiter(tmp_path / "limits.sqlite3", b"s" * 32, clock)
    second = Limiter(tmp_path / "limits.sqlite3", b"s" * 32, clock)
    key = first.client_key("203.0.113.5")
    assert second.client_key("203.0.113.5") == key
    for limiter in (first, second, first, second, first):
        assert limiter.take("report", key, 5, 3600)
    assert not second.take("report", key, 5, 3600)
    assert second.take("report", second.client_key("203.0.113.6"), 5, 3600)


def test_a_new_boot_secret_cannot_read_old_counts(tmp_path):
    old = Limiter(tmp_path / "limits.sqlite3", b"a" * 32)
    new = Limiter(tmp_path / "limits.sqlite3", b"b" * 32)
    assert old.client_key("203.0.113.5") != new.client_key("203.0.113.5")


def test_the_window_slides_and_old_windows_are_forgotten(tmp_path):
    clock = Clock(3600 * 1000)  # the start of a window
    limiter = Limiter(tmp_path / "limits.sqlite3", b"s" * 32, clock)
    for _ in range(4):
        limiter.record("report", "k", 3600)
    clock.now += 3600 * 1.25  # a quarter into the next window: 3/4 of the old one counts
    assert limiter.count("report", "k", 3600) == pytest.approx(3.0)
    clock.now += 3600  # two windows later: nothing left
    assert limiter.count("report", "k", 3600) == 0
    limiter.record("report", "k", 3600)
    rows = limiter._db().execute("SELECT count(*) FROM rate_count").fetchone()[0]
    assert rows == 1  # the old window's row went when this one was written


def test_a_claim_holds_once_until_it_expires(tmp_path):
    clock = Clock()
    limiter = Limiter(tmp_path / "limits.sqlite3", b"s" * 32, clock)
    assert limiter.claim("proof-used", "c", 60)
    assert not limiter.claim("proof-used", "c", 60)
    clock.now += 61
    assert limiter.claim("proof-used", "c", 60)


def test_nothing_in_the_limits_file_names_the_client(tmp_path):
    limiter = Limiter(tmp_path / "limits.sqlite3", b"s" * 32)
    limiter.record("report", limiter.client_key("203.0.113.77"), 3600)
    limiter.take_try([("login-client", limiter.client_key("203.0.113.77"))], free=0,
                     window=3600, longest_wait=30)
    assert limiter.blocked_for("login-client", limiter.client_key("203.0.113.77")) > 0
    for path in tmp_path.iterdir():
        assert b"203.0.113.77" not in path.read_bytes()


# -- the client's address ---------------------------------------------------------

def strict(instance, proxies: int):
    return create_app({**TEST_CONFIG, "TRUSTED_PROXIES": proxies,
                       "REPORTS_PER_CLIENT_PER_HOUR": 1})


def report_from(app, peer: str, forwarded: str | None = None) -> int:
    client = app.test_client()
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    key = form_key(client)
    response = client.post("/en/report", data={"idempotency_key": key, "space": "restroom",
                                               "what": "found"},
                           headers={**headers, "Origin": "http://localhost"},
                           environ_base={"REMOTE_ADDR": peer})
    return 200 if receipt_of(response) else response.status_code


def test_without_a_proxy_a_forwarded_header_is_ignored(instance):
    app = strict(instance, 0)
    assert report_from(app, "198.51.100.1", "203.0.113.1") == 200
    # Claiming to be someone else does not give her a new bucket.
    assert report_from(app, "198.51.100.1", "203.0.113.2") == 429


def test_behind_one_proxy_each_client_has_her_own_bucket(instance):
    app = strict(instance, 1)
    # nginx (127.0.0.1) replaces X-Forwarded-For with the address it sees.
    assert report_from(app, "127.0.0.1", "203.0.113.1") == 200
    assert report_from(app, "127.0.0.1", "203.0.113.1") == 429
    assert report_from(app, "127.0.0.1", "203.0.113.2") == 200


@pytest.mark.parametrize(("address", "counted_as"), [
    ("198.51.100.7", "198.51.100.7"),  # IPv4: each address is a client
    ("2001:db8:1:2:aaaa:bbbb:cccc:1", "2001:db8:1:2::/64"),  # IPv6: its /64
    ("2001:DB8:1:2::9", "2001:db8:1:2::/64"),
    ("::ffff:198.51.100.7", "198.51.100.7"),  # IPv4 written as IPv6 is IPv4
    ("not an address", "not an address"),
    (None, ""),
])
def test_an_ipv6_client_is_counted_by_its_64(address, counted_as):
    assert client_network(address) == counted_as


def test_addresses_of_one_64_share_every_key_and_the_next_64_does_not(tmp_path):
    # client_key is what every limit uses: reports, receipt tries, posters, sign-in, scans.
    limiter = Limiter(tmp_path / "limits.sqlite3", b"s" * 32, Clock())
    one, same, other = "2001:db8:7:7::1", "2001:db8:7:7:dead:beef:0:2", "2001:db8:7:8::1"
    assert limiter.client_key(one) == limiter.client_key(same) != limiter.client_key(other)
    assert limiter.client_key(one, "poster 1") == limiter.client_key(same, "poster 1")
    assert limiter.client_key(one, "poster 1") != limiter.client_key(one, "poster 2")
    assert limiter.client_key("198.51.100.1") != limiter.client_key("198.51.100.2")


def test_rotating_through_a_64_does_not_buy_more_reports(instance):
    app = strict(instance, 0)
    assert report_from(app, "2001:db8:42:1::1") == 200
    assert report_from(app, "2001:db8:42:1:a1b2:c3d4:e5f6:7") == 429  # same /64: same client
    assert report_from(app, "2001:db8:42:2::1") == 200  # the next /64 is someone else
    assert report_from(app, "198.51.100.21") == 200  # IPv4 stays per address
    assert report_from(app, "198.51.100.22") == 200


# -- gunicorn's logs ---------------------------------------------------------------

@pytest.fixture(scope="module")
def gunicorn_config():
    return runpy.run_path(str(ROOT / "scripts" / "gunicorn.conf.py"))


@pytest.mark.parametrize("message", [
    "Invalid request from ip=203.0.113.9: Invalid HTTP method: 'GET\\x00 / Mozilla'",
    "Invalid request from ip=2001:db8::9: Invalid HTTP Version: 'HTTP/9.9'",
    "Error handling request from 198.51.100.4",
    "connection from [2001:db8::42]:51234 closed",
])
def test_the_error_log_names_no_client(gunicorn_config, message):
    record = logging.LogRecord("gunicorn.error", logging.WARNING, __file__, 1, message, None, None)
    assert gunicorn_config["ClientRedactingFilter"]().filter(record)
    logged = record.getMessage()
    for secret in ("203.0.113.9", "2001:db8::9", "198.51.100.4", "2001:db8::42", "Mozilla"):
        assert secret not in logged


def test_the_error_log_keeps_the_servers_own_address_and_has_no_time(gunicorn_config):
    record = logging.LogRecord("gunicorn.error", logging.INFO, __file__, 1,
                               "Listening at: http://127.0.0.1:8000 (1234)", None, None)
    gunicorn_config["ClientRedactingFilter"]().filter(record)
    assert record.getMessage() == "Listening at: http://127.0.0.1:8000 (1234)"
    assert "asctime" not in gunicorn_config["RedactingLogger"].error_fmt


def test_each_instance_has_its_own_control_socket(monkeypatch, tmp_path):
    monkeypatch.setenv("SPOTCHECK_INSTANCE_PATH", str(tmp_path / "one"))
    config = runpy.run_path(str(ROOT / "scripts" / "gunicorn.conf.py"))
    assert config["control_socket"] == str(tmp_path / "one" / "gunicorn.ctl")


def test_simultaneous_reports_from_one_client_cannot_pass_the_limit_together(instance):
    from concurrent.futures import ThreadPoolExecutor

    app = create_app({**TEST_CONFIG, "REPORTS_PER_CLIENT_PER_HOUR": 5})
    keys = [form_key(app.test_client()) for _ in range(12)]

    def send(key: str) -> bool:
        response = app.test_client().post(
            "/en/report", data={"idempotency_key": key, "space": "restroom", "what": "found"},
            headers={"Origin": "http://localhost"}, environ_base={"REMOTE_ADDR": "198.51.100.8"})
        return receipt_of(response) is not None

    with ThreadPoolExecutor(12) as pool:
        stored = list(pool.map(send, keys))
    assert stored.count(True) == 5


def test_a_take_is_given_back_when_nothing_was_stored(tmp_path):
    limiter = Limiter(tmp_path / "limits.sqlite3", b"s" * 32, Clock())
    assert limiter.take("report", "k", 1, 3600)
    assert not limiter.take("report", "k", 1, 3600)
    limiter.give_back("report", "k", 3600)
    assert limiter.take("report", "k", 1, 3600)


def test_a_scan_claim_lasts_until_midnight_utc(tmp_path):
    clock = [20_000 * 86400 + 86400 - 30.0]  # 23:59:30 UTC
    limiter = Limiter(tmp_path / "limits.sqlite3", b"s" * 32, clock=lambda: clock[0])
    assert limiter.claim_today("scan", "phone+poster")
    clock[0] += 20
    assert not limiter.claim_today("scan", "phone+poster")
    clock[0] += 20  # 00:00:10 the next day
    assert limiter.claim_today("scan", "phone+poster")
