"""A phone's photo as it leaves the camera, for the photo-shrinking tests and bench/upload.py:
12 MP (4000 x 3000), about 4 MB of JPEG, with EXIF (orientation, GPS, make, owner).

Noisy and detailed like a real photo, so that it compresses like one: a flat test
card would shrink to a few KB and prove nothing about the budget. Deterministic
(seeded), made with Pillow in about two seconds.
"""

import io
import random

from PIL import ExifTags, Image, ImageChops, ImageDraw, ImageFilter

SIZE = (4000, 3000)  # as stored: landscape, whatever the orientation tag says
MARK = (20, 40, 230)  # a blue block in the stored top-left corner, to find "up"
MARK_SIZE = (800, 600)
OWNER = "Jane Doe"
MAKE = "TestPhone 9"


def phone_jpeg(orientation: int = 6, seed: int = 27) -> bytes:
    """The photo's bytes. Orientation 6 is a phone held upright: the pixels are
    stored landscape and the EXIF says to turn them a quarter clockwise."""
    rnd = random.Random(seed)
    low = Image.frombytes("RGB", (48, 36), rnd.randbytes(48 * 36 * 3))
    image = low.resize(SIZE, Image.Resampling.BICUBIC)  # light and colour, smoothly changing
    draw = ImageDraw.Draw(image)
    for _ in range(400):  # edges: things in the room
        x, y = rnd.randrange(SIZE[0]), rnd.randrange(SIZE[1])
        box = (x, y, x + rnd.randrange(20, 400), y + rnd.randrange(20, 400))
        colour = tuple(rnd.randrange(256) for _ in range(3))
        if rnd.random() < 0.5:
            draw.rectangle(box, outline=colour, width=rnd.randrange(1, 8))
        else:
            draw.ellipse(box, fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    # Sensor noise, as a phone's photo in a dim room has.
    noise = Image.merge("RGB", [Image.effect_noise(SIZE, 8) for _ in range(3)])
    image = ImageChops.add(image, noise, scale=1.0, offset=-128)
    image.paste(MARK, (0, 0, *MARK_SIZE))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = MAKE
    exif[ExifTags.Base.Artist] = OWNER
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (31.0, 14.0, 6.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (121.0, 28.0, 12.0)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, exif=exif)
    return out.getvalue()


def header_segments(jpeg: bytes) -> list[int]:
    """The markers of a JPEG's segments before its image data (0xE1 is APP1: EXIF or
    XMP). Read from the structure, not by searching the bytes: compressed data holds
    any three bytes by chance (b"GPS" turns up in about one 400 KB photo in 40)."""
    assert jpeg[:2] == b"\xff\xd8", "not a JPEG"
    markers, at = [], 2
    while at + 4 <= len(jpeg) and jpeg[at] == 0xFF:
        marker = jpeg[at + 1]
        if marker == 0xDA:  # start of scan: the image data follows
            break
        markers.append(marker)
        at += 2 + int.from_bytes(jpeg[at + 2:at + 4], "big")
    return markers
