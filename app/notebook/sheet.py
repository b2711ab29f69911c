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

# The printable summary's words (static/js/notebook-export.js), in her language and,
# beside them, in English; {n} and {time} are filled in on the phone.
SUMMARY = {
    "title": _l("Evidence notebook: summary"),
    "intro": _l("Made on %(time)s, on the phone that keeps these entries in the SpotCheck "
                "evidence notebook. Every file is in the export unchanged. Its SHA-256 "
                "fingerprint was made when it was added: anyone can make it again from the file "
                "and compare.", time="{time}"),
    "entry": _l("Entry %(n)s", n="{n}"),
    "recorded": _l("Recorded on this phone"),
    "happened": _l("When it happened"),
    "found": _l("What you found"),
    "place": _l("Where"),
    "location": _l("Location (latitude, longitude)"),
    "toldVenue": _l("The venue: staff, manager or host"),
    "toldPolice": _l("The police"),
    "toldOthers": _l("Others"),
    "region": _l("Your region"),
    "policeNumber": _l("The report’s number"),
    "askedFor": _l("What you asked the police for, and what they gave you"),
    "links": _l("Links to posts, channel names and dates"),
    "files": _l("Files"),
    "added": _l("Added:"),
    "timestamp": _l("SpotCheck timestamp:"),
    "key": _l("key"),
}
