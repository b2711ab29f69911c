"""The shape of a checklist: its items, each with what to look at and what it can miss.

Kept apart from the checklists themselves (checklists.py, home.py) so that each
file holds content, not both.
"""

from dataclasses import dataclass

from flask_babel import LazyString

from ..vocab import SPACES


@dataclass(frozen=True)
class Item:
    key: str
    look: LazyString  # what to look at
    how: LazyString  # how to look, in one sentence
    why: LazyString  # why it matters
    misses: LazyString  # what the check can miss: every item states its limit
    # A key of vocab.DEVICES (its drawing, and the report pre-fill) or of home.DRAWINGS.
    device: str | None = None
    lens: bool = False  # a torch or camera check: the item links to the lens finder


@dataclass(frozen=True)
class Checklist:
    space: str  # the URL slug, always English
    name: LazyString
    where: LazyString  # the places this covers
    quick: tuple[Item, ...]
    thorough: tuple[Item, ...] = ()

    @property
    def reportable(self) -> bool:
        """Whether a report may name this space: never her home (vocab.PRIVATE_SPACES)."""
        return self.space in SPACES
