"""Error pages in the visitor's language, for every HTTP error."""

from flask import Flask, g, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

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
}


def render_error(error: HTTPException):
    """Render any HTTP error with our layout; unknown codes use the generic text."""
    code = error.code or 500
    title, explanation = MESSAGES.get(code, MESSAGES[500 if code >= 500 else 400])
    # Errors are never cached: the next try may well succeed.
    g.no_store = True
    response = render_template("errors/error.html", code=code, title=title, explanation=explanation)
    # Keep what the error adds (Allow on 405, Retry-After on 429), not its body type.
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    return response, code, headers


def init_app(app: Flask) -> None:
    # Crashes reach this as InternalServerError after Flask has logged them.
    app.register_error_handler(HTTPException, render_error)
