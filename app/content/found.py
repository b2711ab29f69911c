"""The found-something guide: where to get help, by region.

Services come from shared/CONTENT.md; regions and their numbers from
regions.py. A chosen region's services come first; without one, those of the
regions the page language's readers are likely in.
"""

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from .regions import REGIONS, Region, likely_regions


@dataclass(frozen=True)
class Service:
    name: LazyString | str  # brand names that read the same everywhere stay plain
    what: LazyString
    url: str | None = None
    phone: str | None = None
    region: str | None = None  # None: anywhere in the world


SERVICES = (
    Service(
        "StopNCII.org",
        _l("For adults. Your phone makes a digital fingerprint of the image; the image "
           "itself never leaves your phone. Partner platforms then block matching copies."),
        "https://stopncii.org/",
    ),
    Service(
        "Take It Down (NCMEC)",
        _l("For images taken before you were 18. Works the same way, without sending "
           "the image."),
        "https://takeitdown.ncmec.org/",
    ),
    Service(
        _l("Sexual image takedown centre (性影像處理中心)"),
        _l("Taiwan's government centre that asks platforms to remove sexual images. "
           "Protection hotline: 113."),
        "https://siarc.mohw.gov.tw/",
        "02-6605-7373",
        "tw",
    ),
    Service(
        _l("RainLily (風雨蘭)"),
        _l("Hong Kong's centre for survivors of sexual violence, with help getting "
           "images taken down."),
        "https://rainlily.org.hk/",
        "2375 5322",
        "hk",
    ),
    Service(
        _l("12377 illegal content reporting"),
        _l("Mainland China's official channel for reporting illegal content online. For "
           "a crime, also call the police on 110."),
        "https://www.12377.cn/",
        "12377",
        "cn",
    ),
    Service(
        _l("Revenge Porn Helpline"),
        _l("UK helpline for adults whose intimate images were shared without consent."),
        "https://revengepornhelpline.org.uk/",
        "0345 6000 459",
        "gb",
    ),
    Service(
        _l("eSafety Commissioner"),
        _l("Australia's regulator: report image-based abuse and get it removed."),
        "https://www.esafety.gov.au/report/image-based-abuse",
        None,
        "au",
    ),
    Service(
        _l("CCRI crisis helpline"),
        _l("Cyber Civil Rights Initiative, United States: support for victims of "
           "image-based abuse."),
        "https://cybercivilrights.org/",
        "844-878-2274",
        "us",
    ),
    Service(
        _l("Digital Sex Crime Victim Support Center"),
        _l("South Korea's centre for deletion support and counselling. Women's "
           "hotline: 1366."),
        "https://d4u.stop.or.kr/",
        "1366",
        "kr",
    ),
)


def region_order(lang: str, chosen: Region | None) -> list[Region]:
    """Regions with a number: the chosen one first, else the page language's likely ones."""
    first = [chosen] if chosen else likely_regions(lang)
    codes = {r.code for r in first}
    return first + [r for r in REGIONS.values() if r.code not in codes and r.police]


def services_for(regions: list[Region]) -> list[Service]:
    """Services for the leading region first, then the worldwide ones, then the rest."""
    lead = regions[0].code
    order = {r.code: i for i, r in enumerate(regions)}
    return sorted(
        SERVICES,
        key=lambda s: (0 if s.region == lead else 1 if s.region is None else 2,
                       order.get(s.region, 0)),
    )


def regions_with_services() -> list[Region]:
    """The regions a visitor can ask to see help for, in table order."""
    served = {s.region for s in SERVICES}
    return [r for r in REGIONS.values() if r.code in served]
