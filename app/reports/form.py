"""The report form's fields: choices, limits and validation.

`parse` turns whatever arrives (any size, any characters) into a clean
`ReportInput` or a dict of messages keyed by field; it never raises.
"""

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from ..vocab import DEVICE_CHOICES, EARLIEST, PRIVATE_SPACES, SPACES, WHAT

LIMITS = {"venue": 120, "city": 120, "response": 500, "description": 2000}
# A field hidden from people (reports' and responses' forms); bots fill in every field.
HONEYPOT = "x_check"
HONEYPOT_FILLED = _l("The form has a field that should stay empty. Please clear it and "
                     "send again.")
COORDINATE_DECIMALS = 3  # about 100 m: the place, not the stall
IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


@dataclass(frozen=True)
class ReportInput:
    space: str
    what: str
    device: str | None
    venue: str | None
    city: str | None
    latitude: float | None
    longitude: float | None
    observed_on: str | None
    told_venue: bool
    told_police: bool
    response: str | None
    description: str | None


def clean_text(value: str | None) -> str | None:
    """Trimmed text with line breaks kept and other control characters dropped."""
    if not value:
        return None
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(c for c in value if c in "\n\t" or unicodedata.category(c)[0] != "C")
    value = unicodedata.normalize("NFC", value).strip()
    return value or None


def valid_idempotency_key(value: str | None) -> str | None:
    return value if value and IDEMPOTENCY_KEY.fullmatch(value) else None


def _coordinate(text: str | None, bound: float) -> float | None:
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise ValueError from None
    if not math.isfinite(number) or abs(number) > bound:
        raise ValueError
    # Rounded here too, in case the phone did not: never store more precision.
    return round(number, COORDINATE_DECIMALS)


def parse(form: MultiDict[str, str], today: date
          ) -> tuple[ReportInput | None, dict[str, LazyString]]:
    errors: dict[str, LazyString] = {}

    space = form.get("space", "")
    if space in PRIVATE_SPACES:
        # Never stored: a report must never put her home on a map.
        errors["space"] = _l("A report can’t be about a home: SpotCheck never puts anyone’s "
                             "home on the map. If this is about where you live, the checklist "
                             "“At home and on your phone” has help for you.")
    elif space not in SPACES:
        errors["space"] = _l("Choose the kind of place.")
    what = form.get("what", "")
    if what not in WHAT:
        errors["what"] = _l("Choose what happened.")
    device = form.get("device") or None
    if device is not None and device not in DEVICE_CHOICES:
        errors["device"] = _l("Choose a kind of device from the list.")

    texts: dict[str, str | None] = {}
    for field, limit in LIMITS.items():
        text = texts[field] = clean_text(form.get(field))
        if text and len(text) > limit:
            errors[field] = _l("Please keep this under %(limit)s characters (now %(count)s).",
                               limit=limit, count=len(text))

    latitude = longitude = None
    try:
        latitude = _coordinate(form.get("latitude"), 90)
        longitude = _coordinate(form.get("longitude"), 180)
        if (latitude is None) != (longitude is None):
            raise ValueError
    except ValueError:
        errors["location"] = _l("Give both latitude and longitude as numbers, or leave both "
                                "empty.")

    observed_on = None
    if raw_date := (form.get("observed_on") or "").strip():
        try:
            day = date.fromisoformat(raw_date)
        except ValueError:
            errors["observed_on"] = _l("Give the date as year-month-day, e.g. 2026-03-08.")
        else:
            # A day ahead is allowed: the visitor may be in a later time zone.
            if not EARLIEST <= day <= today + timedelta(days=1):
                errors["observed_on"] = _l("The date can’t be in the future.")
            else:
                observed_on = day.isoformat()

    if errors:
        return None, errors
    return ReportInput(
        space=space,
        what=what,
        device=device,
        venue=texts["venue"],
        city=texts["city"],
        latitude=latitude,
        longitude=longitude,
        observed_on=observed_on,
        told_venue=form.get("told_venue") == "yes",
        told_police=form.get("told_police") == "yes",
        response=texts["response"],
        description=texts["description"],
    ), {}


def prefill(args: MultiDict[str, str]) -> dict[str, str]:
    """Form values from a checklist's link (?space=...&device=...), when valid."""
    values = {}
    if args.get("space") in SPACES:
        values["space"] = args["space"]
    if args.get("device") in DEVICE_CHOICES:
        values["device"] = args["device"]
    return values
