"""Photos with the metadata a phone leaves in them, made with Pillow for the tests."""

import io
import struct
import zlib

import pillow_heif
from PIL import ExifTags, Image, ImageCms
from PIL.PngImagePlugin import PngInfo

SECRETS = [b"Jane Doe", b"TestPhone 9", b"secret comment", b"jane@example.com"]


def _image(size=(64, 48)) -> Image.Image:
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, size[0] // 2, size[1] // 3))  # a mark to find "up"
    return image


def _exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestPhone 9"
    exif[ExifTags.Base.Artist] = "Jane Doe"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (31.0, 14.0, 6.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (121.0, 28.0, 12.0)
    return exif


def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def jpeg_with_gps(orientation: int = 1, size=(64, 48)) -> bytes:
    out = io.BytesIO()
    _image(size).save(out, "JPEG", exif=_exif(orientation), icc_profile=srgb_profile(),
                      comment=b"secret comment")
    return out.getvalue()


def png_with_text() -> bytes:
    info = PngInfo()
    info.add_text("Author", "Jane Doe")
    info.add_itxt("Comment", "secret comment jane@example.com")
    out = io.BytesIO()
    _image().save(out, "PNG", pnginfo=info, exif=_exif())
    return out.getvalue()


def webp_with_xmp() -> bytes:
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description '
           b'dc:creator="Jane Doe" exif:Make="TestPhone 9"/></rdf:RDF></x:xmpmeta>')
    out = io.BytesIO()
    _image().save(out, "WEBP", xmp=xmp, exif=_exif(), icc_profile=srgb_profile())
    return out.getvalue()


def heic_with_gps() -> bytes:
    """An iPhone's kind of photo: HEIC, with EXIF (GPS, make, owner) and an ICC profile."""
    out = io.BytesIO()
    # Not through Pillow's save: that needs the plugin registered, which would
    # hide an app that forgot to register it for reading.
    pillow_heif.from_pillow(_image()).save(out, exif=_exif().tobytes(),
                                           icc_profile=srgb_profile())
    return out.getvalue()


SECOND_FRAME = (20, 220, 20)  # green: the first frame has none


def mpo_with_gps() -> bytes:
    """A multi-picture JPEG (MPO), as phones save portrait shots: the photo, then a second
    picture (here green, at another size), each with EXIF and GPS."""
    out = io.BytesIO()
    _image().save(out, "MPO", save_all=True, exif=_exif(), comment=b"secret comment",
                  append_images=[Image.new("RGB", (40, 40), SECOND_FRAME)])
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width=20_000, height=20_000) -> bytes:
    """A tiny file that claims 400 megapixels (it would decode to gigabytes)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(b"\x00" * 1024)) + _chunk(b"IEND", b""))


def rgba_png_bomb(side: int = 6316) -> bytes:
    """A complete, valid PNG of side × side transparent pixels: about 150 KB on disk, 160 MB
    decoded at the default side (39.9 MP, just under the 40 MP that Pillow warns at)."""
    compressor, row = zlib.compressobj(9), b"\0" * (1 + side * 4)  # filter byte, pixels
    pixels = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", pixels)
            + _chunk(b"IEND", b""))


def truncated_jpeg() -> bytes:
    data = jpeg_with_gps(size=(800, 600))
    return data[: len(data) // 2]
