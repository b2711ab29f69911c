"""The response form's fields: what arrives, checked; it never raises."""

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from ..reports.form import clean_text

LIMITS = {"role": 120, "body": 2000, "contact": 200}
ASKS = {
    # Translators: what a place's owner or manager asks of organizers: show their answer.
    "publish": _l("Publish my response beside the report"),
    # Translators: what a place's owner or manager asks: correct a detail of the report.
    "correct": _l("Correct the report"),
    # Translators: what a place's owner or manager asks: take the report off the site.
    "remove": _l("Remove the report"),
}


@dataclass(frozen=True)
class ResponseInput:
    role: str
    body: str
    asks: str
    contact: str | None


def parse(form: MultiDict[str, str]) -> tuple[ResponseInput | None, dict[str, LazyString]]:
    errors: dict[str, LazyString] = {}
    texts = {field: clean_text(form.get(field)) for field in LIMITS}
    for field, limit in LIMITS.items():
        text = texts[field]
        if text and len(text) > limit:
            errors[field] = _l("Please keep this under %(limit)s characters (now %(count)s).",
                               limit=limit, count=len(text))
    if not texts["role"] and "role" not in errors:
        errors["role"] = _l("Say who you are for this place, e.g. “manager of the shop”.")
    if not texts["body"] and "body" not in errors:
        errors["body"] = _l("Write what you want to say about the report.")
    asks = form.get("asks", "")
    if asks not in ASKS:
        errors["asks"] = _l("Choose what you ask us to do.")
    if errors:
        return None, errors
    return ResponseInput(role=texts["role"] or "", body=texts["body"] or "", asks=asks,
                         contact=texts["contact"]), {}
