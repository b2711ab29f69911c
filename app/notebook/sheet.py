"""The paper log sheet: what it asks for, on which paper."""

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Paper:
    code: str  # ?paper= and the CSS named page (static/css/notebook.css)
    name: LazyString


PAPERS = {p.code: p for p in (Paper("a4", _l("A4")), Paper("letter", _l("US Letter")))}

# The sheet's columns, in the order an entry holds them (static/js/notebook.js).
COLUMNS = (
    _l("What you found"),
    _l("Where"),
    _l("When it happened"),
    _l("When you wrote this down"),
    _l("Who you told, and what they said"),
    _l("Police report number, and what you asked for"),
)
ROWS = 6  # fits one page of either paper, landscape
