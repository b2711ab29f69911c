"""The takedown kit's destinations: every place that can remove footage of her, as data.

Like the regions (regions/), each entry says where its facts were read and when,
so a reviewer can check it again; docs/content-review.md records the check.
The page (app/takedown/) lists her region's destinations first; the letters
(app/takedown/letters.py) and the tracker on her phone name them by `key`.
"""

from dataclasses import dataclass
from typing import Literal

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

# What kind of place it is, in the order the page groups them: the centres that
# act for victims do the most for her, so they come first.
Kind = Literal["centre", "national", "platform", "search", "hash"]
KINDS: tuple[Kind, ...] = ("centre", "national", "platform", "search", "hash")
# The languages a request can be written in: the site's own (letters are gettext
# text rendered in the destination's language, app/takedown/letters.py).
LetterLanguage = Literal["en", "zh-hans", "zh-hant"]


@dataclass(frozen=True)
class Destination:
    key: str  # stable: letters and her tracker entries name it (never rename one)
    name: LazyString | str  # brand names that read the same everywhere stay plain
    kind: Kind
    region: str | None  # a regions/ code it serves first; None: anywhere in the world
    what: LazyString  # what it can do for her, one sentence
    needs: LazyString  # what it needs from her
    how: LazyString  # where and how to send it
    language: LetterLanguage  # the language a request to it is written in
    response: LazyString  # its own stated response time, or that it states none
    sources: tuple[str, ...]  # where the above was read: its own pages first
    checked: str  # ISO date the sources were read
    url: str | None = None  # its form or page
    email: str | None = None  # where a letter goes by email (a mailto: link)
    phone: str | None = None
    ignores: LazyString | None = None  # what it has been seen to ignore, said plainly
    limit: LazyString | None = None  # what it cannot do
    # The rule a letter to it cites: its own policy by name, or the law it works under.
    rule: LazyString | None = None


CHECKED = "2026-12-06"

DESTINATIONS: tuple[Destination, ...] = (
    Destination(
        "tw-siarc", _l("Sexual image takedown centre (性影像處理中心)"), "centre", "tw",
        _l("Taiwan's government centre asks platforms, in Taiwan and abroad, to remove "
           "sexual images posted without consent."),
        _l("The links, where and when you found them, and proof of who you are."),
        _l("Online form at any time; phone and online chat 09:00–22:00 every day."),
        "zh-hant",
        _l("None stated."),
        ("https://siarc.mohw.gov.tw/",),
        CHECKED,
        url="https://siarc.mohw.gov.tw/", phone="02-6605-7373",
        limit=_l("Platforms abroad may refuse; each re-upload needs a new complaint."),
    ),
)

BY_KEY = {d.key: d for d in DESTINATIONS}
