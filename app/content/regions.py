"""Regions: who to call, and what to ask the police for, where the reader is.

A reader's region is separate from her language: a Hong Kong reader may read
Traditional Chinese or English, and a wrong emergency number is the worst
mistake this site can make. So the page never guesses one number from the
language. It shows the likely regions' numbers side by side, and the region
picker (static/js/region.js, or `?region=xx` without JavaScript) turns that
into one number.

Every number was looked up in a public source, kept in `sources` with the date
in `checked` (ISO date). A field we could not confirm is left out, not guessed.
Codes are ISO 3166 alpha-2, plus "eu" (ISO's reserved code for the EU) and
"zz" (user-assigned: anywhere else).
"""

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Region:
    code: str
    name: LazyString
    police: str | None  # the emergency number to dial; None only for "elsewhere"
    sources: tuple[str, ...] = ()  # where `police`, `non_emergency` and `ask_for` were confirmed
    checked: str | None = None  # ISO date the sources were read
    police_note: LazyString | None = None
    non_emergency: str | None = None  # police line for what is not happening right now
    ask_for: LazyString | None = None  # the paper or number that proves the report was taken


CHECKED = "2026-12-01"

REGIONS = {
    r.code: r
    for r in (
        # Mainland: 110 is in shared/CONTENT.md; no official page was reachable this time.
        Region("cn", _l("Mainland China"), "110", ("shared/CONTENT.md",)),
        Region("hk", _l("Hong Kong"), "999",
               ("https://www.police.gov.hk/ppp_en/01_about_us/pp_operation.html",
                "https://police.gov.hk/offbeat/1134/chi/7900.html"),
               CHECKED, non_emergency="2527 7177",
               ask_for=_l("Ask for the report number (報案編號).")),
        Region("mo", _l("Macau"), "999",
               # Copies of the Public Security Police hotline list and of the Judiciary
               # Police leaflet; the originals are on fsm.gov.mo and pj.gov.mo.
               ("https://livrozilla.com/doc/838113/http---www.fsm.gov.mo-psp-%E7%86%B1%E7%B7%9A%E9%9B%BB%E8%A9%B1--contactos-%C3%BAteis---general",
                "https://studylibpt.com/doc/5748745/%E6%9C%8D%E5%8B%99%E6%89%BF%E8%AB%BE-%E6%9C%8D%E5%8B%99%E6%89%BF%E8%AB%BE"),
               CHECKED, _l("110 and 112 also work. Judiciary Police crime line: 993.")),
        Region("tw", _l("Taiwan"), "110",
               ("https://www.sanxia.police.ntpc.gov.tw/cp-668-115391-24.html",
                "https://news.pts.org.tw/article/514299"),
               CHECKED,
               # Since March 2023 one form replaced the old 三聯單 (PTS, source above).
               ask_for=_l("Ask for the report certificate (報案證明單).")),
        Region("sg", _l("Singapore"), "999",
               ("https://www.police.gov.sg/news-and-publications/features/The%20Line%20Between%20Life%20and%20Death",),
               CHECKED, non_emergency="1800 255 0000"),
        Region("my", _l("Malaysia"), "999",
               ("https://www.thestar.com.my/news/nation/2025/11/22/review-for-ng-mers-999",),
               CHECKED),
        Region("jp", _l("Japan"), "110",
               ("https://japantoday.com/category/national/police-ask-public-not-to-use-110-number-for-non-urgent-calls-2",),
               CHECKED, non_emergency="#9110"),
        Region("kr", _l("South Korea"), "112",
               ("http://www.korea.net/NewsFocus/Society/view?articleId=234923",), CHECKED),
        Region("us", _l("United States"), "911",
               ("https://stlouiscountymn.gov/departments-a-z/sheriff/about-the-sheriffs-office/faqs",),
               CHECKED),
        Region("ca", _l("Canada"), "911",
               ("https://www.rcmp-grc.gc.ca/ab/community-communaute/report-signalez-eng.htm",),
               CHECKED),
        Region("gb", _l("United Kingdom"), "999",
               ("http://www.wiltshire.police.uk/contact-us/call-up",), CHECKED,
               non_emergency="101"),
        Region("ie", _l("Ireland"), "999",
               ("https://www.kildarestreet.com/wrans/?id=2025-11-25a.1853",),
               CHECKED, _l("112 also works.")),
        Region("au", _l("Australia"), "000",
               ("https://www.police.wa.gov.au/contact-us/about-calling-000-and-131-444",),
               CHECKED, non_emergency="131 444"),
        Region("nz", _l("New Zealand"), "111",
               ("https://www.police.govt.nz/contact-us/calling-emergency-111",
                "https://www.vectorgroup.org.nz/vector-group-latest-news/police-announce-non-emergency-number-its-105/"),
               CHECKED, non_emergency="105"),
        Region("eu", _l("European Union"), "112",
               ("https://pulizija.gov.mt/en/emergency-services-112/",), CHECKED),
        Region("zz", _l("Elsewhere"), None,
               police_note=_l("Call the local emergency number. Staff or a local person can "
                              "tell you which it is.")),
    )
}

# Other spellings a browser or a reader may use for a region above.
ALIASES = {"uk": "gb"} | {
    c: "eu" for c in ("at", "be", "bg", "hr", "cy", "cz", "dk", "ee", "fi", "fr", "de", "gr",
                      "hu", "it", "lv", "lt", "lu", "mt", "nl", "pl", "pt", "ro", "sk", "si",
                      "es", "se")
}

# The regions a page language's readers most likely are in, shown together when
# her region is not known: never one number for a language spoken in several places.
LIKELY_REGIONS = {
    "zh-hans": ("cn", "hk", "mo", "tw"),
    "zh-hant": ("tw", "hk", "mo"),
    "zh-hk": ("hk", "mo", "tw"),
    "en": ("us", "gb", "au"),
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
