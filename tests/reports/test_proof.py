"""Proof of work in a flood (issue 13, item 4; issue 28, item 3): a flood silences no one.

Past REPORTS_PER_HOUR stored reports site-wide, a report sent by the page's
script (htmx or the outbox: `HX-Request`) needs the answer to a hashcash
challenge (app/reports/proof.py), harder for each report its client already
sent; a report sent without JavaScript is stored, held apart from the queue, and
answered with its receipt. These tests use 8 bits, so Python finds an answer in
a few milliseconds, and a limiter whose clock stands still, so an hour's window
never turns over in the middle of a test.
"""

import hashlib
import itertools
import json
import re
import secrets
import shutil
import subprocess
import time
import types
from pathlib import Path

import pytest
from markupsafe import escape

from app import create_app
from app.reports import proof
from app.web import limits
from app.web.limits import Limiter
from helpers import ROOT, TEST_CONFIG, db_rows, form_key, receipt_of, submit

BUSY_AT = 3  # REPORTS_PER_HOUR in these tests
BITS = 8  # POW_BITS in these tests
CHALLENGE = re.compile(r"v1\.(\d+)\.[0-9a-f]+\.[0-9a-f]{8}\.[0-9a-f]{12}")
BUSY = {
    "en": "SpotCheck is very busy right now. Nothing was stored yet, and what you wrote is "
          "still below: please send it again in 10 minutes.",
    "zh-hans": "SpotCheck 现在非常繁忙。这条举报还没有保存，你填写的内容都还在下面：请过 10 分钟后"
               "再提交一次。",
    "zh-hant": "SpotCheck 現在非常忙碌。這份通報還沒有儲存，你填寫的內容都還在下面：請過 10 分鐘後"
               "再送出一次。",
}
PER_CLIENT = "Too many reports have been sent from here in the last hour."
JS = {"HX-Request": "true"}  # what htmx and the outbox send: the script can prove
HELD = {
    "en": "Received, and waiting for review.",
    "zh-hans": "已收到，正在等待审核。",
    "zh-hant": "已收到，正在等待審核。",
}
VALID = {"space": "restroom", "what": "found"}
WORKER = ROOT / "static" / "js" / "proof-worker.js"


def flood_app(**config):
    app = create_app({**TEST_CONFIG, "REPORTS_PER_HOUR": BUSY_AT, "POW_BITS": BITS,
                      "REPORTS_PER_CLIENT_PER_HOUR": 0, **config})
    # The same file, read with a clock that stands still.
    path = app.config["LIMITS_DATABASE"] or Path(app.instance_path) / "limits.sqlite3"
    frozen = time.time()
    app.extensions["spotcheck_limiter"] = Limiter(path, secrets.token_bytes(32), lambda: frozen)
    return app


@pytest.fixture
def app(migrated):
    return flood_app()


def stored(app) -> int:
    return db_rows(app, "SELECT count(*) FROM report")[0][0]


def rows(app, sql) -> list[tuple]:
    return [tuple(row) for row in db_rows(app, sql)]


def site_rate(app) -> float:
    with app.test_request_context():
        return limits.count("report-all", per_client=False)


def fill_up(app, count=BUSY_AT) -> None:
    """`count` reports stored, as if from as many people (no proof asked below the threshold)."""
    for number in range(count):
        client = app.test_client()
        response = client.post("/en/report", data={"idempotency_key": form_key(client), **VALID},
                               environ_base={"REMOTE_ADDR": f"10.0.0.{number + 1}"})
        assert receipt_of(response), response.status_code


def record_stored(app, count: int, held: bool = False) -> None:
    """Count `count` more stored reports site-wide without storing them (a bigger flood),
    into the queue (with proof) or `held`."""
    with app.test_request_context():
        for _ in range(count):
            limits.record("report-all", per_client=False)
            if not held:
                limits.record("report-queued", per_client=False)


def solve(challenge: str, bits: int | None = None) -> str:
    """The smallest answer, found as proof.js's worker finds it."""
    bits = int(challenge.split(".")[1]) if bits is None else bits
    for number in itertools.count():
        digest = hashlib.sha256(f"{challenge}:{number}".encode()).digest()
        if proof.leading_zero_bits(digest) >= bits:
            return str(number)
    raise AssertionError("unreachable")


def challenge_of(response) -> str:
    assert response.status_code == 429, response.status_code
    challenge = response.headers["SpotCheck-Proof"]
    assert CHALLENGE.fullmatch(challenge), challenge
    return challenge


def bits_of(challenge: str) -> int:
    return int(CHALLENGE.fullmatch(challenge)[1])


def busy_challenge(client, address=None, **fields) -> str:
    """The challenge a report sent by the page's script without proof is answered with."""
    environ = {"REMOTE_ADDR": address} if address else {}
    return challenge_of(client.post("/en/report", headers=JS, environ_base=environ, data={
        "idempotency_key": form_key(client), **VALID, **fields}))


def with_proof(client, challenge, answer, address=None, **fields):
    environ = {"REMOTE_ADDR": address} if address else {}
    return client.post("/en/report", headers=JS, environ_base=environ, data={
        "idempotency_key": fields.pop("key", None) or form_key(client), **VALID,
        "proof_challenge": challenge, "proof_answer": answer, **fields})


def client_key(app, address="127.0.0.1") -> str:
    """The limit key a challenge for this address is bound to."""
    with app.app_context():
        return limits.limiter().client_key(address)


# -- when proof is asked --------------------------------------------------------------

def test_below_the_threshold_no_proof_is_asked(app):
    client = app.test_client()
    for _ in range(BUSY_AT):
        response = submit(client, **VALID)
        assert receipt_of(response)
        assert "SpotCheck-Proof" not in response.headers
    assert stored(app) == BUSY_AT


# Every field the form has, with something typed or chosen in each.
TYPED = {
    "en": {"space": "fitting-room", "what": "suspected", "device": "clock",
           "venue": "Star Mall", "city": "Shanghai Jing'an", "latitude": "31.230",
           "longitude": "121.474", "observed_on": "2026-03-08", "told_venue": "yes",
           "told_police": "yes", "response": "The manager said <nothing>.",
           "description": "A lens in the coat hook & a blinking light.\nSecond line."},
    "zh-hant": {"space": "hotel-room", "what": "filming", "device": "usb-charger",
                "venue": "星光商場", "city": "台北市 信義區", "latitude": "25.033",
                "longitude": "121.565", "observed_on": "2026-02-01", "told_venue": "yes",
                "told_police": "yes", "response": "店員說會處理。",
                "description": "掛鉤裡有一個鏡頭。\n第二行。"},
}


def assert_every_field_kept(page: str, typed: dict) -> None:
    """Each field shows what she typed or chose (escaped as Jinja escapes it)."""
    for name in ("space", "what"):
        assert re.search(rf'name="{name}" value="{typed[name]}" required checked', page), name
    assert f'<option value="{typed["device"]}" selected>' in page
    for name in ("venue", "city", "latitude", "longitude", "observed_on"):
        assert re.search(rf'name="{name}"[^>]* value="{re.escape(str(escape(typed[name])))}"',
                         page), name
    for name in ("told_venue", "told_police"):
        assert f'name="{name}" value="yes" checked' in page, name
    for name in ("response", "description"):
        assert re.search(rf'name="{name}"[^>]*>{re.escape(str(escape(typed[name])))}'
                         r"</textarea>", page), name


@pytest.mark.parametrize("lang", ["en", "zh-hant"])
def test_at_the_threshold_a_scripts_report_without_proof_is_refused_and_kept(app, lang):
    """The page's script is given a challenge and the form back, to prove and send again."""
    fill_up(app)
    client = app.test_client()
    response = submit(client, lang=lang, headers=JS, x_check="", **TYPED[lang])
    challenge = challenge_of(response)
    assert bits_of(challenge) == BITS
    assert response.headers["Retry-After"] == "600"
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert BUSY[lang] in page
    assert "<html" not in page  # htmx gets the fragment it swaps
    assert_every_field_kept(page, TYPED[lang])
    # The proof fields are the script's business, never written into the page.
    assert "proof_" not in page and challenge not in page
    assert stored(app) == BUSY_AT


def test_each_refusal_offers_a_fresh_challenge(app):
    fill_up(app)
    client = app.test_client()
    assert len({busy_challenge(client) for _ in range(5)}) == 5


# -- answers -------------------------------------------------------------------------

def test_a_correct_answer_stores_the_report_once(app):
    fill_up(app)
    client = app.test_client()
    key = form_key(client)
    challenge = challenge_of(submit(client, key=key, venue="Star Mall", headers=JS, **VALID))
    response = with_proof(client, challenge, solve(challenge), key=key, venue="Star Mall")
    assert response.status_code == 200
    code = receipt_of(response)
    assert code
    assert stored(app) == BUSY_AT + 1
    assert db_rows(app, "SELECT venue FROM report ORDER BY id DESC LIMIT 1")[0][0] == "Star Mall"
    # A phone retrying the same report (same key) gets its receipt, without new proof.
    assert receipt_of(submit(client, key=key, venue="Star Mall", **VALID)) == code

    # The same solved challenge cannot carry another report.
    again = with_proof(client, challenge, solve(challenge), venue="Another one")
    assert challenge_of(again) != challenge
    assert stored(app) == BUSY_AT + 1
    # Nor from somebody else.
    other = app.test_client()
    response = other.post("/en/report", environ_base={"REMOTE_ADDR": "10.9.9.9"}, headers=JS,
                          data={"idempotency_key": form_key(other), "proof_challenge": challenge,
                                "proof_answer": solve(challenge), **VALID})
    challenge_of(response)
    assert stored(app) == BUSY_AT + 1


def forged(challenge: str, bits: int) -> str:
    """The challenge with its difficulty changed and the MAC left as it was."""
    version, _, rest = challenge.split(".", 2)
    return f"{version}.{bits}.{rest}"


def flipped_mac(challenge: str) -> str:
    last = challenge[-1]
    return challenge[:-1] + ("0" if last != "0" else "1")


def first_wrong_answer(challenge: str) -> str:
    bits = bits_of(challenge)
    for number in itertools.count():
        digest = hashlib.sha256(f"{challenge}:{number}".encode()).digest()
        if proof.leading_zero_bits(digest) < bits:
            return str(number)
    raise AssertionError("unreachable")


def other_sites_challenge(challenge: str) -> str:
    """A challenge of the same shape, signed with another secret key."""
    other = create_app({**TEST_CONFIG, "SECRET_KEY": "another-site-" + "k" * 32})
    with other.app_context():
        made = proof.new_challenge(bits_of(challenge), other.extensions[
            "spotcheck_limiter"].client_key("127.0.0.1"))
    assert made != challenge and made.split(".")[:3] == challenge.split(".")[:3]
    return made


ATTEMPTS = {
    "wrong answer": lambda c: (c, first_wrong_answer(c)),
    "no answer": lambda c: (c, ""),
    "answer not a number": lambda c: (c, "12a"),
    "negative answer": lambda c: (c, "-" + solve(c)),
    "answer too long": lambda c: (c, "0" * 13 + solve(c)),
    "no challenge": lambda c: ("", solve(c)),
    "fewer bits, same MAC": lambda c: (forged(c, 1), solve(forged(c, 1))),
    "more bits, same MAC": lambda c: (forged(c, BITS + 1), solve(forged(c, BITS + 1))),
    "changed MAC": lambda c: (flipped_mac(c), solve(flipped_mac(c))),
    "MAC cut short": lambda c: (c[:-1], solve(c[:-1])),
    "another site's key": lambda c: (other_sites_challenge(c), solve(other_sites_challenge(c))),
    "another version": lambda c: ("v2" + c[2:], solve("v2" + c[2:])),
    "too long": lambda c: (c + "." + "0" * 40, solve(c + "." + "0" * 40)),
}


@pytest.mark.parametrize("attempt", list(ATTEMPTS))
def test_wrong_or_tampered_answers_are_refused(app, attempt):
    fill_up(app)
    client = app.test_client()
    challenge, answer = ATTEMPTS[attempt](busy_challenge(client))
    challenge_of(with_proof(client, challenge, answer))
    assert stored(app) == BUSY_AT


def test_an_expired_or_future_challenge_is_refused(app, monkeypatch):
    fill_up(app)
    client = app.test_client()
    kept, expired = busy_challenge(client), busy_challenge(client)
    now = time.time()

    def clock_at(seconds_from_now):
        fake = types.SimpleNamespace(time=lambda: now + seconds_from_now)
        monkeypatch.setattr(proof, "time", fake)

    clock_at((proof.MAX_AGE_MINUTES - 1) * 60)  # still valid just before it expires
    assert receipt_of(with_proof(client, kept, solve(kept)))
    clock_at((proof.MAX_AGE_MINUTES + 2) * 60)
    challenge_of(with_proof(client, expired, solve(expired)))
    assert stored(app) == BUSY_AT + 1

    # A challenge dated in the future (it cannot come from us) is refused too.
    clock_at(5 * 60)
    with app.app_context():
        ahead = proof.new_challenge(BITS + 4, client_key(app))
    clock_at(0)
    challenge_of(with_proof(client, ahead, solve(ahead)))
    assert stored(app) == BUSY_AT + 1


def test_a_challenge_from_before_the_flood_grew_is_not_enough(app):
    fill_up(app)
    client = app.test_client()
    easy = busy_challenge(client)
    record_stored(app, BUSY_AT)  # the rate doubles: one more bit
    hard = challenge_of(with_proof(client, easy, solve(easy)))
    # One more for the flood, and more for the report this client sent (the first try).
    assert bits_of(hard) == BITS + 1 + proof.PER_REPORT_BITS
    assert receipt_of(with_proof(client, hard, solve(hard)))


# -- difficulty ------------------------------------------------------------------------

def test_difficulty_grows_one_bit_each_time_the_rate_doubles(app):
    with app.app_context():
        assert proof.difficulty(0, BUSY_AT) == 0
        assert proof.difficulty(BUSY_AT - 0.01, BUSY_AT) == 0
        assert proof.difficulty(BUSY_AT, 0) == 0  # REPORTS_PER_HOUR = 0: no limit, no proof
        for doublings in range(proof.MAX_BITS - BITS + 1):
            rate = BUSY_AT * 2**doublings
            assert proof.difficulty(rate, BUSY_AT) == BITS + doublings
            assert proof.difficulty(rate * 1.99, BUSY_AT) == BITS + doublings
        # However big the flood, never past MAX_BITS (minutes on a slow phone).
        assert proof.difficulty(BUSY_AT * 2**40, BUSY_AT) == proof.MAX_BITS
        app.config["POW_BITS"] = proof.MAX_BITS
        assert proof.difficulty(BUSY_AT * 8, BUSY_AT) == proof.MAX_BITS


def test_the_challenge_asks_for_the_difficulty_of_the_moment(app):
    fill_up(app)
    client = app.test_client()
    # Each from a client that sent nothing before.
    seen = [bits_of(busy_challenge(client, "10.3.0.1"))]
    for number, more in enumerate((BUSY_AT, 2 * BUSY_AT, 4 * BUSY_AT)):  # 2x, 4x, 8x
        record_stored(app, more)
        seen.append(bits_of(busy_challenge(client, f"10.3.1.{number}")))
    assert seen == [BITS, BITS + 1, BITS + 2, BITS + 3]


def test_refused_posts_do_not_raise_the_sitewide_difficulty(app):
    fill_up(app)
    client = app.test_client()
    # A flood of 40 reports without proof, 10 times the threshold, each from another
    # address: all refused...
    challenges = [busy_challenge(client, f"10.4.0.{n}", description=f"spam {n}")
                  for n in range(40)]
    # ...and none of them counts site-wide: the difficulty stays where it was.
    assert {bits_of(c) for c in challenges} == {BITS}
    assert site_rate(app) == BUSY_AT
    assert stored(app) == BUSY_AT
    # Only stored reports count.
    assert receipt_of(with_proof(client, challenges[-1], solve(challenges[-1]), "10.4.0.39"))
    assert site_rate(app) == BUSY_AT + 1


def test_failed_validation_with_a_valid_proof_stores_and_counts_nothing(app):
    fill_up(app)
    client = app.test_client()
    challenge = busy_challenge(client)
    response = submit(client, what="found", proof_challenge=challenge, headers=JS,
                      proof_answer=solve(challenge))  # no space chosen
    assert response.status_code == 400
    assert "Choose the kind of place." in response.get_data(as_text=True)
    assert stored(app) == BUSY_AT and site_rate(app) == BUSY_AT


# -- the per-client limit -------------------------------------------------------------

def test_the_per_client_limit_applies_before_the_proof(instance):
    app = flood_app(REPORTS_PER_CLIENT_PER_HOUR=2)
    her = app.test_client()
    for _ in range(2):
        assert receipt_of(submit(her, **VALID))
    someone = app.test_client()
    assert receipt_of(someone.post("/en/report", environ_base={"REMOTE_ADDR": "10.1.1.1"},
                                   data={"idempotency_key": form_key(someone), **VALID}))
    # The site is busy now, but her own limit speaks first: no puzzle is offered,
    # nor held without JavaScript, and solving someone else's does not lift it.
    challenge = challenge_of(someone.post(
        "/en/report", environ_base={"REMOTE_ADDR": "10.1.1.1"}, headers=JS,
        data={"idempotency_key": form_key(someone), **VALID}))
    for response in (submit(her, venue="Star Mall", **VALID),
                     submit(her, venue="Star Mall", headers=JS, **VALID),
                     with_proof(her, challenge, solve(challenge), venue="Star Mall")):
        assert response.status_code == 429
        assert "SpotCheck-Proof" not in response.headers
        page = response.get_data(as_text=True)
        assert PER_CLIENT in page and 'value="Star Mall"' in page
    assert stored(app) == BUSY_AT
    # Her refused try did not use up the challenge: whoever solved it can still send.
    assert receipt_of(someone.post(
        "/en/report", environ_base={"REMOTE_ADDR": "10.1.1.1"}, headers=JS,
        data={"idempotency_key": form_key(someone), "proof_challenge": challenge,
              "proof_answer": solve(challenge), **VALID}))


# -- the browser's solver and the server agree ---------------------------------------

# Loads proof-worker.js as a browser would load a worker, and drives it by messages.
NODE_DRIVER = r"""
const fs = require("fs"), vm = require("vm");
const [source, casesJson, messagesJson] = process.argv.slice(1);
const answers = [];
const worker = { postMessage: (message) => answers.push(message) };
const context = vm.createContext({ self: worker, TextEncoder });
vm.runInContext(fs.readFileSync(source, "utf8"), context, { filename: source });
for (const [challenge, bits] of JSON.parse(casesJson)) {
  worker.onmessage({ data: { challenge, bits } });
}
// zeroBits of single-block messages, padded as solve() pads them.
const zeros = JSON.parse(messagesJson).map((text) => {
  const bytes = new TextEncoder().encode(text);
  const block = new Uint8Array(64);
  block.set(bytes);
  block[bytes.length] = 0x80;
  block[62] = (bytes.length * 8) >>> 8;
  block[63] = (bytes.length * 8) & 0xff;
  return context.zeroBits(block);
});
let tooLong = null;
try { context.solve("x".repeat(54), 0); } catch (error) { tooLong = error.message; }
console.log(JSON.stringify({ answers, zeros, tooLong }));
"""


def run_worker(cases: list[tuple[str, int]], messages: list[str]) -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    result = subprocess.run([node, "-e", NODE_DRIVER, str(WORKER), json.dumps(cases),
                             json.dumps(messages)], capture_output=True, text=True, timeout=120,
                            check=True)
    return json.loads(result.stdout)


def test_the_browsers_worker_finds_the_answer_python_accepts(app):
    with app.app_context():
        cases = [(proof.new_challenge(bits, "k" * 64), bits) for bits in (0, 1, 4, 8, 12, 14, 16)]
    # Other lengths, up to the longest that still fits one block with a 6-digit answer.
    cases += [("a", 10), ("v1.17.1c0ffee.0123abcd.0123456789ab", 12), ("z" * 48, 9)]
    # More bits than the first 32-bit word holds is the one branch a search cannot reach
    # here; zeroBits below checks the hash itself.
    result = run_worker(cases, [])
    assert len(result["answers"]) == len(cases)
    for (challenge, bits), message in zip(cases, result["answers"], strict=True):
        answer = message["answer"]
        assert answer == solve(challenge, bits), (challenge, bits)  # the smallest such number
        digest = hashlib.sha256(f"{challenge}:{answer}".encode()).digest()
        assert proof.leading_zero_bits(digest) >= bits


def test_the_worker_and_the_server_accept_each_others_answers(app):
    fill_up(app)
    client = app.test_client()
    for _ in range(3):
        challenge = busy_challenge(client)
        [message] = run_worker([(challenge, bits_of(challenge))], [])["answers"]
        assert receipt_of(with_proof(client, challenge, message["answer"]))
    assert stored(app) == BUSY_AT + 3


def test_the_workers_sha256_matches_pythons():
    # Every message length one block holds, and many numbers: as many leading zero
    # bits from JavaScript's SHA-256 as from hashlib's.
    messages = [f"{'c' * length}:{number}" for length in range(0, 50, 7)
                for number in range(0, 3000, 11)]
    messages = [m for m in messages if len(m.encode()) <= 55]
    result = run_worker([], messages)
    expected = [proof.leading_zero_bits(hashlib.sha256(m.encode()).digest()) for m in messages]
    assert result["zeros"] == expected
    assert max(expected) >= 8  # the comparison saw more than zero or one bits
    assert result["tooLong"] == "challenge too long for one block"


def test_real_challenges_leave_room_for_the_answer(app):
    with app.app_context():
        for bits in (0, proof.MAX_BITS):
            challenge = proof.new_challenge(bits, "k" * 64)
            longest = f"{challenge}:{'9' * proof.ANSWER_DIGITS}"
            assert len(longest.encode()) <= 55, longest  # one SHA-256 block, as the worker needs



# -- without JavaScript: held, never refused (issue 28, item 3) -------------------------

@pytest.mark.parametrize("lang", ["en", "zh-hans", "zh-hant"])
def test_without_javascript_a_flood_holds_her_report_and_gives_her_receipt(app, lang):
    fill_up(app)
    client = app.test_client()
    response = submit(client, lang=lang, x_check="", **TYPED["zh-hant" if lang != "en" else "en"])
    assert response.status_code == 200
    assert "SpotCheck-Proof" not in response.headers and "Retry-After" not in response.headers
    code = receipt_of(response)
    assert code  # the receipt, exactly as usual
    [(status, held, venue)] = rows(app, "SELECT status, held, venue FROM report "
                                           "ORDER BY id DESC LIMIT 1")
    assert (status, held) == ("received", 1)
    assert venue == TYPED["zh-hant" if lang != "en" else "en"]["venue"]
    assert stored(app) == BUSY_AT + 1
    assert site_rate(app) == BUSY_AT + 1  # held reports are part of the flood's rate
    # Her status page says it is waiting for review.
    page = client.post(f"/{lang}/report/status", data={"code": code}).get_data(as_text=True)
    assert HELD[lang] in page
    # A retry of the same form finds the same receipt, and stores nothing more.
    assert stored(app) == BUSY_AT + 1


def test_below_the_threshold_nothing_is_held(app):
    client = app.test_client()
    assert receipt_of(submit(client, **VALID))
    assert rows(app, "SELECT held FROM report") == [(0,)]


def test_a_browser_without_workers_says_so_and_is_held(app):
    """new-report.js sends `no_proof` when its browser cannot run the worker."""
    fill_up(app)
    client = app.test_client()
    response = submit(client, headers=JS, no_proof="1", **VALID)
    assert receipt_of(response)
    assert rows(app, "SELECT held FROM report ORDER BY id DESC LIMIT 1") == [(1,)]


def test_a_held_report_with_a_photo_keeps_it(app):
    fill_up(app)
    photo = (ROOT / "tests" / "reports" / "device.jpg").read_bytes()
    assert receipt_of(submit(app.test_client(), photo=("device.jpg", photo), **VALID))
    assert rows(app, "SELECT count(*) FROM report_photo JOIN report ON id = report_id "
                        "WHERE held = 1") == [(1,)]


def test_a_proven_report_goes_to_the_queue_not_held(app):
    fill_up(app)
    client = app.test_client()
    challenge = busy_challenge(client)
    assert receipt_of(with_proof(client, challenge, solve(challenge)))
    assert rows(app, "SELECT held FROM report ORDER BY id DESC LIMIT 1") == [(0,)]


# -- the cost grows with what each client sent ------------------------------------------

def test_a_client_that_sent_reports_gets_a_harder_challenge(app):
    fill_up(app)
    client = app.test_client()
    fresh = bits_of(busy_challenge(client, "10.5.0.1"))
    assert fresh == BITS
    # Another client sends reports: refused with challenges, or held without JavaScript.
    busy_challenge(client, "10.5.0.2")
    assert receipt_of(client.post("/en/report", environ_base={"REMOTE_ADDR": "10.5.0.2"},
                                  data={"idempotency_key": form_key(client), **VALID}))
    busy_challenge(client, "10.5.0.2")
    sent_three = bits_of(busy_challenge(client, "10.5.0.2"))
    assert sent_three == BITS + 3 * proof.PER_REPORT_BITS
    # The same /64 is the same client; a fresh one still pays the flood's price only.
    assert bits_of(busy_challenge(client, "2001:db8:1:2::1")) == BITS
    assert bits_of(busy_challenge(client, "2001:db8:1:2::ffff")) == BITS + proof.PER_REPORT_BITS
    assert bits_of(busy_challenge(client, "10.5.0.3")) == BITS


def test_the_clients_part_and_the_floods_part_add_up_to_the_ceiling(app):
    with app.app_context():
        assert proof.difficulty(BUSY_AT, BUSY_AT, 0) == BITS
        assert proof.difficulty(BUSY_AT, BUSY_AT, 1) == BITS + proof.PER_REPORT_BITS
        assert proof.difficulty(BUSY_AT * 4, BUSY_AT, 2) == BITS + 2 + 2 * proof.PER_REPORT_BITS
        assert proof.difficulty(BUSY_AT - 1, BUSY_AT, 50) == 0  # no flood, no proof
        assert proof.difficulty(BUSY_AT, BUSY_AT, 50) == proof.MAX_BITS


def test_harvested_challenges_each_cost_more(app):
    fill_up(app)
    client = app.test_client()
    harvest = [busy_challenge(client, "10.6.0.1") for _ in range(4)]
    assert [bits_of(c) for c in harvest] == [BITS + n * proof.PER_REPORT_BITS for n in range(4)]
    # Each still works once, for the client it was issued to.
    assert receipt_of(with_proof(client, harvest[0], solve(harvest[0]), "10.6.0.1"))
    challenge_of(with_proof(client, harvest[1], solve(harvest[1]), "10.6.0.2"))
    challenge_of(with_proof(client, harvest[0], solve(harvest[0]), "10.6.0.1"))  # replay


def test_a_refused_post_does_not_give_back_its_slot(instance):
    app = flood_app(REPORTS_PER_CLIENT_PER_HOUR=3)
    fill_up(app)
    client = app.test_client()
    # Three challenges: three of her three reports this hour.
    harvest = [busy_challenge(client) for _ in range(3)]
    for response in (submit(client, headers=JS, **VALID), submit(client, **VALID)):
        assert response.status_code == 429
        assert "SpotCheck-Proof" not in response.headers
        assert PER_CLIENT in response.get_data(as_text=True)
    # What she was handed is hers to use: an answered challenge takes no second slot.
    for challenge in harvest:
        assert receipt_of(with_proof(client, challenge, solve(challenge)))
    assert stored(app) == BUSY_AT + 3


def test_with_javascript_each_report_takes_one_slot(instance):
    app = flood_app(REPORTS_PER_CLIENT_PER_HOUR=2)
    fill_up(app)
    client = app.test_client()
    for _ in range(2):
        challenge = busy_challenge(client)
        assert receipt_of(with_proof(client, challenge, solve(challenge)))
    assert submit(client, headers=JS, **VALID).status_code == 429
    assert stored(app) == BUSY_AT + 2


def test_held_reports_keep_the_flood_on_but_do_not_make_every_puzzle_harder(app):
    """A flood without JavaScript costs its sender nothing: it must not raise every
    phone's price. It keeps the flood on, so it never gets into the queue for free."""
    fill_up(app)
    client = app.test_client()
    record_stored(app, 16 * BUSY_AT, held=True)
    assert bits_of(busy_challenge(client, "10.7.0.1")) == BITS
    record_stored(app, BUSY_AT)  # twice the threshold into the queue: one bit more
    assert bits_of(busy_challenge(client, "10.7.0.2")) == BITS + 1
    # An hour of held reports alone is still a flood: without proof, held.
    with app.app_context():
        assert proof.difficulty(BUSY_AT * 16, BUSY_AT, 0, queued_last_hour=0) == BITS
