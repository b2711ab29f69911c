"""Languages: the /<lang>/ URL prefix, Accept-Language negotiation, Flask-Babel.

Every page lives under exactly one language code, so a URL is always one
language and can be cached as such. Only `GET /` looks at Accept-Language.
"""

from dataclasses import dataclass

from babel.core import get_global, parse_locale
from flask import Flask, current_app, g, has_request_context, request, url_for
from flask_babel import Babel
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header
from werkzeug.routing import BaseConverter


@dataclass(frozen=True)
class Language:
    code: str  # in URLs
    locale: str  # Babel's name, and the catalog folder in app/translations/
    html_lang: str  # BCP 47, for <html lang> and hreflang
    name: str  # its own name, as the language menu shows it


LANGUAGES = {
    lang.code: lang
    for lang in (
        Language("en", "en", "en", "English"),
        Language("zh-hans", "zh_Hans", "zh-Hans", "简体中文"),
        Language("zh-hant", "zh_Hant", "zh-Hant", "繁體中文"),
    )
}


class LanguageConverter(BaseConverter):
    """Matches only the language codes we serve, so /fr/ is a plain 404."""

    regex = "|".join(LANGUAGES)


def language_for_tag(tag: str) -> str | None:
    """Map one Accept-Language tag to a URL language code, or None.

    Chinese is decided by script, then region: zh-TW, zh-HK and zh-MO read
    Traditional characters, zh-CN and zh-SG Simplified. Werkzeug's best_match
    would send zh-TW to whichever Chinese came first, so we ask Babel instead.
    """
    try:
        language, territory, script, _variant = parse_locale(tag.replace("_", "-"), sep="-")
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
    return "zh-hant" if script and script.title() == "Hant" else "zh-hans"


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
    return g.language


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
        values = {**request.args.to_dict(flat=False), **(request.view_args or {}), "lang": code}
        path = url_for(request.endpoint, **values)
    else:
        path = url_for("home.index", lang=code)
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path if external else path


def _pull_lang(endpoint: str | None, values: dict | None) -> None:
    if values and "lang" in values:
        g.lang = values.pop("lang")


def _push_lang(endpoint: str, values: dict) -> None:
    if "lang" not in values and current_app.url_map.is_endpoint_expecting(endpoint, "lang"):
        values["lang"] = current_language().code


def _template_globals() -> dict:
    return {
        "language": current_language(),
        "languages": LANGUAGES.values(),
        "switch_language_url": switch_language_url,
    }


def init_app(app: Flask) -> None:
    app.url_map.converters["lang"] = LanguageConverter
    app.url_value_preprocessor(_pull_lang)
    app.url_defaults(_push_lang)
    app.context_processor(_template_globals)
    Babel(app, locale_selector=lambda: current_language().locale)
