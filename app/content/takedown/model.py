"""What a takedown destination holds: where to send, what it needs, and where that was read."""

from dataclasses import dataclass
from typing import Literal

from flask_babel import LazyString

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
    # A platform covered by the US TAKE IT DOWN Act: it must remove a valid request's
    # images within 48 hours (FTC enforcement from 2026-05-19), so a letter can say so.
    take_it_down_act: bool = False
