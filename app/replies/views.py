"""A published report's public page, the response form, its receipt and status page.

Nothing identifies who responds but what they type (docs/privacy.md, promise
1): no address, no browser, no time of day, no cookie. The form has the report
form's defences (reports/views.py): same-origin posts, a honeypot, an
idempotency key, a per-client limit, and in a flood a proof of work asked of
the page's script (reports/proof.py, static/js/respond.js) or, without
JavaScript, the response stored and held apart for organizers.
"""

import re
import secrets
import sqlite3
from typing import Any

from flask import abort, current_app, request
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from ..about.policy import LEVELS
from ..db import get_db
from ..map.public_copy import public_report
from ..reports import proof, receipts
from ..reports.form import HONEYPOT, HONEYPOT_FILLED, valid_idempotency_key
from ..vocab import DEVICE_CHOICES, SPACES, WHAT, WHAT_PUBLISHED, today
from ..web import limits
from ..web.htmx import render
from ..web.policy import NO_STORE, add_policy, no_store
from ..web.security import refused_post_notice, same_origin_post
from . import bp, store
from .form import ASKS, LIMITS, parse

PUBLIC_ID = re.compile(r"[0-9a-f]{16}")
STATUS_TEXT = {
    "received": _l("Received. An organizer has not decided on it yet."),
    "held": _l("Received. So many responses were arriving when you sent it that organizers "
               "look at responses like yours separately first."),
    "published": _l("Published beside the report."),
    "declined": _l("Not published beside the report."),
}


def published_or_404(public_id: str) -> sqlite3.Row:
    """The public copy of the report published under this id; else a 404, or a 410
    that says so for a report no longer published (withdrawn or taken back)."""
    if not PUBLIC_ID.fullmatch(public_id):
        abort(404)
    found = public_report(get_db(), public_id)
    if found is None:
        if not store.report_was_published(public_id):
            abort(404)
        add_policy(NO_STORE)
        abort(render("replies/gone.html", "replies/gone.html", status=410))
    return found


def card_context(report: sqlite3.Row) -> dict[str, Any]:
    return {"report": report, "spaces": SPACES, "legend": WHAT_PUBLISHED, "devices": DEVICE_CHOICES,
            "what_choices": WHAT, "levels": {key: name for key, (name, _) in LEVELS.items()}}


@bp.get("/published/<public_id>")
def page(public_id: str) -> Response:
    """One published report as the public sees it, the responses published beside it,
    whether one waits, and the way to respond."""
    report = published_or_404(public_id)
    response = render("replies/page.html", "replies/page.html",
                      responses=store.published([report["report_id"]]).get(
                          report["report_id"], []),
                      pending=store.pending(report["report_id"]), **card_context(report))
    # Public and shared by everyone, but asked again each time (a cheap 304): a
    # response published or a report corrected shows at once.
    response.cache_control.public = True
    response.cache_control.no_cache = True
    response.add_etag()
    return response.make_conditional(request)


def form_page(report: sqlite3.Row, values: dict[str, str], errors: dict[str, LazyString],
              status: int = 200, notice: LazyString | None = None, busy: bool = False
              ) -> Response:
    key = valid_idempotency_key(values.get("idempotency_key")) or secrets.token_urlsafe(18)
    return render("replies/respond.html", "replies/_form.html", status=status,
                  values=values, errors=errors, notice=notice, busy=busy,
                  idempotency_key=key, asks=ASKS, limits=LIMITS, **card_context(report))


@bp.get("/published/<public_id>/respond")
@no_store
def respond_form(public_id: str) -> Response:
    """The response form for whoever is responsible for the place."""
    return form_page(published_or_404(public_id), {}, {})


def refuse(report: sqlite3.Row, status: int, notice: LazyString) -> Response:
    values = request.form.to_dict()
    for name in (HONEYPOT, "proof_challenge", "proof_answer"):
        values.pop(name, None)
    return form_page(report, values, {}, status=status, notice=notice)


@bp.post("/published/<public_id>/respond")
@no_store
def respond(public_id: str) -> Response:
    """Store a response once and show its receipt, or say what to fix."""
    report = published_or_404(public_id)
    if not same_origin_post():
        return refuse(report, 403, refused_post_notice())
    if request.form.get(HONEYPOT):
        return refuse(report, 400, HONEYPOT_FILLED)
    key = valid_idempotency_key(request.form.get("idempotency_key"))
    if key is None:
        return refuse(report, 400, _l("This form is too old to send. Please check it and "
                                      "send it again."))
    if code := store.receipt_for_retry(key):
        return receipt_page(code)
    config = current_app.config
    rate = limits.count("response-all", per_client=False)
    client = limits.limiter().client_key(request.remote_addr)
    bits = proof.difficulty(rate, config["RESPONSES_PER_HOUR"])
    proven = bool(request.form.get("proof_challenge")) and proof.verify(
        request.form.get("proof_challenge"), request.form.get("proof_answer"), bits, client)
    held = False
    if not proven:
        if not limits.take("response", config["RESPONSES_PER_CLIENT_PER_HOUR"]):
            return refuse(report, 429, _l("Too many responses have been sent from here in the "
                                          "last hour. Please try again later; what you wrote "
                                          "is still below."))
        can_prove = (request.headers.get("HX-Request") == "true"
                     and not request.form.get("no_proof"))
        if bits and can_prove:
            # Kept: a challenge costs one of the hour's responses (reports/proof.py).
            challenge = proof.new_challenge(proof.difficulty(
                rate, config["RESPONSES_PER_HOUR"], limits.count("response")), client)
            response = refuse(report, 429, proof.busy_notice())
            response.headers["Retry-After"] = str(proof.BUSY_MINUTES * 60)
            response.headers["SpotCheck-Proof"] = challenge
            return response
        # Without JavaScript a flood silences no one: stored, held for organizers.
        held = bool(bits)
    answer, errors = parse(request.form)
    if answer is None:
        if not proven:
            limits.give_back("response")
        return form_page(report, request.form.to_dict(), errors, status=400)
    code = store.create(report["report_id"], answer, key, today(), held=held)
    limits.record("response-all", per_client=False)
    return receipt_page(code)


def receipt_page(code: str) -> Response:
    return render("replies/receipt.html", "replies/_receipt.html", code=code)


def status_page(status: int = 200, **context: Any) -> Response:
    return render("replies/status.html", "replies/_status.html", status=status,
                  status_text=STATUS_TEXT, asks=ASKS, **context)


@bp.get("/published/status")
@no_store
def status_form() -> Response:
    """Where a place types its receipt code (never put in a URL)."""
    return status_page()


@bp.post("/published/status")
@no_store
def status() -> Response:
    """What became of a response, and the organizers' answer, for whoever has its code."""
    if not same_origin_post():
        return status_page(403, notice=refused_post_notice(nothing_stored=False))
    tries = current_app.config["RECEIPT_TRIES_PER_HOUR"]
    if not limits.take("response-receipt", tries):
        return status_page(429, notice=_l("Too many wrong codes from here. Please wait an hour "
                                          "and try again."))
    code = receipts.normalize(request.form.get("code", ""))
    found = store.find_by_receipt(code) if code else None
    if found is not None and tries > 0:
        limits.give_back("response-receipt")
    if found is None:
        return status_page(400, typed=request.form.get("code", "")[:40], notice=_l(
            "We can’t find a response with that code. Check it and try again."))
    shown = "held" if found["status"] == "received" and found["held"] else found["status"]
    return status_page(found=found, shown=shown,
                       still_public=store.report_is_published(found["report_id"]))
