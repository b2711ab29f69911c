"""What a region's card holds: the shapes of its lines and sources, and the dates they were read."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from .secondary import SECONDARY


@dataclass(frozen=True)
class Helpline:
    """A line to talk to someone: a person, not a form."""

    name: LazyString | str
    phone: str
    hours: LazyString
    source: str
    checked: str

    @property
    def secondary(self) -> bool:
        """Whether `source` is a news report or a copy, not the body's own page."""
        return self.source in SECONDARY


@dataclass(frozen=True)
class Source:
    """A link shown under a card: where a fact was read, and whether that is the body's own page."""

    url: str
    host: str
    secondary: bool


@dataclass(frozen=True)
class Region:
    code: str
    name: LazyString
    police: str | None  # the emergency number to dial; None only for "elsewhere"
    sources: tuple[str, ...] = ()  # where `police`, `non_emergency` and `ask_for` were confirmed
    checked: str | None = None  # ISO date the sources were read
    police_note: LazyString | None = None
    non_emergency: str | None = None  # police line for what is not happening right now
    non_emergency_note: LazyString | None = None  # where there is no such line, what to do
    ask_for: LazyString | None = None  # the paper or number that proves the report was taken
    law: LazyString | None = None  # one line: the law against secret filming, by name
    law_sources: tuple[str, ...] = ()
    # Someone to talk to, the line open around the clock first; none where none was confirmed.
    talk: tuple[Helpline, ...] = ()
    # More help a reader there expects, one short sentence each (numbers written in).
    also: tuple[LazyString, ...] = ()
    also_sources: tuple[str, ...] = ()

    def shown_sources(self) -> list[Source]:
        """Every source the card links to, in order, each once, marked if it is secondary."""
        urls = (self.sources + self.law_sources + self.also_sources
                + tuple(line.source for line in self.talk))
        return [Source(url, (urlsplit(url).hostname or "").removeprefix("www."), url in SECONDARY)
                for url in dict.fromkeys(urls)]


CHECKED = "2026-12-04"  # the day this table was last read against its sources
RECHECKED = "2026-12-06"  # the facts the content review of that day corrected or added
DAY_AND_NIGHT = _l("24 hours, every day")
LOCAL_STATION = _l("No national line: call or visit the local police station.")
