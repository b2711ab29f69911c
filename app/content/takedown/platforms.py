"""Platforms and search engines: where the footage is posted or found, and their own forms."""

from .model import Destination

PLATFORMS: tuple[Destination, ...] = ()
