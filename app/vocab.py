"""The words every feature shares, and the one clock.

Kinds of place, what happened, devices and review statuses are used by the
checklists, the report form, the review queue, the map and the posters: they
are defined once here so a new kind of place is one line, not five. Keys are
stored in the database and put in URLs: never rename one that has shipped.
"""

from datetime import UTC, date, datetime

from flask_babel import lazy_gettext as _l

# The kinds of place: the six with a checklist (their URL slugs), and "other".
SPACES = {
    "restroom": _l("Public toilet"),
    "fitting-room": _l("Fitting room"),
    "hotel-room": _l("Hotel or rental room"),
    "changing-room": _l("Changing room"),
    "medical-room": _l("Medical room"),
    "transport": _l("Trains and stations"),
    # Translators: the kind of place, when it is none of the six checklist spaces.
    "other": _l("Somewhere else"),
}
# Checklists for where she lives, never a kind of place: a report must never put her
# home on a map, so these stay out of SPACES and so off the report form, the review
# queue, the map, its filters and the posters. A report naming one is refused.
PRIVATE_SPACES = {"home": _l("At home and on your phone")}
CHECKLIST_SPACES = (*(space for space in SPACES if space != "other"), *PRIVATE_SPACES)

WHAT = {
    "found": _l("I found a device"),
    "suspected": _l("I suspect there is one"),
    "filming": _l("I saw someone filming"),
}
# The same, as the public reads a published report (the map's legend, a report's page).
WHAT_PUBLISHED = {
    "found": _l("A device was found"),
    "suspected": _l("Someone suspected a device"),
    "filming": _l("Someone was seen filming"),
}

# Kinds of device shown as drawings (static/drawings.svg) and offered on the report form.
DEVICES = {
    # Translators: a kind of hidden-camera disguise, as a short label.
    "smoke-detector": _l("Smoke detector"),
    # Translators: a kind of hidden-camera disguise, as a short label.
    "usb-charger": _l("USB charger"),
    # Translators: a kind of hidden-camera disguise, as a short label.
    "clock": _l("Clock"),
    # Translators: a kind of hidden-camera disguise, as a short label.
    "screw": _l("Screw"),
    # Translators: a kind of hidden-camera disguise, as a short label (power outlet).
    "socket": _l("Socket"),
    # Translators: a kind of hidden-camera disguise, as a short label (air vent).
    "vent": _l("Vent"),
    # Translators: a kind of hidden-camera disguise, as a short label (coat hook).
    "hook": _l("Hook"),
    # Translators: a kind of hidden-camera disguise, as a short label.
    "mirror": _l("Mirror"),
}
# Translators: the kind of device, when it is none of those listed.
DEVICE_CHOICES = {**DEVICES, "other": _l("Something else")}

# A report's place in review. Only "published" ever reaches the public copy.
STATUSES = {"received": _l("Waiting for review"), "published": _l("Published"),
            "rejected": _l("Not published")}

# How far a published report is verified (issue 31), from least to most, then the
# two states after or beside them. An organizer sets one when publishing and may
# change it (review/actions.py); the public copy shows it (map/publish.py).
LEVELS = {
    # Translators: verification level: one report, read by an organizer.
    "reported": _l("Reported"),
    # Translators: verification level: independent reports or evidence agree.
    "corroborated": _l("Corroborated"),
    # Translators: verification level: the police, the venue or an organizer's visit confirmed it.
    "confirmed": _l("Confirmed"),
    # Translators: verification level: the venue acted (removed the device, inspected, changed).
    "resolved": _l("Resolved"),
    # Translators: verification level: the venue contests the report; organizers are looking again.
    "disputed": _l("Disputed"),
}
# What each level means, for organizers choosing one and the public reading one.
LEVEL_MEANINGS = {
    "reported": _l("One report, read by an organizer."),
    "corroborated": _l("Independent reports or evidence agree."),
    "confirmed": _l("The police, the venue or an organizer’s own visit confirmed it."),
    "resolved": _l("The venue acted: removed the device, inspected or made changes."),
    "disputed": _l("The venue contests the report. Organizers are looking at it again."),
}

# The earliest date a report or a map question may name.
EARLIEST = date(2000, 1, 1)


def today() -> date:
    """Today in UTC, the only calendar SpotCheck keeps (never the server's local day).

    Dates, never times, are stored, so a report's date says nothing finer than the day.
    """
    return datetime.now(UTC).date()
