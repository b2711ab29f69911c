"""Languages: the /<lang>/ URL prefix, Accept-Language negotiation, Flask-Babel.

Every page lives under exactly one language code, so a URL is always one
language and can be cached as such. Only `GET /` looks at Accept-Language.
"""

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from babel.core import get_global, parse_locale
from babel.support import NullTranslations, Translations
from flask import Flask, current_app, g, has_request_context, request, url_for
from flask_babel import Babel, Domain, get_locale
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header
from werkzeug.routing import BaseConverter

from .links import public_url


@dataclass(frozen=True)
class Language:
    code: str  # in URLs
    locale: str  # Babel's name, and the catalog folder in app/translations/
    html_lang: str  # BCP 47, for <html lang> and hreflang
    name: str  # its own name, as the language menu shows it
    # An overlay's catalog holds only the strings where it differs; the rest
    # come from this base locale's catalog.
    base: str | None = None


LANGUAGES = {
    lang.code: lang
    for lang in (
        Language("en", "en", "en", "English"),
        Language("zh-hans", "zh_Hans", "zh-Hans", "简体中文"),
        Language("zh-hant", "zh_Hant", "zh-Hant", "繁體中文"),
        # Hong Kong and Macau: Traditional characters, but 酒店 not 飯店, 網絡 not 網路.
        Language("zh-hk", "zh_Hant_HK", "zh-Hant-HK", "繁體中文（香港）", base="zh_Hant"),
    )
}
BASE_LOCALES = {lang.locale: lang.base for lang in LANGUAGES.values() if lang.base}


class LanguageConverter(BaseConverter):
    """Matches only the language codes we serve, so /fr/ is a plain 404."""

    regex = "|".join(LANGUAGES)


def language_for_tag(tag: str) -> str | None:
    """Map one Accept-Language tag to a URL language code, or None.

    Chinese is decided by script, then region: zh-TW reads Traditional
    characters with Taiwan's words, zh-HK, zh-MO and Cantonese (yue) Traditional
    with Hong Kong's, zh-CN and zh-SG Simplified. Werkzeug's best_match would
    send zh-TW to whichever Chinese came first, so we ask Babel instead.
    """
    # A POSIX modifier ("zh-HK@x") is no part of a language tag: no language we serve.
    if "@" in tag:
        return None
    try:
        language, territory, script = parse_locale(tag.replace("_", "-"), sep="-")[:3]
    except ValueError:
        return None
    language = language.lower()
    if language == "en":
        return "en"
    if language not in ("zh", "yue"):
        return None
    if not script:
        likely = get_global("likely_subtags")
        guess = likely.get(f"{language}_{territory}") or likely.get(language, "zh_Hans")
        script = parse_locale(guess)[2]
    if not (script and script.title() == "Hant"):
        return "zh-hans"
    hong_kong = language == "yue" or (territory or "").upper() in ("HK", "MO")
    return "zh-hk" if hong_kong else "zh-hant"


def negotiate(header: str | None, default: str) -> str:
    """The best language code for an Accept-Language header."""
    for tag, quality in parse_accept_header(header or "", LanguageAccept):
        if quality > 0 and (code := language_for_tag(tag)):
            return code
    return default


def current_language() -> Language:
    """The language of this request: from the URL when it has one."""
    if not has_request_context():
        return LANGUAGES[current_app.config["DEFAULT_LANGUAGE"]]
    if "language" not in g:
        code = (
            g.get("lang")
            or _language_in_path()
            or negotiate(
                request.headers.get("Accept-Language"), current_app.config["DEFAULT_LANGUAGE"]
            )
        )
        g.language = LANGUAGES[code]
    language: Language = g.language
    return language


def _language_in_path() -> str | None:
    # For pages no route matched (404s), so the error is in the URL's language.
    first = request.path.strip("/").split("/", 1)[0]
    return first if first in LANGUAGES else None


def switch_language_url(code: str, external: bool = False) -> str:
    """The same page in another language, or that language's home page.

    `external` gives an absolute URL, as <link rel="alternate" hreflang> needs,
    on the configured PUBLIC_BASE_URL: public pages are cached, so a forged Host
    header must never end up in one.
    """
    rule = request.url_rule
    if (
        rule is not None
        and "lang" in rule.arguments
        and request.method in ("GET", "HEAD")
        and "GET" in (rule.methods or ())
    ):
        endpoint = rule.endpoint
        values: dict[str, Any] = {**request.args.to_dict(flat=False),
                                  **(request.view_args or {}), "lang": code}
    else:
        endpoint, values = "home.index", {"lang": code}
    return (public_url if external else url_for)(endpoint, **values)


def _pull_lang(endpoint: str | None, values: dict[str, Any] | None) -> None:
    if values and "lang" in values:
        g.lang = values.pop("lang")


def _push_lang(endpoint: str, values: dict[str, Any]) -> None:
    if "lang" not in values and current_app.url_map.is_endpoint_expecting(endpoint, "lang"):
        values["lang"] = current_language().code


def _template_globals() -> dict[str, object]:
    return {
        "language": current_language(),
        "languages": LANGUAGES.values(),
        "switch_language_url": switch_language_url,
    }


# Forms a variety writes its own way wherever they occur, applied to its overlay and
# to its base catalog as they are loaded, so the overlay need not copy every base
# string that has one. Hong Kong (docs/glossary.md): 裏 is the standard form in
# its list of characters (常用字字形表), where Taiwan writes 裡; Hong Kong writers
# say 甚麼, and 舉報 and 提交 where Taiwan says 通報 and 送出.
# Each form is a pattern, so a word that only contains it is left alone: 傳送出去 is
# "send it out", not 傳 + 送出 (submit).
RESPELLINGS: dict[str, tuple[tuple[str, str], ...]] = {"zh_Hant_HK": (
    ("裡", "裏"), ("什麼", "甚麼"), ("通報", "舉報"), ("(?<!傳)送出", "提交"),
)}
_RESPELL = {locale: [(re.compile(form), own) for form, own in forms]
            for locale, forms in RESPELLINGS.items()}


def respell(locale: str, text: str) -> str:
    """`text` in `locale`'s own forms (RESPELLINGS)."""
    for pattern, own in _RESPELL.get(locale, ()):
        text = pattern.sub(own, text)
    return text


def _respelled(translations: NullTranslations, locale: str) -> NullTranslations:
    catalog = getattr(translations, "_catalog", None)  # absent when no .mo was found
    if catalog is not None and locale in RESPELLINGS:
        # A fresh object per load, so the base locale's own pages keep their forms.
        translations._catalog = {
            key: respell(locale, text) if isinstance(text, str) else text
            for key, text in catalog.items()
        }
    return translations


def load_translations(directory: str, locale: str) -> NullTranslations:
    """One locale's catalog, with its base catalog behind it if it is an overlay.

    Both are read in the locale's own character forms (RESPELLINGS).
    """
    translations = _respelled(Translations.load(directory, [locale]), locale)
    if base := BASE_LOCALES.get(locale):
        # gettext alone would stop at the first catalog it finds.
        translations.add_fallback(_respelled(Translations.load(directory, [base]), locale))
    return translations


# Flask-Babel's Domain and Babel have no annotations (the no-untyped-call ignores below).
_Catalogs = dict[tuple[str, str], NullTranslations]


class _OverlayDomain(Domain):
    """Flask-Babel's message domain, aware of overlay catalogs."""

    def get_translations(self) -> NullTranslations:
        locale = get_locale()
        if locale is None:
            return NullTranslations()
        cache: _Catalogs = self.get_translations_cache(None)  # type: ignore[no-untyped-call]
        key = (str(locale), self.domain[0])
        if key not in cache:
            cache[key] = load_translations(self.translation_directories[0], str(locale))
        return cache[key]


class _Babel(Babel):
    @cached_property
    def domain_instance(self) -> Domain:
        return _OverlayDomain(domain=self.domain)  # type: ignore[no-untyped-call]


def init_app(app: Flask) -> None:
    app.url_map.converters["lang"] = LanguageConverter
    app.url_value_preprocessor(_pull_lang)
    app.url_defaults(_push_lang)
    app.context_processor(_template_globals)
    _Babel(app, locale_selector=lambda: current_language().locale)  # type: ignore[no-untyped-call]
