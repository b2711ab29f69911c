"""Those who act for her: takedown centres, national reporting channels, hash services."""

from flask_babel import lazy_gettext as _l

from .model import Destination

CHECKED = "2026-12-06"

HELP: tuple[Destination, ...] = (
    Destination(
        "tw-siarc", _l("Sexual image takedown centre (性影像處理中心)"), "centre", "tw",
        _l("Taiwan's government centre asks platforms, in Taiwan and abroad, to remove "
           "sexual images posted without consent."),
        _l("The links, where and when you found them, and proof of who you are."),
        _l("Online form at any time; phone and online chat 09:00–22:00 every day."),
        "zh-hant",
        _l("None stated."),
        ("https://siarc.mohw.gov.tw/",),
        CHECKED,
        url="https://siarc.mohw.gov.tw/", phone="02-6605-7373",
        limit=_l("Platforms abroad may refuse; each re-upload needs a new complaint."),
    ),
)
