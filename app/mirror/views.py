"""GET /api/v1/mirror/key: the public key mirrors are signed with (docs/mirrors.md)."""

import json

from flask import abort, current_app, request
from werkzeug.wrappers import Response

from . import bp, public_key, signed

KEY_MAX_AGE = 3600


@bp.get("/api/v1/mirror/key")
def key() -> Response:
    """The mirror key's public half, raw (base64) and PEM; 404 before one is made."""
    found = public_key(current_app)
    if found is None:
        abort(404)
    body = {"format": signed.FORMAT, "algorithm": "Ed25519", "key_id": found.id,
            "public_key": found.base64, "pem": found.pem}
    response = Response(json.dumps(body), mimetype="application/json")
    response.set_etag(found.id)
    response.cache_control.public = True
    response.cache_control.max_age = KEY_MAX_AGE
    return response.make_conditional(request)
