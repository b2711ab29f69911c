"""The found-something guide: where to get help, by region.

Services come from shared/CONTENT.md; regions and their numbers from
regions.py. The places that remove images posted online are the takedown kit's
destinations (takedown/): a service is here only while it is support, or a
takedown place the kit does not list yet, never in both (tests/takedown).
A chosen region's services come first; without one, those of the regions the
page language's readers are likely in.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TypeVar

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from .regions import DAY_AND_NIGHT, Region, likely_regions


@dataclass(frozen=True)
class Service:
    name: LazyString | str  # brand names that read the same everywhere stay plain
    what: LazyString
    url: str | None = None
    phone: str | None = None
    region: str | None = None  # None: anywhere in the world
    limit: LazyString | None = None  # what it cannot do, said plainly
    hours: LazyString | None = None
    sources: tuple[str, ...] = ()  # where the above was confirmed, besides `url` itself
    checked: str | None = None


CHECKED = "2026-12-04"
RECHECKED = "2026-12-06"  # what the content review of that day corrected or added

# Each service's own limit is said beside it: a promise it cannot keep costs her time.
SERVICES = (
    Service(
        _l("113 protection hotline"),
        _l("Taiwan's hotline for sexual assault, sexual harassment and domestic violence: "
           "advice, and help to report. Several languages."),
        None,
        "113",
        "tw",
        limit=_l("Not for an emergency happening now: call 110."),
        hours=DAY_AND_NIGHT,
        sources=("https://udn.com/news/story/7266/9329707",),
        checked=CHECKED,
    ),
    Service(
        _l("Police line for sexual crime victims"),
        _l("Japan's police line for victims of sexual crimes, secret filming included. You "
           "can ask for a female officer."),
        "https://www.npa.go.jp/higaisya/seihanzai/seihanzai.html",
        "#8103",
        "jp",
        limit=_l("It is the police: talking to them may lead to an investigation. Some IP "
                 "phones cannot connect."),
        hours=DAY_AND_NIGHT,
        sources=("https://www.gender.go.jp/policy/sokushin/ouen/safe/victim/",),
        checked=CHECKED,
    ),
    Service(
        "Hotline.ie",
        _l("Ireland's service to report intimate images shared, or threatened, without "
           "consent, anonymously if you wish; it works to have them removed."),
        "https://hotline.ie/report",
        None,
        "ie",
        limit=_l("It cannot guarantee removal from platforms abroad."),
        sources=("https://gov.ie/en/policy-information/35bec-intimate-image-abuse",),
        checked=CHECKED,
    ),
    Service(
        "Netsafe",
        _l("New Zealand's agency for harmful digital communications, intimate images "
           "included: advice, and asking platforms to remove them."),
        "https://report.netsafe.org.nz/",
        "0508 638 723",
        "nz",
        limit=_l("It cannot identify anonymous accounts or punish anyone."),
        hours=_l("08:00–20:00 on weekdays, 09:00–17:00 at weekends and on holidays; the "
                 "online form at any time."),
        sources=("https://netsafe.org.nz/aboutnetsafe/our-service/",),
        checked=CHECKED,
    ),
    Service(
        "Cybertip.ca",
        _l("Canada's tipline for young people whose nude images are being shared; it sends "
           "notices to platforms."),
        "https://www.cybertip.ca/app/en/report-sharing_sexual_pictures",
        None,
        "ca",
        # Manitoba names the Canadian Centre for Child Protection, which runs Cybertip.ca,
        # to help people of any age under its intimate image law (CBC, 2018).
        limit=_l("Cybertip.ca itself is for images of people under 18. Adults in Manitoba get "
                 "help from the same centre under the province's intimate image law, and adults "
                 "in British Columbia from the province's own service; elsewhere, go to the "
                 "police."),
        sources=("https://www.cybertip.ca/app/en/report-sharing_sexual_pictures",
                 "https://amp.cbc.ca/lite/story/1.4637615"),
        checked=RECHECKED,
    ),
    Service(
        _l("Intimate Images Protection Service (British Columbia)"),
        _l("For anyone in British Columbia, adults included, whose intimate images were shared "
           "or threatened to be shared: support, contact with platforms, and help to get a "
           "Civil Resolution Tribunal order to take the images down."),
        "https://www2.gov.bc.ca/gov/content/safety/public-safety/intimate-images/intimate-images-support",
        None,
        "ca",
        limit=_l("Only in British Columbia. A tribunal order is enforceable, but a platform "
                 "abroad may still ignore it."),
        # X was fined for only geofencing an image a tribunal order told it to remove.
        sources=("https://www2.gov.bc.ca/gov/content/safety/public-safety/intimate-images/image-removal-reporting",
                 "https://decisions.civilresolutionbc.ca/crt/ini/en/item/528320/index.do?iframe=true"),
        checked=RECHECKED,
    ),
    Service(
        "SHECARES@SCWO",
        _l("Singapore's centre for victims of online harms, intimate images included: help "
           "with police reports, counselling and free legal advice."),
        "https://scwo.org.sg/shecaresscwo-a-one-stop-centre-to-support-victims-of-online-harms",
        None,
        "sg",
        limit=_l("A small team, and not open around the clock."),
        sources=("https://tnp.straitstimes.com/news/singapore/new-help-centre-women-facing-online-attacks-harassment",),
        checked=CHECKED,
    ),
    Service(
        "Talian Kasih 15999",
        _l("Malaysia's government helpline for abuse and violence against women and "
           "families; it connects you with welfare officers and the police."),
        None,
        "15999",
        "my",
        limit=_l("It is not a takedown service."),
        hours=DAY_AND_NIGHT,
        sources=("https://www.malaymail.com/news/malaysia/2020/01/30/dpm-talian-kasih-helpline-records-increase-in-calls-last-year/1832884",),
        checked=CHECKED,
    ),
)


def lead_regions(lang: str, chosen: Region | None) -> list[Region]:
    """The regions shown first: the chosen one, else the page language's likely ones."""
    return [chosen] if chosen else likely_regions(lang)


T = TypeVar("T")


def split_by_region(items: Collection[T], lead: list[Region], region_of: Callable[[T], str | None]
                    ) -> tuple[list[T], list[T]]:
    """Items for the lead regions (in their order) and worldwide ones; then the rest.

    static/js/region.js makes the same split on the phone when she picks a region,
    from each item's `data-region` ("*" for worldwide).
    """
    rank: dict[str | None, int] = {r.code: i for i, r in enumerate(lead)} | {None: len(lead)}
    first = sorted((i for i in items if region_of(i) in rank), key=lambda i: rank[region_of(i)])
    return first, [i for i in items if region_of(i) not in rank]
