"""Whole numbers from URLs, query strings and forms, kept to what SQLite can store.

Every number a visitor sends here ends up as an SQL parameter: a report's id,
a page cursor (`before`), a review's `version`. SQLite's INTEGER stops at
2**63 - 1, and a larger Python int makes sqlite3 raise OverflowError, which
was a 500 for `/en/organizers/reports/99999999999999999999`. Ids, cursors and
versions all start at 1, so anything outside 1 .. 2**63 - 1 is simply not a
number we have: a 404 in a path, "not given" in a query string or form.
"""

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

SQLITE_MAX = 2**63 - 1
MAX_DIGITS = len(str(SQLITE_MAX))


class SQLiteIntConverter(IntegerConverter):
    """`<int:...>` that matches only 1 .. 2**63 - 1 unless a rule asks for other bounds.

    Registered as "int" itself (app/__init__.py), so no rule can forget it.
    """

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = 1,
                 max: int | None = SQLITE_MAX, signed: bool = False) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


def positive_int(value: str) -> int:
    """A query or form value as 1 .. 2**63 - 1, else ValueError.

    Made for `request.args.get("before", type=positive_int)`, which turns the
    ValueError into None. Only ASCII digits: int() would also take " 7", "7_0"
    and "٧", none of which our own links or forms ever send.
    """
    if not (value.isascii() and value.isdigit() and len(value) <= MAX_DIGITS):
        raise ValueError(f"not a whole number from 1 to {SQLITE_MAX}")
    number = int(value)
    if not 1 <= number <= SQLITE_MAX:
        raise ValueError(f"not a whole number from 1 to {SQLITE_MAX}")
    return number


def init_app(app: Flask) -> None:
    # Before any blueprint: a rule picks its converter when it is added.
    app.url_map.converters["int"] = SQLiteIntConverter
