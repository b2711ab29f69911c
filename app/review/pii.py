"""Spotting what looks like personal data in a report's free text.

Organizers see a warning and decide; nothing is changed automatically. The
patterns lean towards warning too often rather than too rarely.
"""

import re

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

PATTERNS = {
    # Translators: a warning label for text that looks like a phone number.
    "phone": (_l("a phone number"), re.compile(
        r"(?<!\d)(?:\+?\d{1,3}[\s-]?)?(?:1[3-9]\d{9}|\d{2,4}[\s-]?\d{3,4}[\s-]?\d{4})(?!\d)")),
    "email": (_l("an e-mail address"), re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    # Mainland resident ID: 17 digits and a check digit or X.
    "id_number": (_l("a Chinese ID number"), re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")),
    "url": (_l("a web address"), re.compile(
        r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|cn|net|org|tw|hk|me|io)\b", re.I)),
    "telegram": (_l("a Telegram account"), re.compile(
        r"(?<![\w.])@[A-Za-z]\w{4,31}\b|t\.me/\S+", re.I)),
}


def findings(*texts: str | None) -> list[LazyString]:
    """The kinds of personal data that seem to appear in any of these texts."""
    found = []
    for label, pattern in PATTERNS.values():
        if any(text and pattern.search(text) for text in texts):
            found.append(label)
    return found
