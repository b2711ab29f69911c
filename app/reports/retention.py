"""Retention for reviewed reports: the private parts go, the public copy stays.

Once organizers have decided on a report (published, rejected or a duplicate),
what only they ever saw is no longer needed for long. PRIVATE_RETENTION_DAYS
after `reviewed_on`, `forget_private_parts` deletes the description, what the
venue or police did, the messages and the photo, and cuts the place down to
what the public copy shows (map/public_copy.public_place): the approved
fields (and an approved venue its verification level still hides), the
location on the public grid. A report never published keeps no
place at all. So the report row then holds nothing the public copy does not,
and a map rebuild (`publish.rebuild`) gives the very same map, because a grid
centre snaps to itself. The public copy itself is never touched.
"""

import sqlite3
from datetime import date, timedelta
from typing import NamedTuple

from ..db import transaction
from ..map.public_copy import PUBLIC_PLACE, public_place
from ..organizers import audit
from . import photos

# Fields the organizer did not approve, and every field of a report never
# published, come back from the public copy as None, so they become NULL. But a
# venue she approved stays even while its verification level keeps it out of the
# public copy (map/publish.py VENUE_LEVELS): raised to corroborated later, the
# report names it, as she decided. It is the place, never the reporter's words.
KEEP_ONLY_PUBLIC_PLACE = ", ".join(
    "venue = CASE WHEN EXISTS (SELECT 1 FROM json_each(public_fields) WHERE value = 'venue') "
    "AND status = 'published' THEN venue END" if column == "venue" else f"{column} = :{column}"
    for column in PUBLIC_PLACE)


class PrivateParts(NamedTuple):
    """When a report's private parts go (or went), for the organizer's card."""

    on: date
    gone: bool


def private_parts(report: sqlite3.Row, keep_days: int) -> PrivateParts | None:
    """When this report's private parts were or will be deleted; None until it is reviewed."""
    if report["private_cleared_on"]:
        return PrivateParts(date.fromisoformat(report["private_cleared_on"]), True)
    if report["reviewed_on"]:
        return PrivateParts(date.fromisoformat(report["reviewed_on"]) + timedelta(keep_days),
                            False)
    return None


def forget_private_parts(conn: sqlite3.Connection, keep_days: int, on: date) -> int:
    """Clear the private parts of reports reviewed `keep_days` or more days before `on`.

    One transaction: a report is cleared whole (row, messages, photo) or not at
    all, and `private_cleared_on` marks it so it is done once. Messages sent to
    a cleared report afterwards (her status page still takes answers) go at
    the next run. Returns how many reports were cleared now.
    """
    cutoff = (on - timedelta(days=keep_days)).isoformat()
    with transaction(conn):
        due = [row[0] for row in conn.execute(
            "SELECT id FROM report WHERE private_cleared_on IS NULL AND reviewed_on <= ? "
            "AND status != 'received'", (cutoff,))]
        # told_venue and told_police are NOT NULL: 0 says nothing about what she did.
        conn.executemany(
            f"UPDATE report SET description = NULL, response = NULL, told_venue = 0, "  # noqa: S608
            f"told_police = 0, {KEEP_ONLY_PUBLIC_PLACE}, private_cleared_on = :on "
            "WHERE id = :id",
            [{**public_place(conn, report_id), "on": on.isoformat(), "id": report_id}
             for report_id in due])
        for report_id in due:
            photos.forget(conn, report_id)
        conn.execute("DELETE FROM report_message WHERE EXISTS (SELECT 1 FROM report WHERE "
                     "report.id = report_message.report_id AND private_cleared_on IS NOT NULL)")
        audit.deleted(conn, "delete private parts", len(due))
    return len(due)
