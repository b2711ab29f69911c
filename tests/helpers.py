"""What several test modules share: settings, the steps a test takes, and page-text checks.

Plain functions and constants, imported as `from helpers import ...`; conftest.py
builds its fixtures (`app`, `auth`, `admin`) from them. No test module imports
another test module or conftest.py (tests/test_architecture.py checks).
"""

import io
import itertools
import os
import re
import secrets
from contextlib import closing
from html.parser import HTMLParser
from pathlib import Path

import pyotp
import pytest
from flask import url_for

from app.content.checklists import CHECKLISTS
from app.db import connect
from app.map import publish as public_map
from app.organizers import accounts
from app.web.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent

# A cheaper password hash keeps the suite fast; organizers/test_views.py checks
# the real default.
TEST_CONFIG = {"TESTING": True, "PASSWORD_SCRYPT_N": 2**10, "SETUP_LINK_ON_START": False}

# Every value a URL argument can take, so tests can visit every page.
URL_ARGUMENTS = {"lang": list(LANGUAGES), "space": list(CHECKLISTS), "token": ["not-a-token"],
                 "report_id": [1], "organizer_id": [1], "code": ["ZZZZZZ"], "kind": ["svg"],
                 "public_id": ["0123456789abcdef"], "response_id": [1]}

PASSWORD = "correct horse battery staple"
# What new_report sends unless told otherwise: the two fields a report needs.
NEW_REPORT = {"space": "hotel-room", "what": "found"}
RECEIPT = re.compile(r'data-receipt="([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})"')


def public_urls(app) -> list[str]:
    """Every GET page of the app, in every language: what a visitor can open."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        unknown = rule.arguments - URL_ARGUMENTS.keys()
        if unknown:
            raise AssertionError(f"add values for {unknown} ({rule.rule}) to URL_ARGUMENTS")
        names = sorted(rule.arguments)
        for values in itertools.product(*(URL_ARGUMENTS[name] for name in names)):
            with app.test_request_context():
                urls.append(url_for(rule.endpoint, **dict(zip(names, values, strict=True))))
    return sorted(set(urls))


def db_rows(app, sql, params=()):
    """Rows straight from the app's database, on a connection of their own."""
    with closing(connect(app.config["DATABASE"])) as conn:
        return conn.execute(sql, params).fetchall()


def stored_reports(app) -> list:
    """Every row of the report table."""
    return db_rows(app, "SELECT * FROM report")


def stored_photos(app) -> list[bytes]:
    """The stored photos (WebP), in the order of their reports: they live in the database."""
    return [row[0] for row in db_rows(app, "SELECT webp FROM report_photo ORDER BY report_id")]


# -- organizers ---------------------------------------------------------------------

def add_organizer(app, username="ada", role="admin", password=PASSWORD) -> int:
    """A new organizer account; its id."""
    with app.test_request_context():
        return accounts.create_organizer(username, role, password)


def login(client, username="ada", password=PASSWORD, code="", **kwargs):
    return client.post("/en/organizers/login", data={"username": username, "password": password,
                                                     "code": code}, **kwargs)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html)[1]


def csrf(client, url="/en/organizers/") -> str:
    """The CSRF token of a signed-in client, read from one of its pages."""
    return csrf_of(client.get(url).get_data(as_text=True))


def act(client, report_id, action, **data):
    """A review action (publish, reject, duplicate, ask) from the report's current card."""
    page = client.get(f"/en/organizers/reports/{report_id}").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page)[1]
    return client.post(f"/en/organizers/reports/{report_id}/{action}",
                       data={"csrf_token": csrf_of(page), "version": version, **data})


# -- reports ------------------------------------------------------------------------

def form_key(client, lang="en", query="") -> str:
    """The idempotency key of a fresh report form."""
    html = client.get(f"/{lang}/report{query}").get_data(as_text=True)
    return re.search(r'name="idempotency_key" value="([^"]+)"', html)[1]


def submit(client, lang="en", key=None, photo=None, headers=None, **fields):
    """Send the report form as a browser does; `photo` is (file name, bytes)."""
    data = {"idempotency_key": key or form_key(client, lang), **fields}
    if photo is not None:
        data["photo"] = (io.BytesIO(photo[1]), photo[0])
    return client.post(f"/{lang}/report", data=data, headers=headers or {},
                       content_type="multipart/form-data")


def receipt_of(response) -> str | None:
    match = RECEIPT.search(response.get_data(as_text=True))
    return match[1] if match else None


def new_report(client, **fields) -> str:
    """A report (NEW_REPORT, then `fields`) sent through the form; its receipt code."""
    response = client.post("/en/report", data={"idempotency_key": form_key(client),
                                               **NEW_REPORT, **fields})
    return re.search(r'data-receipt="([^"]+)"', response.get_data(as_text=True))[1]


# -- the map ------------------------------------------------------------------------

def insert_published(app, rows: list[dict]) -> None:
    """Many published reports straight into the database, then a map rebuild.

    Each row has "lat" and "lon", and may have space, what, venue, city, day and
    verification (the level: corroborated unless given, so a venue shows).
    """
    with closing(connect(app.config["DATABASE"])) as db:
        db.executemany(
            "INSERT INTO report (idempotency_hash, receipt_sealed, receipt_hash, status, space, "
            "what, venue, city, latitude, longitude, submitted_on, public_fields, reviewed_on, "
            "verification) VALUES (?, x'00', ?, 'published', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(secrets.token_hex(16), secrets.token_hex(16), r.get("space", "restroom"),
              r.get("what", "found"), r.get("venue"), r.get("city"), r["lat"], r["lon"],
              r.get("day", "2026-01-01"), '["city", "location", "venue"]',
              r.get("day", "2026-01-01"), r.get("verification", "corroborated")) for r in rows])
        db.commit()
        public_map.rebuild(db, app.config["LOCATION_GRID_METRES"])


# -- what a page says -------------------------------------------------------------------

class VisibleText(HTMLParser):
    """The text a reader sees, plus attribute text a screen reader speaks."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head"):
            self._skip += 1
        for name, value in attrs:
            if name in ("aria-label", "alt", "title") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


# Latin-script words that belong in Chinese pages too: names, brands, units.
ALLOWED_LATIN = {
    "SpotCheck",
    # How to open the CSV export: programs and a character set, named as their menus show them.
    "Excel",
    "LibreOffice",
    "Unicode",
    "UTF-",
    "English",
    "EN",  # the folded language menu's label, "EN · 中文", the same on every page
    "MaskPark",
    "Wi-Fi",
    "USB",
    "IP",
    "Cookie",
    "CAM",
    "IPC",
    "B",
    "StopNCII.org",
    "StopNCII",  # as the takedown kit names it in its last step
    "TAKE", "IT", "DOWN",  # the US TAKE IT DOWN Act, by its name (the kit's letters)
    "Take",
    "It",
    "Down",
    "NCMEC",
    "RainLily",
    "Revenge",
    "Porn",
    "Helpline",
    "eSafety",
    "Commissioner",
    "CCRI",
    "Telegram",
    "App",
    "iPhone",
    "Safari",
    # Names and formats a Chinese page writes as they are.
    "JavaScript",
    "QR",
    "Code",
    "LINE",
    "Letter",
    "A",
    "PNG",
    "HEIC",
    "MB",
    "JPEG",
    "WebP",
    # Names of services and platforms, and what they call their numbers.
    "Airbnb",
    "Facebook",
    "Instagram",
    "TikTok",
    "PIN",
    "PULSE",
    "Ta-DA",
    "Yorisoi",
    "Samaritans",
    "Lifeline",
    "Netsafe",
    "SHECARES",
    "SCWO",
    "Talian",
    "Kasih",
    "iWIN",
    # Phones, apps and help lines the home checklist names as they are.
    "Apple",
    "Google",
    "Android",
    "iOS",
    "AirTag",
    "QQ",
    "MDM",
    "Play",
    "DV",
    "START",
    "RESPECT",
    "Women’s",
    "Aid",
    "Refuge",
}


def untranslated_words(text: str) -> set[str]:
    # Web addresses are shown as they are; drop them before looking for English.
    text = re.sub(r"\b(?:[\w-]+\.)+[a-z]{2,}\b(?:/[\w./?=&%-]*)?", "", text)
    # Section numbers of laws (Crimes Ordinance s. 159AAB) and the English a reader must say
    # to police abroad.
    text = re.sub(r"(?<![A-Za-z])\d+(?:\.\d+)?[A-Z]{1,3}(?![A-Za-z])|crime reference number", "",
                  text)
    # So are a poster's short link and the names of settings (PUBLIC_BASE_URL).
    text = re.sub(r"\S+/p/[0-9A-Z]{6}\b|\b[A-Z]+(?:_[A-Z]+)+\b", "", text)
    return {w for w in re.findall(r"[A-Za-z][A-Za-z.'’-]*", text) if w not in ALLOWED_LATIN}


# -- node_modules -----------------------------------------------------------------------

def node_package(name: str) -> Path:
    """node_modules/<name>, installed by `npm ci` (scripts/test runs it).

    Missing, a check against it is skipped on a developer's machine, but fails
    where the CI environment variable is set: there it must have been installed.
    """
    path = ROOT / "node_modules" / name
    if not (path / "package.json").is_file():
        message = f"node_modules/{name} is missing: run `npm ci` (scripts/test does) to check it"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; CI={os.environ['CI']} must install it")
        pytest.skip(message)
    return path


# -- Organizers' second factor (tests/organizers/): a fixed clock and its codes -------------

TWO_STEP = "/en/organizers/two-factor"
START = 1_800_000_000  # a fixed clock, a multiple of 30: step START // 30 begins here


def code_at(secret: str, seconds: float) -> str:
    return pyotp.TOTP(secret).at(seconds)


def turn_on(client, password=PASSWORD, at=START) -> str:
    """Turn the second factor on from the page's own key; its secret."""
    page = client.get(TWO_STEP).get_data(as_text=True)
    secret = re.search(r'name="secret" value="([A-Z2-7]{32})"', page)[1]
    response = client.post(TWO_STEP, data={"csrf_token": csrf_of(page), "secret": secret,
                                           "password": password, "code": code_at(secret, at)})
    assert response.status_code == 302
    return secret


def audit(app) -> list[tuple]:
    """The audit log's lines: (organizer_id, action, report_id, detail), oldest first."""
    return [tuple(r) for r in db_rows(
        app, "SELECT organizer_id, action, report_id, detail FROM audit_log ORDER BY id")]


# -- Posts from older browsers, which send no Sec-Fetch-Site, and the post token -----------

# What Safari before 16.4 sends with our own plain form under Referrer-Policy:
# no-referrer, and what a sandboxed frame on any other site sends too.
OLD_BROWSER = {"Origin": "null"}


def field(html: str, name: str) -> str | None:
    """The value of the form field `name` in a page, or None."""
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    return match[1] if match else None
