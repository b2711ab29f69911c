"""Exports for organizers and partners, streamed row by row.

Published exports read the public copy the map shows (map/public_copy.py), so
what is public is decided in one place (map/publish.py) and an export can
never carry more than the map does. The full export is for admins. Every cell
a spreadsheet could read as a formula is defused.

The CSVs are made to open right in Excel: UTF-8 with a byte order mark (without
it Excel on Windows reads Chinese as the local code page, i.e. garbled), headers
and the words for kinds of place, what happened and status in the organizer's
language. The codes behind those words follow in `*_code` columns, whose headers
are never translated, so a script reads the same columns in every language.
"""

import csv
import io
import json
import math
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..db import get_db
from ..map.public_copy import public_rows
from ..vocab import DEVICE_CHOICES, LEVELS, SPACES, STATUSES, WHAT
from .actions import PUBLISHABLE

# A report as a CSV line reads it: a row of the report table, or a published record.
Record = sqlite3.Row | Mapping[str, Any]
# Excel on Windows takes a CSV for UTF-8 only when it starts with this.
BYTE_ORDER_MARK = "\ufeff"


@dataclass(frozen=True)
class Column:
    """One CSV column: its header (translated when the file is made) and its cell."""

    header: object  # a str, or a lazy string read in the request's language
    cell: Callable[[Record], object]
    # "date": an ISO date (2026-12-06) the XLSX export writes as a date (review/xlsx.py).
    kind: str = "text"


def field(header: object, key: str, kind: str = "text") -> Column:
    return Column(header, lambda row: row[key], kind)


def words(header: object, key: str, vocabulary: Mapping[str, object]) -> Column:
    """A code shown as its words; an unknown code as itself."""
    return Column(header, lambda row: vocabulary.get(row[key], row[key]) if row[key] else None)


def code(key: str) -> Column:
    """The stored code itself, for machines: the header is never translated."""
    return Column(f"{key}_code", lambda row: row[key])


def told(row: Record) -> str:
    # The same words as the report's card.
    return _(", ").join(str(w) for w, yes in ((_("the venue"), row["told_venue"]),
                                              (_("the police"), row["told_police"])) if yes)


def made_public(row: Record) -> str:
    chosen = json.loads(row["public_fields"] or "[]")
    return _(", ").join(str(PUBLISHABLE.get(f, f)) for f in chosen)


# Translators: a column of a spreadsheet export: each report's number (e.g. 17).
REPORT_NUMBER = _l("Report number")

# The columns both exports share, each written once. The public export puts the
# date seen before the location, the full one after it.
NUMBER = field(REPORT_NUMBER, "id")
PLACE_AND_EVENT = [
    words(_l("Kind of place"), "space", SPACES),
    words(_l("What happened"), "what", WHAT),
    words(_l("Kind of device"), "device", DEVICE_CHOICES),
    field(_l("Name of the place"), "venue"),
    field(_l("City and district"), "city"),
]
SEEN_ON = field(_l("Date seen"), "observed_on", "date")
LOCATION = [field(_l("Latitude"), "latitude"), field(_l("Longitude"), "longitude")]
PUBLIC_NOTE = field(_l("Public note"), "public_note")
# Translators: a column of a spreadsheet export: how far a published report is verified.
LEVEL = words(_l("Verification"), "verification", LEVELS)
CODES = [code("space"), code("what"), code("device")]

PUBLIC_COLUMNS = [NUMBER, *PLACE_AND_EVENT, LEVEL, SEEN_ON, *LOCATION, PUBLIC_NOTE, *CODES,
                  code("verification")]
ALL_COLUMNS = [
    NUMBER,
    words(_l("Status"), "status", STATUSES),
    field(_l("Sent"), "submitted_on", "date"),
    # Translators: a column of a spreadsheet export: the day a report was published or not.
    field(_l("Reviewed on"), "reviewed_on", "date"),
    *PLACE_AND_EVENT,
    *LOCATION,
    SEEN_ON,
    Column(_l("Told"), told),
    field(_l("What they did"), "response"),
    field(_l("Description (never public)"), "description"),
    # Translators: a column of a spreadsheet export: which fields an organizer made public.
    Column(_l("Made public"), made_public),
    PUBLIC_NOTE,
    LEVEL,
    # Translators: a column of the full export: what supports a report's verification level.
    field(_l("What supports the level (never public)"), "verification_note"),
    field(_l("Duplicate of"), "duplicate_of"),
    code("status"), *CODES, code("verification"),
    field("told_venue", "told_venue"), field("told_police", "told_police"),
    code("public_fields"),
]


# What a spreadsheet may take as the start of a formula: the ASCII signs, their
# full-width forms (＝＋－＠, typed by a Chinese or Japanese input method; Excel
# with CJK input may read them as the ASCII ones), the small forms (﹦﹢﹣﹫) and
# the minus sign, each found as the first character that is not blank.
FORMULA_STARTS = frozenset("=+-@" "\uff1d\uff0b\uff0d\uff20" "\ufe66\ufe62\ufe63\ufe6b"
                           "\u2212")
# Blanks a spreadsheet may skip before a formula: every Unicode space (space,
# tab, CR, LF, no-break space, ideographic space ...) and the invisible ones.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


def defuse(value: object) -> str:
    """A cell a spreadsheet will never run as a formula.

    Only text is defused: -33.87 (south, or west) must stay a number a
    spreadsheet reads as one, and a finite int or float written out is a
    number (digits, sign, point, exponent) and nothing else; "-inf" is text.
    Text whose first character that is not blank (a space, tab, CR, LF, a
    no-break or ideographic space) could start a formula, in ASCII or in full
    width, gets a leading apostrophe, as does text starting with a tab or CR.
    """
    if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        return str(value)
    text = "" if value is None else str(value)
    first = text.lstrip().lstrip(INVISIBLE).lstrip()[:1]
    risky = first in FORMULA_STARTS or text[:1] in ("\t", "\r", "\n")
    return "'" + text if risky else text


def published(space: str = "", city: str = "", level: str = "",
              report_ids: list[int] | None = None) -> Iterator[dict[str, Any]]:
    """Published reports as the public sees them, newest first: of this kind of place,
    city and verification level ("" for all), and only these reports if given.

    The city filter matches only where the city itself was made public.
    """
    for row in public_rows(get_db(), space, city, level, report_ids):
        yield {"id": row["report_id"], "space": row["space"], "what": row["what"],
               "verification": row["verification"], "device": row["device"],
               "venue": row["venue"], "city": row["city"],
               "observed_on": row["observed_on"], "latitude": row["latitude"],
               "longitude": row["longitude"], "public_note": row["note"]}


def csv_lines(rows: Iterable[Record], columns: list[Column]) -> Iterator[str]:
    """The byte order mark and a header line, then one line per row, each cell defused."""
    out = io.StringIO()
    out.write(BYTE_ORDER_MARK)
    writer = csv.writer(out)
    writer.writerow([defuse(str(c.header)) for c in columns])
    for row in rows:
        writer.writerow([defuse(c.cell(row)) for c in columns])
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()


def geojson_parts(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A FeatureCollection of the records that have a public location, in pieces."""
    yield '{"type": "FeatureCollection", "features": ['
    first = True
    for record in records:
        if record["latitude"] is None:
            continue
        properties = {k: v for k, v in record.items() if k not in ("latitude", "longitude")}
        feature = {"type": "Feature", "properties": properties, "geometry": {
            "type": "Point", "coordinates": [record["longitude"], record["latitude"]]}}
        yield ("" if first else ",") + json.dumps(feature, ensure_ascii=False)
        first = False
    yield "]}"
