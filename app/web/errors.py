"""Error pages in the visitor's language, for every HTTP error."""

import sqlite3

from flask import Flask, current_app, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, ServiceUnavailable

from .policy import NO_STORE, add_policy

# Titles and explanations for the errors a visitor can meet.
MESSAGES = {
    400: (
        _l("That request didn’t make sense to us"),
        _l("Something in the address or the form was not what we expected. Go back and try again."),
    ),
    404: (
        _l("We can’t find that page"),
        _l("The link may be mistyped or out of date. The checklists are still here for you."),
    ),
    405: (
        _l("That doesn’t work here"),
        _l("This page can’t be used that way. Open it from a link on the site instead."),
    ),
    413: (
        _l("That was too large to send"),
        _l("What you sent is bigger than we accept. If you added a photo, try a smaller one."),
    ),
    429: (
        _l("Too many tries, please wait"),
        _l("You can try again in a little while. Nothing you typed has been stored."),
    ),
    500: (
        _l("Something went wrong on our side"),
        _l("This is our fault, not yours. Please try again in a minute."),
    ),
    503: (
        _l("Nothing can be saved right now"),
        _l("Our server has a storage problem. Nothing was changed. Please try again later."),
    ),
}
# SQLite's primary result codes for "database or disk is full" and a disk I/O error.
STORAGE_FAILURES = {sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR}
STORAGE_RETRY_SECONDS = 600


def storage_failed(error: sqlite3.Error) -> bool:
    """Whether SQLite failed because the disk is full or failing (not a bug of ours).

    `sqlite_errorcode` is the extended code (SQLITE_IOERR_WRITE, ...); its low
    byte is the primary one.
    """
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in STORAGE_FAILURES


def render_error(error: HTTPException) -> tuple[str, int, list[tuple[str, str]]]:
    """Render any HTTP error with our layout; unknown codes use the generic text."""
    code = error.code or 500
    title, explanation = MESSAGES.get(code, MESSAGES[500 if code >= 500 else 400])
    # Errors are never cached: the next try may well succeed.
    add_policy(NO_STORE)
    response = render_template("errors/error.html", code=code, title=title, explanation=explanation)
    # Keep what the error adds (Allow on 405, Retry-After on 429), not its body type.
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    return response, code, headers


def storage_error(error: sqlite3.OperationalError) -> tuple[str, int, list[tuple[str, str]]]:
    """A full or failing disk is a 503 (try later), not a crash; anything else still is."""
    if not storage_failed(error):
        raise error  # Flask logs it and answers 500
    current_app.logger.error("the database's disk failed: %s", error.sqlite_errorname)
    return render_error(ServiceUnavailable(retry_after=STORAGE_RETRY_SECONDS))


def init_app(app: Flask) -> None:
    # Crashes reach this as InternalServerError after Flask has logged them.
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(sqlite3.OperationalError, storage_error)
