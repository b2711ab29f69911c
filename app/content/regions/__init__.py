"""Regions: who to call, and what to ask the police for, where the reader is.

A reader's region is separate from her language: a Hong Kong reader may read
Traditional Chinese or English, and a wrong emergency number is the worst
mistake this site can make. So the page never guesses one number from the
language (the server's or the phone's). Until she says where she is, it asks,
with the language's likely regions as choices; her choice (`?region=xx`, or kept
on the phone by static/js/region.js) is stated above its one number.

Every number was looked up in a public source, kept in `sources` with the date
in `checked` (ISO date). A field we could not confirm is left out, not guessed.
A source that is not the responsible body's own page (a news report, a copy, a
summary) is in SECONDARY, and the card says "secondary source" beside its link.
Codes are ISO 3166 alpha-2, plus "eu" (ISO's reserved code for the EU) and
"zz" (user-assigned: anywhere else).
"""

from .asia import ASIA
from .domestic_violence import DV_CHECKED, DV_HELP
from .elsewhere import ELSEWHERE
from .model import CHECKED, DAY_AND_NIGHT, LOCAL_STATION, RECHECKED, Helpline, Region, Source
from .secondary import SECONDARY

__all__ = ["ALIASES", "CHECKED", "DAY_AND_NIGHT", "DV_CHECKED", "DV_HELP", "LIKELY_REGIONS",
           "LOCAL_STATION", "RECHECKED", "REGIONS", "SECONDARY", "Helpline", "Region", "Source",
           "find_region", "likely_regions"]

REGIONS = {r.code: r for r in ASIA + ELSEWHERE}

# Other spellings a browser or a reader may use for a region above.
ALIASES = {"uk": "gb"} | {
    c: "eu" for c in ("at", "be", "bg", "hr", "cy", "cz", "dk", "ee", "fi", "fr", "de", "gr",
                      "hu", "it", "lv", "lt", "lu", "mt", "nl", "pl", "pt", "ro", "sk", "si",
                      "es", "se")
}

# The regions a page language's readers most likely are in, offered first when
# her region is not known: never one number for a language spoken in several places.
LIKELY_REGIONS = {
    "zh-hans": ("cn", "hk", "mo", "tw"),
    "zh-hant": ("tw", "hk", "mo"),
    "zh-hk": ("hk", "mo", "tw"),
    # English is read in Hong Kong, Singapore and Malaysia as much as in the West.
    "en": ("hk", "sg", "my", "us", "gb", "au"),
}


def find_region(code: str | None) -> Region | None:
    """The region a `?region=` value names (ISO 3166 alpha-2, any case), else None."""
    if not code or len(code) > 8:
        return None
    code = code.strip().lower()
    return REGIONS.get(ALIASES.get(code, code))


def likely_regions(lang: str) -> list[Region]:
    """The regions to show side by side for a page language when the region is unknown."""
    return [REGIONS[c] for c in LIKELY_REGIONS.get(lang, LIKELY_REGIONS["en"])]
