"""The takedown kit's destinations as data (app/content/takedown/): every field, a source, a date.

Every destination, those who act for her (help.py) and the platforms (platforms.py) alike,
is read through `DESTINATIONS`, in each of the four languages: a field that is empty, or
left in English in a Chinese catalog, would send her somewhere with half a sentence.
"""

import re
from datetime import date
from typing import get_args

import pytest
from flask_babel import LazyString, force_locale

from app.content.regions import REGIONS
from app.content.takedown import BY_KEY, DESTINATIONS, KINDS, LetterLanguage
from app.web.i18n import LANGUAGES

REQUIRED = ("name", "what", "needs", "how", "response")
OPTIONAL = ("ignores", "limit", "rule")
KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
HTTPS = re.compile(r"https://[a-z0-9.-]+\.[a-z]{2,}(?:[/?#]\S*)?", re.IGNORECASE)
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
PHONE = re.compile(r"\+?[0-9][0-9 -]{1,18}[0-9]|#?[0-9]{3,}")
LOCALES = [lang.locale for lang in LANGUAGES.values()]
# Those who act for her, as issue 30 names them (help.py): each must stay in the kit.
HELP_KEYS = {"tw-siarc", "hk-tada", "kr-d4u", "gb-rph", "us-ccri", "au-esafety", "cn-12377",
             "tw-iwin", "hk-pcpd", "us-take-it-down-act", "stopncii", "ncmec-take-it-down"}


def by_key(destination) -> str:
    return destination.key


def test_keys_are_unique_and_lowercase():
    keys = [d.key for d in DESTINATIONS]
    assert len(keys) == len(set(keys)) == len(BY_KEY), "a key names one destination"
    for key in keys:
        assert KEY.fullmatch(key), key


def test_those_who_act_for_her_are_all_there():
    assert not HELP_KEYS - set(BY_KEY), HELP_KEYS - set(BY_KEY)
    assert BY_KEY["au-esafety"].kind == "national"
    assert {BY_KEY[k].kind for k in ("stopncii", "ncmec-take-it-down")} == {"hash"}
    assert {BY_KEY[k].kind for k in ("tw-siarc", "hk-tada", "kr-d4u", "gb-rph")} == {"centre"}


@pytest.mark.parametrize("destination", DESTINATIONS, ids=by_key)
def test_where_and_when_its_facts_were_read(destination):
    assert destination.kind in KINDS
    assert destination.region is None or destination.region in REGIONS, destination.region
    assert destination.language in get_args(LetterLanguage)
    assert destination.sources, "every destination needs a source"
    for url in destination.sources + ((destination.url,) if destination.url else ()):
        assert HTTPS.fullmatch(url), url
    assert len(set(destination.sources)) == len(destination.sources)
    checked = date.fromisoformat(destination.checked)
    assert checked.isoformat() == destination.checked  # written YYYY-MM-DD
    assert checked <= date.today()
    if destination.email is not None:
        assert EMAIL.fullmatch(destination.email), destination.email
    if destination.phone is not None:
        assert PHONE.fullmatch(destination.phone), destination.phone


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("destination", DESTINATIONS, ids=by_key)
def test_every_field_reads_in_every_language(app, destination, locale):
    fields = REQUIRED + tuple(f for f in OPTIONAL if getattr(destination, f) is not None)
    with app.test_request_context():
        with force_locale("en"):
            english = {f: str(getattr(destination, f)) for f in fields}
        with force_locale(locale):
            for field in fields:
                value = getattr(destination, field)
                text = str(value).strip()
                assert text, (destination.key, field, locale)
                # A sentence left in English in a Chinese catalog: a brand name is plain str.
                if isinstance(value, LazyString) and locale != "en":
                    assert text != english[field].strip(), (destination.key, field, locale)
