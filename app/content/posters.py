"""What a poster can say, where it can lead, and the paper it is printed on.

Headlines are few and written with care, so a volunteer can't put up something
alarming or that reads like an advertisement. A poster's wording is rendered in
the poster's own languages, whatever language the builder is used in.
"""

from dataclasses import dataclass
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from .checklists import CHECKLISTS


@dataclass(frozen=True)
class Headline:
    text: LazyString  # the poster's headline
    short: LazyString  # the same, short enough for a sticker


HEADLINES = {
    "check": Headline(
        # Translators: poster headline, read from two metres away. Calm, not alarming.
        _l("Worried about hidden cameras? Check this room before you use it."),
        # Translators: sticker text, very short.
        _l("Hidden camera? Check before you use it."),
    ),
    "changing": Headline(
        # Translators: poster headline for fitting and changing rooms.
        _l("Before you change, check for hidden cameras."),
        # Translators: sticker text, very short.
        _l("Check for cameras before you change."),
    ),
    "found": Headline(
        # Translators: poster headline leading to the found-something guide.
        _l("Found a hidden camera? You are not alone. Here is what to do."),
        # Translators: sticker text, very short.
        _l("Found a camera? Here is what to do."),
    ),
    "warn": Headline(
        # Translators: poster headline leading to the report form.
        _l("Seen a hidden camera here? Warn others, without giving your name."),
        # Translators: sticker text, very short.
        _l("Seen a camera? Warn others anonymously."),
    ),
}


@dataclass(frozen=True)
class Destination:
    label: LazyString  # as the builder lists it
    endpoint: str
    # url_for's values for endpoint (Any: mypy matches a dict[str, str] to _external too)
    args: dict[str, Any]
    headline: str  # the headline that fits best, chosen first


DESTINATIONS = {
    "home": Destination(_l("SpotCheck’s home page"), "home.index", {}, "check"),
    **{
        f"check-{space}": Destination(
            _l("Checklist: %(space)s", space=checklist.name), "checklists.checklist",
            {"space": space},
            "changing" if space in ("fitting-room", "changing-room") else "check",
        )
        for space, checklist in CHECKLISTS.items()
        if checklist.reportable  # a poster in public never points to the home checklist
    },
    "found": Destination(_l("What to do if you find something"), "checklists.found", {},
                         "found"),
    "report": Destination(_l("The anonymous report form"), "reports.report", {}, "warn"),
}

# A poster's languages, in the order they are printed. The first is the one its
# code leads to unless the phone asks for the other.
LANGUAGE_SETS = {
    "zh-hans": ("zh-hans",),
    "zh-hant": ("zh-hant",),
    "en": ("en",),
    "zh-hans+en": ("zh-hans", "en"),
    "zh-hant+en": ("zh-hant", "en"),
    # Hong Kong and Macau: Traditional in Hong Kong's words, and English.
    "zh-hk": ("zh-hk",),
    "zh-hk+en": ("zh-hk", "en"),
}


@dataclass(frozen=True)
class Format:
    label: LazyString
    page: str  # the CSS @page size
    stickers: int = 0  # stickers per sheet; 0 for a poster
    columns: int = 1
    # The short link goes under the code, unless the code takes the sticker's full height.
    link_beside_code: bool = False
    # QR error correction: Q survives a scratch or a smudge over a quarter of the code.
    # The smallest stickers take M (15 %) for fewer, bigger modules, so they still
    # read from a step away (bench/scan_distance.py).
    qr_level: str = "Q"

    @property
    def paper(self) -> str:
        """The sheet to load in the printer, as printers name it."""
        return "US Letter" if self.page == "letter" else self.page


FORMATS = {
    "a4": Format(_l("A4 poster (210 × 297 mm)"), "A4"),
    "a3": Format(_l("A3 poster (297 × 420 mm)"), "A3"),
    "letter": Format(_l("US Letter poster (8.5 × 11 in)"), "letter"),
    "a5": Format(_l("A5 flyer (148 × 210 mm)"), "A5"),
    # Sized like the commonest label sheets (99.1 × 67.7 mm and 63.5 × 33.9 mm),
    # and fine on plain paper cut with scissors.
    "stickers-8": Format(_l("8 stickers on A4, for doors and mirrors"), "A4", 8, 2),
    "stickers-24": Format(_l("24 small stickers on A4, for cubicle doors"), "A4", 24, 3,
                          link_beside_code=True, qr_level="M"),
}
