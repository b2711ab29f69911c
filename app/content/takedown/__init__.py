"""The takedown kit's destinations: every place that can remove footage of her, as data.

Like the regions (regions/), each entry says where its facts were read and when,
so a reviewer can check it again; docs/content-review.md records the check.
The page (app/takedown/) lists her region's destinations first; the letters
(app/takedown/letters.py) and the tracker on her phone name them by `key`.
"""

from .help import HELP
from .model import KINDS, Destination, Kind, LetterLanguage
from .platforms import PLATFORMS

DESTINATIONS: tuple[Destination, ...] = HELP + PLATFORMS
BY_KEY = {d.key: d for d in DESTINATIONS}

__all__ = ["BY_KEY", "DESTINATIONS", "KINDS", "Destination", "Kind", "LetterLanguage"]
