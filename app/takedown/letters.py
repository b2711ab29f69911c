"""The letters the kit writes on her phone: their text in each destination's language.

letters_data() gives static/js/takedown.js what it writes a letter from, as one
file the same for everyone (GET /<lang>/takedown/letters.json, kept offline with
the kit; the request carries nothing of hers): each template rendered in the
destination's language and in hers, with {placeholders} for what she types. The same templates,
with the placeholders as bracketed blanks ("[link]"), are the letters a reader
without JavaScript copies by hand.

A letter asks for removal under the destination's own rule; to a platform the US
TAKE IT DOWN Act covers, it adds the Act's 48 hours; with her region chosen, the
law line of her region card. It never holds more of her than she typed.
"""

import re
from collections.abc import Iterable

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..content import takedown as content
from ..content.regions import REGIONS
from ..content.takedown import Destination
from ..web.i18n import LANGUAGES, current_language

# A letter's parts, in order; takedown.js joins those that apply, one paragraph each.
PARTS = ("subject", "hello", "ask", "footage", "where", "line", "line_undated", "rule", "act",
         "law", "name", "contact", "thanks")
# The bracketed blank shown for each placeholder in a letter written by hand.
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# How many days after a report the tracker suggests she looks again: the Act's
# 48 hours for a covered platform, a week elsewhere (takedown.js).
CHECK_AGAIN_DAYS = {"act": 2, "other": 7}
# A letter's language, named in hers ("To X, in English").
LANGUAGE_NAMES = {"en": _l("English"), "zh-hans": _l("Simplified Chinese"),
                  "zh-hant": _l("Traditional Chinese"),
                  "zh-hk": _l("Traditional Chinese (Hong Kong)")}


def _parts() -> dict[str, str]:
    """The letter's parts in the language in force, placeholders in braces."""
    return {
        # Translators: the subject of an e-mail asking a platform to remove images.
        "subject": _("Request to remove intimate images of me posted without my consent"),
        "hello": _("Hello,"),
        "ask": _("I ask you to remove images of me that were filmed in secret and posted "
                 "without my consent."),
        # Translators: {footage} is what she wrote the images show, in her own words.
        "footage": _("What they show: {footage}"),
        "where": _("Where they are:"),
        # Translators: one line per link; {date} is a date such as 2026-12-01.
        "line": _("{link} (found on {date})"),
        "line_undated": "{link}",
        # Translators: {rule} is the platform's policy or the law it works under, by name.
        "rule": _("I make this request under {rule}."),
        "act": _("You are a covered platform under the US TAKE IT DOWN Act: you must remove "
                 "these images within 48 hours of receiving this request, and make reasonable "
                 "efforts to remove identical copies. I state in good faith that they were "
                 "published without my consent."),
        # Translators: {region} is the name of a country or region, {law} one sentence
        # naming its law against secret filming.
        "law": _("The law in {region}: {law}"),
        "name": _("My name: {name}"),
        "contact": _("How to reach me: {contact}"),
        "thanks": _("Please remove them and any copies, and tell me when it is done. Thank you."),
    }


def _blanks() -> dict[str, str]:
    """The bracketed blanks of a letter written by hand, in the language in force."""
    return {
        "footage": _("[what the images show]"),
        "link": _("[link]"),
        "date": _("[the day you found it]"),
        "rule": _("[the rule on its card above]"),
        "region": _("[your region]"),
        "law": _("[the law line on your region's card]"),
        "name": _("[your name, if you want to give it]"),
        "contact": _("[an e-mail address or phone number, if you want to give one]"),
        # Translators: put before the paragraph on the TAKE IT DOWN Act in a letter with blanks.
        "act": _("[Only to a platform the TAKE IT DOWN Act covers:]"),
    }


def letter_languages(destinations: Iterable[Destination], here: str) -> list[str]:
    """The languages the page needs letters in: every destination's, then hers."""
    codes = list(dict.fromkeys(d.language for d in destinations))
    return codes + ([here] if here not in codes else [])


def blank_letter(parts: dict[str, str], blanks: dict[str, str]) -> str:
    """A whole letter with every part and bracketed blanks, as written by hand."""
    def fill(text: str) -> str:
        return PLACEHOLDER.sub(lambda m: blanks.get(m.group(1), m.group(0)), text)

    lines = [parts["hello"], "", parts["ask"], fill(parts["footage"]), "", parts["where"],
             fill(parts["line"]), fill(parts["line"]), "", fill(parts["rule"]), "",
             blanks["act"] + " " + parts["act"], "", fill(parts["law"]), "", fill(parts["name"]),
             fill(parts["contact"]), "", parts["thanks"]]
    return "\n".join(lines)


def letters_data() -> dict[str, object]:
    """GET /<lang>/takedown/letters.json: what static/js/takedown.js writes a letter
    from, the same for everyone in one language (the page stays small, and the kit
    keeps this file offline with the page): each letter language's parts with its
    name in hers and its <html lang>, each destination's rule in its language and
    hers, and each region's name and law line in every letter language."""
    here = current_language().code
    destinations = content.DESTINATIONS
    codes = letter_languages(destinations, here)
    parts: dict[str, dict[str, str]] = {}
    laws: dict[str, dict[str, list[str]]] = {r.code: {} for r in REGIONS.values() if r.law}
    rules: dict[str, dict[str, str]] = {d.key: {} for d in destinations if d.rule}
    for code in codes:
        with force_locale(LANGUAGES[code].locale):
            parts[code] = {**_parts(), "html_lang": LANGUAGES[code].html_lang}
            for region in REGIONS.values():
                if region.law:
                    laws[region.code][code] = [str(region.name), str(region.law)]
            for d in destinations:
                if d.rule and code in (d.language, here):
                    rules[d.key][code] = str(d.rule)
    for code in codes:  # in her language, outside force_locale
        parts[code]["language"] = str(LANGUAGE_NAMES[code])
    return {"parts": parts, "laws": laws, "rules": rules}


def page_context() -> dict[str, object]:
    """What the writer's form (_writer.html, in letters.json) and the blank letters
    (letters.html) need: each letter language's name and blank letter, the
    destinations and the regions with a law line to choose from. The text the phone
    fills in is letters_data()'s, in letters.json too."""
    here = current_language().code
    destinations = content.DESTINATIONS
    codes = letter_languages(destinations, here)
    letters: dict[str, dict[str, str]] = {}
    for code in codes:
        with force_locale(LANGUAGES[code].locale):
            parts = _parts()
            letters[code] = {"blank": blank_letter(parts, _blanks()),
                             "subject": parts["subject"], "html_lang": LANGUAGES[code].html_lang}
    for code in codes:  # in her language, outside force_locale
        letters[code]["name"] = str(LANGUAGE_NAMES[code])
    return {
        "letter_here": here,
        "letter_codes": codes,
        "letters": letters,
        "letter_destinations": destinations,
        "letter_regions": [r for r in REGIONS.values() if r.law],
        "check_again_days": CHECK_AGAIN_DAYS,
    }
