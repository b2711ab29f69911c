"""The publication policy's content: the answer target and what each level means."""

from flask_babel import lazy_gettext as _l

# A target, not a promise: the UK's website-operator defence (Defamation Act 2013
# s.5 and its Regulations) counts 48 hours from a complaint; China's Civil Code art.
# 1028 gives a right to have a report corrected or deleted.
ANSWER_HOURS = 48

# The verification levels (issue 31, item 1), in order, as the policy explains them.
LEVELS = {
    # Translators: a verification level: one report, checked by an organizer.
    "reported": (_l("Reported"), _l(
        "One person reported it and an organizer read the report, but nobody else has "
        "confirmed it yet. The public copy names the kind of place and the area, not the "
        "place itself.")),
    # Translators: a verification level: other reports or evidence agree.
    "corroborated": (_l("Corroborated"), _l(
        "Reports from different people, or evidence such as a photo that fits the place, "
        "agree with each other. From this level on, the place may be named.")),
    # Translators: a verification level: the police, the place itself or an organizer
    # confirmed it.
    "confirmed": (_l("Confirmed"), _l(
        "The police, the place itself, or an organizer who visited confirmed it. We say "
        "who confirmed it, not who reported it.")),
    # Translators: a verification level: the place acted (device removed, inspection).
    "resolved": (_l("Resolved"), _l(
        "The place acted: the device was removed, the room was inspected or something was "
        "changed. The report stays, marked as resolved, so others know what happened.")),
    # Translators: a verification level: the place contests the report; under review.
    "disputed": (_l("Disputed"), _l(
        "The place contests the report, and organizers are looking at it again. Until they "
        "decide, the report is marked as disputed and does not name the place; the "
        "place’s response can be shown beside it.")),
}
