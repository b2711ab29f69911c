"""The takedown kit's tests: destinations of every letter language, and the app
serving them to a browser.

The real destinations are filled in app/content/takedown/ (help.py, platforms.py)
by others; these stand in for them, so the letters are tested against known
rules: Telegram in English (an e-mail address, not a TAKE IT DOWN Act platform
here), X in English (a form, covered by the Act), Weibo in Simplified Chinese and
Taiwan's centre in Traditional Chinese.
"""

import threading

import pytest
from flask_babel import lazy_gettext as _l
from werkzeug.serving import WSGIRequestHandler, make_server

from app import create_app
from app.content import takedown
from app.content.takedown import Destination
from helpers import TEST_CONFIG

_NEEDS = _l("The links, where and when you found them, and proof of who you are.")


def _destination(key, name, language, rule, **extra):
    return Destination(key, name, "platform", None, _NEEDS, _NEEDS, _NEEDS, language, _NEEDS,
                       ("https://example.org/",), "2026-12-06", rule=rule, **extra)


LETTERS_DESTINATIONS = (
    _destination("telegram", "Telegram", "en", "Telegram's Terms of Service",
                 email="abuse@telegram.org", url="https://telegram.org/faq"),
    _destination("x", "X", "en", "X's non-consensual nudity policy",
                 url="https://help.x.com/forms/intimate-media", take_it_down_act=True),
    _destination("weibo", "微博", "zh-hans", "《微博社区公约》", url="https://service.account.weibo.com/"),
    _destination("tw-siarc", "性影像處理中心", "zh-hant", "性影像處理中心的受理規定",
                 url="https://siarc.mohw.gov.tw/"),
)


@pytest.fixture
def letter_destinations(monkeypatch):
    """The four destinations above, as the app's only ones."""
    from app.takedown import views
    monkeypatch.setattr(takedown, "DESTINATIONS", LETTERS_DESTINATIONS)
    monkeypatch.setattr(takedown, "BY_KEY", {d.key: d for d in LETTERS_DESTINATIONS})
    # The page lists them too (views.py imports the tuple by name, for now).
    monkeypatch.setattr(views, "DESTINATIONS", LETTERS_DESTINATIONS, raising=False)
    return LETTERS_DESTINATIONS


class _Quiet(WSGIRequestHandler):
    def log(self, *args: object) -> None:  # no client address written anywhere
        pass


@pytest.fixture
def kit_server(migrated, letter_destinations):
    """The app with those destinations, served from this process on a loopback port
    (the suite's gunicorn server runs the real, unfinished lists)."""
    app = create_app(TEST_CONFIG)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}"
    server.flask_app = app
    yield server
    server.shutdown()
    thread.join()
