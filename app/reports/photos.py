"""Photos of a device: decoded, checked, and re-encoded with nothing but pixels.

A phone photo carries the place (GPS), the time, the phone's make and often
its owner's name. We decode the image, turn it upright, copy its pixels into a
brand-new image and save that, so no EXIF, XMP, GPS, ICC profile, comment or
trailing data can survive (docs/privacy.md, promise 5). Photos are stored under a
random name in the instance folder, never in static/, and never served
publicly.
"""

import io
import os
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 2560  # stored photos are scaled down to this: plenty to recognise a device
ACCEPTED = {"JPEG": {".jpg", ".jpeg"}, "PNG": {".png"}, "WEBP": {".webp"},
            "HEIF": {".heic", ".heif"}}
# Signs of another file format hidden in or after an image (a polyglot). They
# are long enough that a real photo's compressed bytes almost never hold one
# by chance (about 1 in 10,000 for a 5 MB photo).
FOREIGN_TEXT = (b"<script", b"<html", b"<!doctype", b"<?php", b"%pdf-")
ZIP_END = b"PK\x05\x06"  # a ZIP's last record, within 64 KiB of its end


# Pillow refuses images over twice this at open() and warns over once; we
# refuse anything over once ourselves, with a message she can act on.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


TOO_MANY_PIXELS = _l("The photo has too many pixels (more than 40 megapixels).")


class PhotoError(ValueError):
    """A photo we will not keep, with the reason to show the reporter."""

    def __init__(self, message: LazyString):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes  # WebP, pixels only
    width: int
    height: int


def clean(data: bytes, filename: str) -> CleanPhoto:
    """Check an uploaded photo and return it re-encoded without any metadata."""
    if len(data) > MAX_BYTES:
        raise PhotoError(_l("The photo is larger than 10 MB. Please choose a smaller one."))
    extension = os.path.splitext(filename.lower())[1]
    if not any(extension in names for names in ACCEPTED.values()):
        raise PhotoError(_l("Please choose a photo in JPEG, PNG, WebP or HEIC format."))
    lowered = data.lower()
    if any(marker in lowered for marker in FOREIGN_TEXT) or ZIP_END in data[-65_600:]:
        raise PhotoError(_l("This file holds more than a photo, so we can’t accept it."))

    # WeasyPrint (the poster PDFs) turns Pillow's global LOAD_TRUNCATED_IMAGES
    # on when it is imported; a cut-off photo must still be refused here.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    with warnings.catch_warnings():
        # Pillow warns before it refuses; we refuse ourselves, on our limit.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except Image.DecompressionBombError:
            raise PhotoError(TOO_MANY_PIXELS) from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            raise PhotoError(_l("We can’t read this file as a photo.")) from None
        with image:
            if image.format not in ACCEPTED:
                raise PhotoError(_l("Please choose a photo in JPEG, PNG, WebP or HEIC format."))
            if extension not in ACCEPTED[image.format]:
                raise PhotoError(_l("The file’s name says one kind of image but it holds "
                                    "another. Please choose the original photo."))
            if image.width * image.height > MAX_PIXELS:
                raise PhotoError(TOO_MANY_PIXELS)
            try:
                image.load()
                upright = ImageOps.exif_transpose(image)
            except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
                raise PhotoError(_l("The photo seems damaged or incomplete. Please try "
                                    "another.")) from None
            pixels = _pixels_only(upright)

    pixels.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    pixels.save(out, "WEBP", quality=82, method=4)
    return CleanPhoto(out.getvalue(), pixels.width, pixels.height)


def _pixels_only(image: Image.Image) -> Image.Image:
    """A new RGB image holding only these pixels: no info, no profile, no EXIF."""
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, image)
    rgb = image.convert("RGB")
    fresh = Image.new("RGB", rgb.size)
    fresh.paste(rgb)
    return fresh


def store(photo: CleanPhoto, folder: Path) -> str:
    """Write the photo under a new random name; return that name."""
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_urlsafe(18)}.webp"
    partial = folder / f".{name}.partial"
    with open(partial, "wb") as f:
        f.write(photo.data)
        f.flush()
        os.fsync(f.fileno())
    partial.replace(folder / name)
    return name


def delete(folder: Path, name: str | None) -> None:
    if name and "/" not in name and not name.startswith("."):
        (folder / name).unlink(missing_ok=True)
