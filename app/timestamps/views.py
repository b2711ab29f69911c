"""POST /api/v1/timestamp and GET /api/v1/timestamp/key.

Nothing of a request is stored or logged: the hash is read, signed and sent
back, and no line of ours names it (gunicorn's and nginx's access logs keep
the method and path only, never a body). The one thing written is a count in
the rate limits' file, under an HMAC of her network (app/web/limits.py).
"""

import json

from flask import current_app, request
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from ..web import limits
from ..web.keys import SigningKey, instance_key
from ..web.policy import NO_STORE, add_policy
from ..web.security import same_origin_post
from . import bp, stamp

KEY_MAX_AGE = 3600  # an hour: a retired key is soon gone from caches (docs/timestamps.md)


def timestamp_key() -> SigningKey:
    return instance_key(current_app, stamp.KEY_FILE)


def answer(body: dict[str, str], status: int = 200) -> Response:
    """A JSON answer kept nowhere (no-store): it is hers alone."""
    add_policy(NO_STORE)
    return Response(json.dumps(body, ensure_ascii=False), status=status,
                    mimetype="application/json")


def refuse(status: int, code: str, message: LazyString, parameter: str | None = None
           ) -> Response:
    """An error in the visitor's language (Accept-Language), with a code that never changes."""
    body = {"error": str(message), "code": code}
    if parameter is not None:
        body["parameter"] = parameter
    response = answer(body, status)
    response.vary.add("Accept-Language")
    return response


@bp.post("/api/v1/timestamp")
def timestamp() -> Response:
    """Sign the server's time with the SHA-256 a phone sent: {"sha256": "<64 hex>"}."""
    if not same_origin_post():
        return refuse(403, "cross_site", _l("Timestamps are given only to this site’s own "
                                            "pages."))
    try:
        sha256 = stamp.parse_request(request.content_type,
                                     request.stream.read(stamp.MAX_BODY + 1))
    except stamp.BadRequest as error:
        return refuse(400, error.code, error.message, error.parameter)
    if not limits.take("timestamp", current_app.config["TIMESTAMPS_PER_CLIENT_PER_HOUR"]):
        return refuse(429, "too_many", _l("Too many timestamps from here in the last hour. "
                                          "Please try again later."))
    return answer(stamp.sign(timestamp_key(), sha256))


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge) -> Response:
    """A body over MAX_CONTENT_LENGTH, refused before the view (web/security.py): JSON too."""
    return refuse(413, "too_large", stamp.TOO_LARGE, "body")


@bp.get("/api/v1/timestamp/key")
def public_key() -> Response:
    """The public key that timestamps are signed with, as raw bytes (base64) and PEM."""
    key = timestamp_key().public
    response = Response(json.dumps(stamp.public_key_answer(key)), mimetype="application/json")
    response.set_etag(key.id)
    response.cache_control.public = True
    response.cache_control.max_age = KEY_MAX_AGE
    return response.make_conditional(request)
