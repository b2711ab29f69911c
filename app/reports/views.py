"""Anonymous reports: the form, the receipt, and the status page.

Nothing that identifies the reporter is stored (docs/privacy.md, promise 1): no
address, no browser, no time of day. The form works without JavaScript; with
it, htmx sends it without a page reload and outbox.js keeps an offline outbox.
Every page here is `no-store` and the service worker never touches it.
"""

import secrets
import sqlite3
from contextlib import suppress
from typing import Any, NamedTuple

from flask import current_app, request
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from ..db import get_db
from ..map.public_copy import public_place
from ..vocab import DEVICE_CHOICES, SPACES, WHAT, today
from ..web import limits
from ..web.errors import STORAGE_RETRY_SECONDS, storage_failed
from ..web.htmx import render
from ..web.pagecache import cached_page
from ..web.policy import PagePolicy, add_policy, no_store
from ..web.security import refused_post_notice, same_origin_post
from . import bp, photos, proof, receipts
from . import store as report_store
from .form import (
    HONEYPOT,
    HONEYPOT_FILLED,
    LIMITS,
    clean_text,
    parse,
    prefill,
    valid_idempotency_key,
)

# "Use my location", asked by the page, never by us; and a frame for the map's
# location picker, opened only when she asks.
FORM_POLICY = PagePolicy(features=frozenset({"geolocation"}), frames_self=True)
STATUS_TEXT = {
    "received": _l("Received. An organizer has not looked at it yet."),
    # Sent without the check a phone's script does while the site is flooded
    # (app/reports/proof.py): kept apart until an organizer looks at it.
    "held": _l("Received, and waiting for review. So many reports were arriving when you sent "
               "it that organizers look at reports like yours separately first. Nothing is "
               "public until they have."),
    "published": _l("Published. It is on the public map, without your description or photo."),
    # Published without a point on the map: the map page lists it, the map cannot show it.
    "listed": _l("Published. It is listed on the map page, but not shown on the map itself, "
                 "because it has no location. Your description and photo are not public."),
    "listed-private": _l("Published. It is listed on the map page, but not shown on the map "
                         "itself, because organizers kept its location private. Your "
                         "description and photo are not public."),
    "rejected": _l("Not published. Organizers decided not to make it public."),
}
# The disk is full or failing: nothing was stored, and outbox.js keeps
# the report on her phone and sends it again later.
CANNOT_STORE = _l("We could not store your report because of a problem on our side. "
                  "What you wrote is still below: please send it again later.")


def new_idempotency_key() -> str:
    return secrets.token_urlsafe(18)


def form_page(values: dict[str, str], errors: dict[str, LazyString], status: int = 200,
              notice: LazyString | None = None, busy: bool = False, offline_shell: bool = False
              ) -> Response:
    add_policy(FORM_POLICY)
    # Keep a valid key, so a retry of the same report is still recognised. The
    # offline shell has none: outbox.js gives each report written in it its own.
    key = valid_idempotency_key(values.get("idempotency_key")) or new_idempotency_key()
    return render(
        "reports/form.html", "reports/_form.html", status=status,
        values=values, errors=errors, notice=notice, offline_shell=offline_shell,
        idempotency_key="" if offline_shell else key,
        spaces=SPACES, what_choices=WHAT, devices=DEVICE_CHOICES, limits=LIMITS, busy=busy,
        photo_max_side=photos.MAX_SIDE,
    )


def refuse(status: int, notice: LazyString) -> Response:
    """Say why, in her language, and give back everything she typed."""
    values = request.form.to_dict()
    values.pop(HONEYPOT, None)
    return form_page(values, {}, status=status, notice=notice)


def busy(challenge: str) -> Response:
    """Very busy: the page's script proves its work and sends again by itself (new-report.js).

    Without JavaScript she reads why, with everything she typed kept below.
    """
    values = request.form.to_dict()
    for name in (HONEYPOT, "proof_challenge", "proof_answer"):
        values.pop(name, None)
    response = form_page(values, {}, status=429, busy=True, notice=proof.busy_notice())
    response.headers["Retry-After"] = str(proof.BUSY_MINUTES * 60)
    # The offline outbox reads the challenge from here, not from the page.
    response.headers["SpotCheck-Proof"] = challenge
    return response


def receipt_page(code: str) -> Response:
    return render("reports/receipt.html", "reports/_receipt.html", code=code)


@bp.get("/report")
@no_store
def report() -> Response:
    """The report form, pre-filled from a checklist's link."""
    return form_page(prefill(request.args), {})


@bp.get("/offline/report")
@cached_page
def offline_form() -> Response:
    """The report form as phones keep it for when the signal drops (templates/pwa/sw.js).

    Restrooms, basements and trains are where it does. The page is the same for
    everyone and holds nothing about anyone: no key, no post token, no receipt.
    Offline, outbox.js keeps what she writes in its outbox and sends it, under a key
    of its own, when the connection returns; a browser that ran the service
    worker sends Sec-Fetch-Site, which is all same_origin_post asks of it. Outside
    `/report`, so the worker may keep it; it is public and cacheable like a checklist.
    """
    return form_page({}, {}, offline_shell=True)


@bp.post("/report")
@no_store
def submit() -> Response:
    """Store a report once and show its receipt, or say what to fix."""
    try:
        return take_report()
    except sqlite3.OperationalError as error:
        if not storage_failed(error):
            raise
        # The transaction rolled back: no row, no photo. The operator must hear of it.
        current_app.logger.error("a report could not be stored: %s", error.sqlite_errorname)
        response = refuse(503, CANNOT_STORE)
        response.headers["Retry-After"] = str(STORAGE_RETRY_SECONDS)
        return response


def take_report() -> Response:
    """The checks in order, then the report; a full disk raises out of here."""
    config = current_app.config
    if not same_origin_post(mirrors=True):
        return refuse(403, refused_post_notice())
    if request.form.get(HONEYPOT):
        return refuse(400, HONEYPOT_FILLED)
    key = valid_idempotency_key(request.form.get("idempotency_key"))
    if key is None:
        return refuse(400, _l("This form is too old to send. Please check it and send it "
                              "again."))
    if code := report_store.receipt_for_retry(key):
        return receipt_page(code)  # a retry: same receipt, nothing new stored
    flood = Flood.now()
    # A report with the answer to a challenge already paid for its slot this hour:
    # the post that was given the challenge took it, and kept it.
    proven = bool(request.form.get("proof_challenge")) and proof.verify(
        request.form.get("proof_challenge"), request.form.get("proof_answer"),
        flood.bits, flood.client)
    if proven:
        return check_and_store(key, flood, proven=True)[0]
    # One of her reports for this hour is taken now, in one step with the check,
    # so simultaneous sends cannot all slip under the limit; a try that stores
    # nothing gives it back, unless its photo was refused or it was handed a
    # challenge (see check_and_store).
    if not limits.take("report", config["REPORTS_PER_CLIENT_PER_HOUR"]):
        return refuse(429, _l("Too many reports have been sent from here in the last hour. "
                              "Please try again later; what you wrote is still below."))
    try:
        response, counted = check_and_store(key, flood, proven=False)
    except sqlite3.OperationalError:
        # Nothing was stored, so the try does not count, if the limits can still be written.
        with suppress(sqlite3.OperationalError):
            limits.give_back("report")
        raise
    if not counted:
        limits.give_back("report")
    return response


class Flood(NamedTuple):
    """The site-wide rates of reports now, and who is asking."""

    rate: float  # reports stored in the last hour, site-wide (held ones too)
    queued: float  # of those, the ones that went straight into the review queue
    bits: int  # the flood's difficulty for a client that sent nothing yet (0: no flood)
    client: str  # this client's limit key (an HMAC, never the address)

    @classmethod
    def now(cls) -> "Flood":
        rate = limits.count("report-all", per_client=False)
        queued = limits.count("report-queued", per_client=False)
        bits = proof.difficulty(rate, current_app.config["REPORTS_PER_HOUR"], 0, queued)
        return cls(rate, queued, bits, limits.limiter().client_key(request.remote_addr))

    def challenge(self) -> str:
        """A challenge for this client, harder for each report it sent this hour."""
        bits = proof.difficulty(self.rate, current_app.config["REPORTS_PER_HOUR"],
                                limits.count("report-sent"), self.queued)
        return proof.new_challenge(bits, self.client)


def can_prove() -> bool:
    """The page's script sent this (htmx or the outbox) and can answer a challenge.

    A plain form post (no JavaScript), or the script saying its browser has no
    Web Workers, cannot: in a flood its report is held instead.
    """
    return request.headers.get("HX-Request") == "true" and not request.form.get("no_proof")


def check_and_store(key: str, flood: Flood, proven: bool) -> tuple[Response, bool]:
    """The proof (in a flood), the fields and the photo; then the report, stored once.

    Also says whether the try counts against her hourly report limit.
    """
    held = False
    if not proven:
        # What each client sends is counted, so the next challenge it gets is harder
        # (app/reports/proof.py); a report sent with an answer was counted when its
        # challenge was handed out.
        challenge = flood.challenge() if flood.bits and can_prove() else None
        limits.record("report-sent")
        if challenge:
            # Kept: a challenge costs one of her reports this hour, so collecting
            # challenges to solve later is not free.
            return busy(challenge), True
        # A flood must not silence anyone: without an answer (no JavaScript) her
        # report is stored and held apart for organizers, and she gets her receipt.
        held = bool(flood.bits)

    # The photo is not opened until everything else is right: a form refused
    # anyway must not cost a decode (an image bomb sent with a bad field).
    report, errors = parse(request.form, today())
    if report is None:  # then errors says why
        return form_page(request.form.to_dict(), errors, status=400), False
    photo = None
    upload = request.files.get("photo")
    if upload and upload.filename:
        try:
            photo = photos.clean(upload.stream.read(photos.MAX_BYTES + 1), upload.filename)
        except photos.PhotoError as error:
            # A refused photo counts as one of her reports this hour, so bombs
            # and broken files cost the server at most what reports may. She
            # can still send the report without it, or with another photo.
            return form_page(request.form.to_dict(), {"photo": error.message},
                             status=400), True

    code = report_store.create(report, key, photo, today(), held=held)
    limits.record("report-all", per_client=False)
    if not held:
        limits.record("report-queued", per_client=False)
    return receipt_page(code), True


def status_page(status: int = 200, **context: Any) -> Response:
    return render("reports/status.html", "reports/_status.html", status=status,
                  status_text=STATUS_TEXT, **context)


def shown_as(report: sqlite3.Row) -> str:
    """Her report's state in STATUS_TEXT's words: a published one is on the map only if
    the public copy has a point for it."""
    if report["status"] == "received" and report["held"]:
        return "held"
    if report["status"] != "published":
        return str(report["status"])
    if public_place(get_db(), report["id"])["latitude"] is not None:
        return "published"
    # The report's own location is gone if she gave none, or once retention cut it
    # down to the public copy's (none): either way it has no location now.
    return "listed" if report["latitude"] is None else "listed-private"


@bp.get("/report/status")
@no_store
def status_form() -> Response:
    """Where a reporter types her receipt code (it is never put in a URL)."""
    return status_page()


@bp.post("/report/status")
@no_store
def status() -> Response:
    """The report's status and the conversation, for whoever has the receipt code."""
    if not same_origin_post(mirrors=True):
        return status_page(403, typed=request.form.get("code", "")[:40],
                           notice=refused_post_notice(nothing_stored=False))
    # Every try is counted before the code is looked up, and a right one is
    # given back: checking first and counting after would let many wrong codes
    # sent at once all pass the check.
    tries = current_app.config["RECEIPT_TRIES_PER_HOUR"]
    if not limits.take("receipt", tries):
        return status_page(429, notice=_l("Too many wrong codes from here. Please wait an hour "
                                          "and try again."))
    code = receipts.normalize(request.form.get("code", ""))
    found = report_store.find_by_receipt(code) if code else None
    if found is not None and tries > 0:
        limits.give_back("receipt")
    if found is None:
        return status_page(400, typed=request.form.get("code", "")[:40],
                           notice=_l("We can’t find a report with that code. Check it and try "
                                     "again."))

    reply_error, answer = None, 200
    reply = clean_text(request.form.get("reply"))
    replies = current_app.config["REPLIES_PER_REPORT_PER_DAY"]
    if "reply" in request.form:
        if not reply:
            reply_error, answer = _l("Write your answer first."), 400
        elif len(reply) > LIMITS["description"]:
            reply_error, answer = _l("Please keep this under %(limit)s characters (now "
                                     "%(count)s).", limit=LIMITS["description"],
                                     count=len(reply)), 400
        elif not report_store.add_reply(found["id"], reply, today(), replies):
            reply_error, answer = _l("You can add %(limit)s answers a day to a report, and "
                                     "today’s are used. Your text is still here: please send "
                                     "it tomorrow.", limit=replies), 429
    return status_page(
        status=answer, code=code, report=found, shown_as=shown_as(found),
        messages=report_store.messages(found["id"]), reply_error=reply_error,
        reply=(reply or "") if reply_error else "", spaces=SPACES,
    )
