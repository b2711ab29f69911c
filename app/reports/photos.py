"""Photos of a device: decoded, checked, and re-encoded with nothing but pixels.

A phone photo carries the place (GPS), the time, the phone's make and often
its owner's name. We decode the image, turn it upright, copy its pixels into a
brand-new image and save that, so no EXIF, XMP, GPS, ICC profile, comment or
trailing data can survive (docs/privacy.md, promise 5). Photos are stored in the
database (report_photo), in the report's own transaction, and never served
publicly: one place to delete, back up and replicate, and no file whose time
says when it arrived.

A small file can claim a huge image (a 170 KB PNG of 6316 × 6316 pixels
decodes to 160 MB), so the memory a decode may take is bounded before any pixel
is decoded. Pillow keeps up to 4 bytes a pixel. A JPEG is decoded at 1/2, 1/4
or 1/8 scale whenever that still leaves MAX_SIDE, so under its 40 MP cap it
never decodes to more than 5120 × 5120 (26 MP). PNG, WebP and HEIF cannot be
decoded smaller. HEIF is capped at 25 MP (an iPhone's 24 MP HEIC passes). PNG
and WebP, which no phone camera saves, are capped at 12 MP (issue 28, item
11): a zero-filled 25 MP PNG is only 97 KB but took a worker from 42 to 308 MB
and 0.8 CPU seconds, a 25 MP WebP of under 1 KB to 502 MB. What a reporter
sends in these formats is a screenshot (a phone's screen is 3 to 6 MP, a 4K
screen 8.3 MP) or a picture saved again by an app, and a photograph's own
detail keeps a PNG of more than about 5 MP above the 10 MB limit anyway. Measured
(bench/photo_bomb.py --gunicorn --largest), one decode takes at most about
290 MB above the worker's usual size (a 25 MP HEIC; a 12 MP WebP with
transparency about 190 MB, a 12 MP PNG about 140 MB, a 40 MP JPEG under 100 MB).
One thread per worker process decodes every photo, one at a time, so that
bound holds per worker however many request threads it runs
(scripts/gunicorn.conf.py: 4).
"""

import io
import os
import sqlite3
import warnings
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import pillow_heif
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from ..db import transaction

MAX_BYTES = 10 * 1024 * 1024
MAX_SIDE = 2560  # stored photos are scaled down to this: plenty to recognise a device
# What each format may claim, in pixels: see the docstring for the memory this bounds.
MAX_PIXELS = {"JPEG": 40_000_000, "MPO": 40_000_000, "PNG": 12_000_000, "WEBP": 12_000_000,
              "HEIF": 25_000_000}
# MPO is a JPEG with more pictures after the first (phones' portrait shots); we
# keep the first, which is the photo itself.
ACCEPTED = {"JPEG": {".jpg", ".jpeg"}, "MPO": {".jpg", ".jpeg"}, "PNG": {".png"},
            "WEBP": {".webp"}, "HEIF": {".heic", ".heif"}}
# Modes that Pillow can shrink as they are; others (palette, 16-bit, 1-bit)
# become RGB(A) first.
SHRINKABLE = {"RGB", "RGBA", "L", "LA", "CMYK"}
# Signs of another file format hidden in or after an image (a polyglot). They
# are long enough that a real photo's compressed bytes almost never hold one
# by chance (about 1 in 10,000 for a 5 MB photo).
FOREIGN_TEXT = (b"<script", b"<html", b"<!doctype", b"<?php", b"%pdf-")
ZIP_END = b"PK\x05\x06"  # a ZIP's last record, within 64 KiB of its end


# Pillow refuses images over twice this at open() and warns over once; we
# refuse anything over our own cap ourselves, with a message she can act on.
Image.MAX_IMAGE_PIXELS = max(MAX_PIXELS.values())
# iPhones save HEIC. Their thumbnails, depth maps and other extra images are
# never used, so they are not even read.
pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)
# The one thread that decodes photos in this process (see above). A lock would
# bound the pixels alive at once too, but glibc gives each request thread a
# malloc arena of its own that keeps its high-water mark: four 25 MP PNGs at
# once then peaked at 596 MB instead of 317 MB, as the big buffers all stay in
# one arena here. A wait is short: a worker has few threads, and one photo takes
# at most a second or two. The thread starts with the first photo, in the
# worker, after gunicorn's fork.
_decoder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="photo-decoder")


# Whole sentences, not a number put in: Chinese counts pixels in 万 (10,000s).
TOO_MANY_PIXELS = {
    40_000_000: _l("The photo has too many pixels (more than 40 megapixels)."),
    25_000_000: _l("The photo has too many pixels (more than 25 megapixels)."),
    # Translators: PNG and WebP are file formats; JPEG and HEIC are what phone cameras save.
    12_000_000: _l("This PNG or WebP image has too many pixels (more than 12 megapixels). "
                   "Please send the photo as the camera saved it (JPEG or HEIC)."),
}


class PhotoError(ValueError):
    """A photo we will not keep, with the reason to show the reporter."""

    def __init__(self, message: LazyString):
        # Not translated here: it may be raised in the decoding thread, outside
        # the request, and is shown in her language by the view.
        super().__init__(message)
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

    return _decoder.submit(_reencode, data, extension).result()


def _reencode(data: bytes, extension: str) -> CleanPhoto:
    """In the decoding thread: the photo's pixels, upright and small, as a new WebP."""
    # WeasyPrint (the poster PDFs) turns Pillow's global LOAD_TRUNCATED_IMAGES
    # on when it is imported; a cut-off photo must still be refused here.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    pixels = _pixels_only(_decode_small(data, extension))
    out = io.BytesIO()
    pixels.save(out, "WEBP", quality=82, method=4)
    return CleanPhoto(out.getvalue(), pixels.width, pixels.height)


def _decode_small(data: bytes, extension: str) -> Image.Image:
    """The photo's first picture, upright and at most MAX_SIDE, decoded as small as it can be."""
    with warnings.catch_warnings():
        # Pillow warns before it refuses; we refuse ourselves, on our limit.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))  # reads the header only
        except Image.DecompressionBombError:
            raise PhotoError(TOO_MANY_PIXELS[max(MAX_PIXELS.values())]) from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            raise PhotoError(_l("We can’t read this file as a photo.")) from None
    with image:
        if image.format not in ACCEPTED:
            raise PhotoError(_l("Please choose a photo in JPEG, PNG, WebP or HEIC format."))
        if extension not in ACCEPTED[image.format]:
            raise PhotoError(_l("The file’s name says one kind of image but it holds "
                                "another. Please choose the original photo."))
        if image.width * image.height > MAX_PIXELS[image.format]:
            raise PhotoError(TOO_MANY_PIXELS[MAX_PIXELS[image.format]])
        try:
            if image.format in ("JPEG", "MPO"):
                # The decoder itself scales by 1/2 to 1/8, keeping at least the
                # stored size: a quarter or less of the memory and the time.
                image.draft(None, _stored_size(image.size))
            image.load()
            shrinkable = image if image.mode in SHRINKABLE else image.convert(
                "RGBA" if image.has_transparency_data else "RGB")
            # In place, so that the EXIF orientation is still there to read.
            shrinkable.thumbnail((MAX_SIDE, MAX_SIDE))
            return ImageOps.exif_transpose(shrinkable)
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            raise PhotoError(_l("The photo seems damaged or incomplete. Please try "
                                "another.")) from None


def _stored_size(size: tuple[int, int]) -> tuple[int, int]:
    """The size a photo of `size` is stored at: its longer side at most MAX_SIDE."""
    scale = min(1, MAX_SIDE / max(size))
    return max(1, int(size[0] * scale)), max(1, int(size[1] * scale))


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


def store(conn: sqlite3.Connection, report_id: int, photo: CleanPhoto) -> None:
    """Keep the report's photo; call it inside the transaction that makes the report."""
    conn.execute("INSERT INTO report_photo (report_id, webp) VALUES (?, ?)",
                 (report_id, photo.data))


def read(conn: sqlite3.Connection, report_id: int) -> bytes | None:
    row = conn.execute("SELECT webp FROM report_photo WHERE report_id = ?",
                       (report_id,)).fetchone()
    return row["webp"] if row else None


def forget(conn: sqlite3.Connection, report_id: int) -> None:
    """Delete the report's photo (secure_delete overwrites it); nothing if it has none."""
    conn.execute("DELETE FROM report_photo WHERE report_id = ?", (report_id,))


def adopt_files(conn: sqlite3.Connection, folder: Path) -> int:
    """Once, after migration 0007: move the photo files older versions wrote into
    report_photo, then delete them and their folder. Returns how many moved.

    The files go only after the rows are committed; a start cut short in between
    deletes them the next time (they are all in the database by then). Stray
    files, which no report named, go too.
    """
    if not _has_table(conn, "report_photo"):
        return 0  # the database is not at 0007 yet: the files are still the photos
    moved = 0
    if _has_table(conn, "report_photo_file"):
        with transaction(conn):
            names = []
            if _has_table(conn, "report_photo_file"):  # unless another worker moved them
                names = conn.execute("SELECT report_id, name FROM report_photo_file").fetchall()
            for row in names:
                path = folder / row["name"]
                if "/" not in row["name"] and path.is_file():
                    conn.execute("INSERT OR IGNORE INTO report_photo (report_id, webp) "
                                 "VALUES (?, ?)", (row["report_id"], path.read_bytes()))
                    moved += 1
            conn.execute("DROP TABLE IF EXISTS report_photo_file")
    with suppress(FileNotFoundError):  # another worker, starting too, got there first
        for path in folder.iterdir():
            if not path.is_dir():
                path.unlink(missing_ok=True)
    with suppress(OSError):  # gone already, or holds a folder someone else put there
        folder.rmdir()
    return moved


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (name,)).fetchone() is not None
