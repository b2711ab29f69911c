"""Takedown destinations made up for tests and for weighing the kit's page.

The real list (app/content/takedown/) is being filled in; these stand in for it:
every kind, several regions and the worldwide, every optional field. Their words
are real translated strings (the regions' own lines), so a page in Chinese weighs
what it will with Chinese text, not English.
"""

from itertools import cycle

from app.content.regions import REGIONS
from app.content.takedown import KINDS, Destination

REGION_CODES = ("tw", "hk", "cn", "kr", "gb", "au", "us", None)


def made_up_destinations(count: int = 30) -> tuple[Destination, ...]:
    """`count` destinations, kinds and regions in turn, each field a different string."""
    words = cycle([text for region in REGIONS.values()
                   for text in (region.ask_for, region.law, *region.also) if text])
    kinds, regions = cycle(KINDS), cycle(REGION_CODES)
    languages = cycle(("en", "zh-hans", "zh-hant"))
    made = []
    for i in range(count):
        made.append(Destination(
            f"test-{i:02}", f"Destination {i:02}", next(kinds), next(regions),
            next(words), next(words), next(words), next(languages), next(words),
            (f"https://example.org/{i}/policy", f"https://news.example/{i}"), "2026-12-06",
            url=f"https://example.org/{i}/report", email=f"abuse{i}@example.org",
            phone=f"0{i:02}-555-{i:04}", ignores=next(words), limit=next(words),
            take_it_down_act=i % 4 == 2))
    return tuple(made)
