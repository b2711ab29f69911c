"""The audit log's words in the reader's language.

Each line stores what was done as a fixed English key ("publish", "sign-in failed")
and some details as keys too (the fields made public, the statuses exported). They
are data, written once and never changed; the audit page shows each through a label
here. A key with no label (say, from an older version) shows as it was stored.
tests/review/test_audit_words.py finds every action the code writes and fails on one
without a label.

The English labels are the keys themselves: they were written to be read.
"""

import re

from babel.lists import format_list
from flask_babel import LazyString, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..vocab import LEVELS, SPACES, STATUSES
from .actions import PUBLISHABLE

ACTIONS: dict[str, LazyString] = {
    # Translators: audit log, what an organizer did: published a report.
    "publish": _l("publish"),
    # Translators: audit log: decided not to publish a report (it stays private).
    "reject": _l("reject"),
    # Translators: audit log: marked a report as telling the same as an earlier one.
    "duplicate": _l("duplicate"),
    # Translators: audit log: moved a report held during a flood into the review queue.
    "accept held": _l("accept into the queue"),
    # Translators: audit log: decided not to publish a report held during a flood.
    "discard held": _l("discard held report"),
    # Translators: audit log: set or changed how far a published report is verified.
    "set level": _l("set verification level"),
    # Translators: audit log: sent the reporter a question.
    "ask": _l("ask"),
    # Translators: audit log: looked at the photo attached to a report.
    "view photo": _l("view photo"),
    # Translators: audit log: downloaded every report with every field.
    "export all reports": _l("export all reports"),
    # Translators: audit log: an organizer signed in.
    "sign in": _l("sign in"),
    # Translators: audit log: a try to sign in that failed.
    "sign-in failed": _l("sign-in failed"),
    # Translators: audit log: an admin invited a new organizer.
    "invite": _l("invite"),
    # Translators: audit log: an admin disabled another organizer's account.
    "disable": _l("disable"),
    # Translators: audit log: an admin enabled an account again.
    "enable": _l("enable"),
    # Translators: audit log: an admin wiped another organizer's password (a link sets a new one).
    "reset password": _l("reset password"),
    # Translators: audit log: an organizer turned on two-step sign-in for her account.
    "two-factor on": _l("two-factor on"),
    # Translators: audit log: an organizer turned off two-step sign-in for her account.
    "two-factor off": _l("two-factor off"),
    # Translators: audit log: an admin removed another organizer's two-step sign-in (lost phone).
    "two-factor cleared": _l("two-factor cleared"),
    # Translators: audit log: an organizer opened a report's page (its card) to read it.
    "open report": _l("open report"),
    # Translators: audit log: an organizer signed out.
    "sign out": _l("sign out"),
    # Translators: audit log: an organizer signed out on every device at once.
    "sign out everywhere": _l("sign out everywhere"),
    # Translators: audit log: an organizer chose her password through a one-time link.
    "set password": _l("set password"),
    # Translators: audit log: an admin account was made (with a command on the server, or
    # with the link printed at the first start).
    "create admin": _l("create admin"),
    # Translators: audit log: a try to turn on two-step sign-in that failed (wrong password
    # or code).
    "two-factor on failed": _l("two-factor on failed"),
    # Translators: audit log: a try to turn off two-step sign-in that failed (wrong password
    # or code).
    "two-factor off failed": _l("two-factor off failed"),
    # Translators: audit log: the server deleted reports never published, after the
    # retention period.
    "delete old reports": _l("delete old reports"),
    # Translators: audit log: the server deleted the private parts of reviewed reports
    # (description, photo, messages), after the retention period.
    "delete private parts": _l("delete private parts"),
    # Responses from places (app/replies/), each line's detail naming the response.
    # Translators: audit log: showed a place's response beside its report, in public.
    "publish response": _l("publish response"),
    # Translators: audit log: decided not to show a place's response in public.
    "decline response": _l("decline response"),
    # Translators: audit log: corrected the public side of a report after a response.
    "correct report": _l("correct report"),
    # Translators: audit log: took a published report off the map after a response.
    "withdraw report": _l("withdraw report"),
    # Translators: audit log: opened a place's response (it may hold a contact).
    "open response": _l("open response"),
    # Translators: audit log: the server deleted responses from places not shown in
    # public, after the retention period.
    "delete old responses": _l("delete old responses"),
}

# Actions whose detail is how many reports (the retention deletions).
COUNTED = {"delete old reports", "delete private parts", "delete old responses"}

# Details written as fixed words.
DETAILS: dict[str, LazyString] = {
    # Translators: audit log detail of a failed sign-in.
    "right password, wrong code": _l("right password, wrong code"),
    # Translators: audit log detail of a failed try to turn two-step sign-in on or off.
    "wrong password": _l("wrong password"),
    # Translators: audit log detail: a password was chosen through an invitation link.
    "invitation link": _l("invitation link"),
    # Translators: audit log detail: a password was chosen through a reset link.
    "reset link": _l("reset link"),
    # Translators: audit log detail: the first admin was made with the link printed at first start.
    "setup link": _l("setup link"),
    # Translators: audit log detail: an admin was made with a command on the server.
    "command line": _l("command line"),
}

ROLES: dict[str, LazyString] = {"admin": _l("Admin"), "moderator": _l("Moderator")}


def shown(action: str, detail: str | None) -> tuple[str, str]:
    """What a line says on the audit page: its action and its detail, in the reader's
    language where they are keys the code wrote; anything else as stored."""
    label = ACTIONS.get(action)
    return (str(label) if label is not None else action), _detail(action, detail or "")


def _detail(action: str, detail: str) -> str:
    if detail in DETAILS:
        return str(DETAILS[detail])
    if action == "publish" and detail:
        fields = detail.split(", ")
        if all(field in PUBLISHABLE for field in fields):
            return format_list([str(PUBLISHABLE[field]) for field in fields], locale=get_locale())
    if action == "set level":
        # "corroborated" or "corroborated: two more reports" (review/actions.py level_detail).
        level, _sep, note = detail.partition(": ")
        if level in LEVELS:
            if not note:
                return str(LEVELS[level])
            # Translators: audit log detail: a verification level, then what supports it
            # (the organizer's own words), e.g. "Confirmed: police receipt 114".
            return _("%(level)s: %(note)s", level=LEVELS[level], note=note)
    if action == "duplicate" and (original := re.fullmatch(r"of #(\d+)", detail)):
        # Translators: audit log detail: the report this one repeats.
        return _("of #%(number)s", number=original[1])
    if action == "invite" and (invited := re.fullmatch(r"(.+) \((\w+)\)", detail)):
        username, role = invited.groups()
        if role in ROLES:
            # Translators: audit log detail: the invited organizer and her role.
            return _("%(username)s (%(role)s)", username=username, role=ROLES[role])
    if (response := re.fullmatch(r"response #(\d+)", detail)):
        # Translators: audit log detail: the place's response an action answered.
        return _("response #%(number)s", number=response[1])
    if action in COUNTED and detail.isdigit():
        # Translators: audit log detail: how many reports the retention deletion touched.
        return ngettext("%(num)s report", "%(num)s reports", int(detail))
    if action == "export all reports" and detail:
        return _export_filters(detail)
    return detail


def _export_filters(detail: str) -> str:
    """"received/published hotel-room Taipei": the statuses, then the level
    ("level=corroborated"), a response waiting ("pending=1"), the space and the city
    searched for, if any (review/workbooks.py every_report)."""
    statuses, _sep, rest = detail.partition(" ")
    if not all(status in STATUSES for status in statuses.split("/")):
        return detail
    words = [" / ".join(str(STATUSES[status]) for status in statuses.split("/"))]
    level, _sep, after = rest.partition(" ")
    if level.startswith("level=") and level[6:] in LEVELS:
        words.append(str(LEVELS[level[6:]]))
        rest = after
    pending, _sep, after = rest.partition(" ")
    if pending == "pending=1":
        words.append(_("A response is waiting"))
        rest = after
    space, _sep, city = rest.partition(" ")
    if space in SPACES:
        words.append(str(SPACES[space]))
        rest = city
    if rest:
        words.append(rest)
    return " · ".join(words)
