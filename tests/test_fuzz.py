"""No input gives a 5xx: every route and method, fuzzed, signed in and out (issue 14, item 7).

Hypothesis builds each request from the rule itself: its path variables, a
query string and (for POST) a form, multipart or raw body, from values our own
pages use (real report ids, tokens, codes, CSRF tokens, field names read from
the templates and views) mixed with hostile ones (NUL, huge and negative
numbers, unicode, long strings, missing and repeated fields). Besides those,
every rule and method gets the SWEEP values in each path variable and in every
field at once, on every run. Each request starts from the same seeded database,
so a failure replays exactly; the search is derandomized and keeps no example
database, so CI sends the same requests every run. SPOTCHECK_FUZZ_EXAMPLES
(default 6) is generated requests per rule, method and role: about 3,500
requests in all, 30 s on a laptop (`SPOTCHECK_FUZZ_EXAMPLES=40` to search harder).

The plain tests at the end are the 500s the fuzzing found, each pinned down.
"""

import io
import json
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from app import create_app
from app.content.checklists import CHECKLISTS
from app.vocab import SPACES, STATUSES, WHAT
from app.web.converters import SQLITE_MAX, positive_int
from app.web.i18n import LANGUAGES
from helpers import (
    ROOT,
    TEST_CONFIG,
    act,
    add_organizer,
    csrf,
    csrf_of,
    db_rows,
    form_key,
    login,
    new_report,
)

EXAMPLES = int(os.environ.get("SPOTCHECK_FUZZ_EXAMPLES", "6"))
ROLES = ("signed-out", "moderator", "admin")
ORGANIZER_RULE = re.compile(r"^/<lang:lang>/organizers")
VARIABLE = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")

# Field and parameter names the app reads, so fuzzed bodies reach real code paths.
NAMES = sorted(
    {name for path in (ROOT / "templates").rglob("*.html")
     for name in re.findall(r'\bname="([a-z_]+)"', path.read_text())}
    | {name for path in (ROOT / "app").rglob("*.py")
       for name in re.findall(r'(?:args|form)(?:\.get(?:list)?\(|\[)\s*"(\w+)"', path.read_text())}
    | {"bbox", "zoom", "space", "what", "since", "v", "page", "view", "within", "before"}
    | {"sha256"}  # the member of POST /api/v1/timestamp's JSON body
)

BODYLESS = ("GET", "HEAD", "OPTIONS")
# Tried in every path variable, then in every field at once, for every rule, method and
# role on every run: the kinds of input that gave 500s, wherever they might land.
SWEEP = ["a\x00b", "99999999999999999999", "-1", "", "é😀\u202e\ufeff", "x" * 2000]
HOSTILE = [
    "", "0", "-1", "1", "2", "99999999999999999999", str(SQLITE_MAX), str(SQLITE_MAX + 1),
    str(-SQLITE_MAX - 2), "1e309", "nan", "inf", "-0", "١٢", "1_0", " 1 ", "0x10",
    "\x00", "a\x00b", "1\x00", "../../etc/passwd", "..", "%", "%00", "%zz", "\\", "//x",
    "<script>alert(1)</script>", "'\"", "\r\nX-Injected: 1", "null", "[]", "{}",
    "9" * 5000, "é" * 3000, "😀" * 200, "\u202e", "\ufeff", "\ud7ff", "Ａ",
    "0,0,1,1", "-180,-90,180,90", "1,1,0,0", "2026-02-30", "9999-12-31", "0001-01-01",
    "on", "yes", "off", "admin", "moderator", "publish", "list", "map", "pick", "png", "svg",
    *SPACES, *WHAT, *STATUSES,
]
HOSTILE_TEXT = st.one_of(
    st.sampled_from(HOSTILE + SWEEP),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.text(max_size=30),
)
HEADER_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40)


@dataclass
class Seeded:
    """One app with a little of everything in it, and the way back to that state."""

    app: object
    cookie: dict  # role -> Cookie header value
    csrf: dict  # role -> CSRF token
    known: dict  # path variable name -> real values
    values: list  # every real value, for any field
    snapshots: dict  # database path -> in-memory copy

    def restore(self) -> None:
        for path, copy in self.snapshots.items():
            with closing(sqlite3.connect(path)) as target:
                copy.backup(target)


def tiny_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Iterator[Seeded]:
    instance = tmp_path_factory.mktemp("fuzz") / "instance"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SPOTCHECK_INSTANCE_PATH", str(instance))
        # A public address, as a real server has: posters refuse a local one.
        app = create_app({**TEST_CONFIG, "PUBLIC_BASE_URL": "https://spotcheck.example"})
    ids = {name: add_organizer(app, name, role)
           for name, role in (("ada", "admin"), ("mo", "moderator"), ("cy", "moderator"))}
    visitor = app.test_client()
    receipts = [new_report(visitor), new_report(visitor, city="Taipei", latitude="25.03",
                                                longitude="121.56")]
    poster = visitor.post("/en/posters/", data={"destination": "home", "languages": "en",
                                               "format": "a4", "headline": "check"})
    html = poster.get_data(as_text=True)
    poster_code = re.search(r"/en/posters/([0-9A-Z]{6})/poster\.pdf", html)[1]
    manage_token = re.search(r"/posters/manage/([^\"<\s]+)", html)[1]

    cookie, tokens, clients = {"signed-out": None}, {"signed-out": None}, {}
    for role, name in (("admin", "ada"), ("moderator", "mo")):
        clients[role] = app.test_client()
        assert login(clients[role], name).status_code == 302
        session = clients[role].get_cookie("spotcheck_organizer")
        cookie[role] = f"{session.key}={session.value}"
        tokens[role] = csrf(clients[role])
    # Live one-time links (cy's reset, before anyone signs in as cy).
    page = clients["admin"].post("/en/organizers/accounts/invite",
                                 data={"csrf_token": tokens["admin"], "username": "bo"})
    invite = re.search(r"/organizers/invite/([^\"<\s]+)", page.get_data(as_text=True))[1]
    page = clients["admin"].post(f"/en/organizers/accounts/{ids['cy']}/reset",
                                 data={"csrf_token": tokens["admin"]})
    reset = re.search(r"/organizers/reset/([^\"<\s]+)", page.get_data(as_text=True))[1]
    # A published report, its public page, and a response from the place (issue 31).
    assert act(clients["admin"], 2, "publish", public=["city"]).status_code == 200
    public_id = db_rows(app, "SELECT public_id FROM report WHERE id = 2")[0][0]
    form = visitor.get(f"/en/published/{public_id}/respond").get_data(as_text=True)
    visitor.post(f"/en/published/{public_id}/respond", data={
        "idempotency_key": re.search(r'name="idempotency_key" value="([^"]+)"', form)[1],
        "role": "Manager", "body": "We checked the room.", "asks": "publish"})
    known = {
        "public_id": [public_id],
        "response_id": ["1"],
        "lang": list(LANGUAGES),
        "space": list(CHECKLISTS),
        "report_id": ["1", "2"],
        "organizer_id": [str(i) for i in ids.values()],
        "code": [poster_code, receipts[0]],
        "token": [invite, reset, manage_token],
        "kind": ["svg", "png"],
        "filename": ["css/app.css", "js/map.js", "icons/icon.svg"],
    }
    values = sorted({v for vs in known.values() for v in vs}
                    | {*receipts, form_key(visitor), tokens["admin"], tokens["moderator"]})
    snapshots = {}
    limits = app.config["LIMITS_DATABASE"] or Path(app.instance_path) / "limits.sqlite3"
    for path in (app.config["DATABASE"], str(limits)):
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        with closing(sqlite3.connect(path)) as source:
            source.backup(copy)
        snapshots[path] = copy
    yield Seeded(app, cookie, tokens, known, values, snapshots)
    for copy in snapshots.values():
        copy.close()


def path_with(rule: str, value_of) -> str:
    """The rule's path with each <variable> replaced by value_of(its name), URL-quoted."""
    return VARIABLE.sub(lambda m: quote(value_of(m[2]), safe="/" if m[1] == "path" else ""),
                        rule)


def as_request(seeded: Seeded, role: str, url: str, query: list, body: tuple = ("none",),
               headers: dict | None = None) -> tuple:
    """(url, headers, body) as the test sends it; the body is built at send time."""
    if query:
        url += "?" + urlencode(query)
    headers = {"Sec-Fetch-Site": "same-origin", **(headers or {})}
    if seeded.cookie[role]:
        headers["Cookie"] = seeded.cookie[role]
    return url, headers, body


def send(client, method: str, request: tuple):
    url, headers, (kind, *body) = request
    if kind == "raw":
        data, content_type = body
    elif kind in ("form", "multipart"):
        fields, photo = body
        data = MultiDict(fields)
        if photo is not None:  # a fresh file each time: a sent one is read to its end
            data.add("photo", (io.BytesIO(photo[1]), photo[0]))
        content_type = ("multipart/form-data" if kind == "multipart"
                        else "application/x-www-form-urlencoded")
    else:
        return client.open(url, method=method, headers=headers)
    return client.open(url, method=method, headers=headers, data=data,
                       content_type=content_type)


def swept(seeded: Seeded, rule: str, method: str, role: str) -> list[tuple]:
    """The SWEEP requests for one rule and method."""
    token = [("csrf_token", seeded.csrf[role])] if seeded.csrf[role] else []
    variables = set(VARIABLE.findall(rule)) - {("lang", "lang")}
    real_path = path_with(rule, lambda name: seeded.known[name][0])
    requests = []
    for value in SWEEP:
        if variables:
            url = path_with(rule, lambda name, v=value: "en" if name == "lang" else v)
            requests.append(as_request(seeded, role, url, [], ("form", token, None)))
        everything = [(name, value) for name in NAMES]
        if method in BODYLESS:
            requests.append(as_request(seeded, role, real_path, everything))
        else:
            requests.append(as_request(seeded, role, real_path, [],
                                       ("form", token + everything, None)))
            # A JSON API's body (the timestamps): the value as the body, and as its member.
            for body in (value, json.dumps({"sha256": value})):
                requests.append(as_request(seeded, role, real_path, [],
                                           ("raw", body, "application/json")))
    return requests


@st.composite
def fuzzed_request(draw, rule: str, method: str, seeded: Seeded, role: str) -> tuple:
    """Real values mixed with hostile ones, fields missing, repeated and out of order."""
    values = st.one_of(st.sampled_from(seeded.values), HOSTILE_TEXT)

    def path_value(name: str) -> str:
        if name == "lang" and draw(st.integers(0, 9)):  # a wrong one only meets the 404 page
            return draw(st.sampled_from(seeded.known["lang"]))
        return draw(st.one_of(st.sampled_from(seeded.known[name]), HOSTILE_TEXT))

    url = path_with(rule, path_value)
    query = draw(st.lists(st.tuples(st.sampled_from(NAMES), values), max_size=5))
    headers = {"Sec-Fetch-Site": draw(st.sampled_from(
        ["same-origin", "same-origin", "same-origin", "none", "cross-site"]))}
    for name, choices in (("HX-Request", st.just("true")),
                          ("Accept-Language", HEADER_TEXT),
                          ("If-None-Match", HEADER_TEXT),
                          ("Accept-Encoding", st.sampled_from(["br", "gzip", "*;q=0", ""]))):
        if draw(st.booleans()):
            headers[name] = draw(choices)
    body: tuple = ("none",)
    if method not in BODYLESS:
        kind = draw(st.sampled_from(["form", "form", "multipart", "raw", "json"]))
        if kind == "json":  # a JSON API's body (the timestamps): members and values mixed
            members = draw(st.lists(st.tuples(st.sampled_from(NAMES), st.one_of(
                values, st.none(), st.integers(), st.lists(values, max_size=2))), max_size=3))
            body = ("raw", json.dumps(dict(members)), "application/json")
        elif kind == "raw":
            body = ("raw", draw(st.binary(max_size=300)), draw(st.sampled_from(
                ["application/x-www-form-urlencoded", "multipart/form-data",
                 "multipart/form-data; boundary=x", "application/json", "text/plain"])))
        else:
            names = st.one_of(st.sampled_from(NAMES), st.text(max_size=12))
            fields = draw(st.lists(st.tuples(names, values), max_size=8))
            if seeded.csrf[role] and draw(st.integers(0, 4)):  # usually the right token
                fields.insert(0, ("csrf_token", seeded.csrf[role]))
            photo = None
            if kind == "multipart" and draw(st.booleans()):
                photo = (draw(st.sampled_from(["a.png", "a.jpg", "a.heic", "", "a\x00.png"])),
                         draw(st.one_of(st.just(tiny_png()), st.binary(max_size=200))))
            body = (kind, fields, photo)
    return as_request(seeded, role, url, query, body, headers)


def rules_for(app, role: str) -> list[tuple[str, str]]:
    """(rule, method) pairs to fuzz: all of them signed out, the organizers' area signed in
    (a session changes nothing on public pages: the guard only reads it there)."""
    return sorted({(rule.rule, method) for rule in app.url_map.iter_rules()
                   for method in rule.methods
                   if role == "signed-out" or ORGANIZER_RULE.match(rule.rule)})


def fuzz_rule(seeded: Seeded, rule: str, method: str, role: str) -> None:
    client = seeded.app.test_client(use_cookies=False)

    def no_server_error(request):
        seeded.restore()
        # TESTING propagates exceptions, so a crash fails here with its traceback.
        response = send(client, method, request)
        assert response.status_code < 500, (method, request[0], response.status_code)
        response.close()

    test = given(fuzzed_request(rule, method, seeded, role))(no_server_error)
    if method != "OPTIONS":  # answered by Werkzeug itself, whatever is sent
        for request in swept(seeded, rule, method, role):
            test = example(request)(test)
    settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
             suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])(test)()


@pytest.mark.parametrize("role", ROLES)
def test_no_request_gets_a_server_error(seeded, role):
    pairs_fuzzed = rules_for(seeded.app, role)
    assert len(pairs_fuzzed) > (40 if role == "signed-out" else 20)  # the map is all there
    for rule, method in pairs_fuzzed:
        fuzz_rule(seeded, rule, method, role)


def test_every_rule_is_fuzzed_with_values_it_can_match(seeded):
    """Each path variable has real values, or every example of it would only reach a 404."""
    variables = {name for rule in seeded.app.url_map.iter_rules()
                 for name in rule.arguments}
    assert sorted(variables - seeded.known.keys()) == []


# -- what the fuzzing found ----------------------------------------------------------


def test_nul_in_a_static_path_is_a_404(client):
    # The OS refused the name with ValueError: a 500.
    assert client.get("/static/a%00b.css").status_code == 404
    assert client.get("/static/css/app.css%00").status_code == 404


HUGE = "99999999999999999999"


@pytest.mark.parametrize("path", [
    f"/en/organizers/reports/{HUGE}", f"/en/organizers/reports/{HUGE}/photo",
    f"/en/organizers/reports/{SQLITE_MAX + 1}", "/en/organizers/reports/0",
])
def test_ids_sqlite_cannot_hold_are_a_404(admin, path):
    # sqlite3 raised OverflowError for ids past 2**63 - 1.
    assert admin.get(path).status_code == 404


@pytest.mark.parametrize("action", ["publish", "reject", "duplicate", "ask"])
def test_huge_ids_in_action_urls_are_a_404(admin, action):
    token = csrf(admin)
    response = admin.post(f"/en/organizers/reports/{HUGE}/{action}", data={"csrf_token": token})
    assert response.status_code == 404


def test_the_largest_id_sqlite_holds_is_still_an_id(admin):
    assert admin.get(f"/en/organizers/reports/{SQLITE_MAX}").status_code == 404  # no such report
    new_report(admin)
    assert admin.get("/en/organizers/reports/1").status_code == 200


@pytest.mark.parametrize("path", ["/en/organizers/", "/en/organizers/audit",
                                  "/en/organizers/posters"])
@pytest.mark.parametrize("before", [HUGE, f"-{HUGE}", "0", "١", "1\x00"])
def test_a_cursor_sqlite_cannot_hold_shows_the_first_page(admin, path, before):
    response = admin.get(path, query_string={"before": before})
    assert response.status_code == 200


def test_a_huge_version_is_a_conflict_and_changes_nothing(admin):
    new_report(admin)
    page = admin.get("/en/organizers/reports/1").get_data(as_text=True)
    response = admin.post("/en/organizers/reports/1/publish",
                          data={"csrf_token": csrf_of(page), "version": HUGE, "public": "city"})
    assert response.status_code == 409
    assert "Another organizer changed this report" in response.get_data(as_text=True)
    assert admin.get("/en/organizers/?status=published").get_data(as_text=True).count(
        "/en/organizers/reports/1") == 0


def test_a_huge_original_is_not_a_report(admin):
    new_report(admin)
    page = admin.get("/en/organizers/reports/1").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page)[1]
    response = admin.post("/en/organizers/reports/1/duplicate",
                          data={"csrf_token": csrf_of(page), "version": version,
                                "original": HUGE})
    assert response.status_code == 400
    assert "Give the number of another existing report." in response.get_data(as_text=True)


@pytest.mark.parametrize("text", ["1", "42", str(SQLITE_MAX)])
def test_positive_int_takes_what_sqlite_holds(text):
    assert positive_int(text) == int(text)


@pytest.mark.parametrize("text", ["", "0", "-1", str(SQLITE_MAX + 1), HUGE, "9" * 5000, "١",
                                  " 1", "1_0", "+1", "1\x00", "0x1"])
def test_positive_int_refuses_the_rest(text):
    with pytest.raises(ValueError):
        positive_int(text)
