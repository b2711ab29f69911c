"""Photos: metadata stripped, turned upright, bad or oversized ones refused; under attack
(image bombs, the hourly limit) and from phones (HEIC, MPO) (issue 14, items 1-2)."""

import io
import json
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest
from PIL import Image, ImageFile

import photo_samples
from app.reports import photos
from helpers import (
    db_rows,
    form_key,
    receipt_of,
    stored_photos,
    stored_reports,
    submit,
)

VALID = {"space": "restroom", "what": "found"}


@pytest.fixture
def decodes(monkeypatch) -> list[tuple[str, tuple[int, int]]]:
    """Every image Pillow decodes during the test: its format and the size it decodes at."""
    seen, original = [], ImageFile.ImageFile.load

    def load(self):
        if self.tile:  # not yet decoded (load is called again on a loaded image)
            seen.append((self.format, self.size))
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return seen


def test_a_bomb_sent_with_an_invalid_field_is_not_even_opened(app, client, monkeypatch):
    opened = []
    monkeypatch.setattr(Image, "open", lambda *args, **kwargs: opened.append(args))
    bomb = photo_samples.rgba_png_bomb()
    response = submit(client, photo=("bomb.png", bomb), what="found")  # no kind of place
    assert response.status_code == 400
    assert "Choose the kind of place." in response.get_data(as_text=True)
    assert opened == []
    assert stored_reports(app) == [] and stored_photos(app) == []


def test_a_bomb_with_a_valid_form_is_refused_before_any_pixel_is_decoded(app, client, decodes):
    bomb = photo_samples.rgba_png_bomb()
    assert len(bomb) < 200_000
    response = submit(client, photo=("bomb.png", bomb), venue="Star Mall", **VALID)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "This PNG or WebP image has too many pixels (more than 12 megapixels)." in html
    assert 'href="#field-photo"' in html and 'value="Star Mall"' in html
    assert decodes == []
    assert stored_reports(app) == [] and stored_photos(app) == []


# Issue 28, item 11: the review's file, 97 KB that took a worker from 48 to 320 MB.
REFUSED_12_MP = {
    "en": "This PNG or WebP image has too many pixels (more than 12 megapixels).",
    "zh-hans": "这张 PNG 或 WebP 图片像素太高（超过 1200 万像素）",
    "zh-hant": "這張 PNG 或 WebP 圖片畫素太高（超過 1200 萬畫素）",
    "zh-hk": "這張 PNG 或 WebP 圖片像素太高（超過 1200 萬像素）",
}


@pytest.mark.parametrize("lang", list(REFUSED_12_MP))
def test_a_zero_filled_25_mp_png_is_refused_in_her_language_without_decoding(
        app, client, decodes, lang):
    bomb = photo_samples.rgba_png_bomb(5000)
    assert len(bomb) < 100_000  # 97 KB, as the review sent it
    response = submit(client, lang, photo=("zero.png", bomb), venue="Star Mall", **VALID)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert REFUSED_12_MP[lang] in html and 'value="Star Mall"' in html
    assert decodes == []
    assert stored_reports(app) == [] and stored_photos(app) == []


def test_a_25_mp_webp_of_under_a_kilobyte_is_refused_without_decoding(app, client, decodes):
    out = io.BytesIO()
    Image.new("RGBA", (5000, 5000)).save(out, "WEBP", lossless=True)
    assert len(out.getvalue()) < 1024
    response = submit(client, photo=("zero.webp", out.getvalue()), **VALID)
    assert response.status_code == 400
    assert REFUSED_12_MP["en"] in response.get_data(as_text=True)
    assert decodes == [] and stored_photos(app) == []


def detailed(size: tuple[int, int]) -> Image.Image:
    """A picture with detail in every part, as a camera's or a screen's is."""
    tile = Image.effect_noise((256, 256), 60).convert("RGB")
    image = Image.new("RGB", size)
    for x in range(0, size[0], 256):
        for y in range(0, size[1], 256):
            image.paste(tile, (x, y))
    return image


def test_a_phone_photo_and_a_phone_screenshot_still_go_through(app, client):
    # A 12 MP phone photo (4032 × 3024) with its GPS, and a 12 MP PNG, the most allowed.
    photo = io.BytesIO()
    detailed((4032, 3024)).save(photo, "JPEG", quality=90,
                                exif=Image.open(io.BytesIO(photo_samples.jpeg_with_gps())).getexif())
    screen = io.BytesIO()
    detailed((1290, 2796)).save(screen, "PNG")  # an iPhone's screen
    largest = io.BytesIO()
    Image.new("RGBA", (4000, 3000), (10, 20, 30, 255)).save(largest, "PNG")
    for name, data in (("IMG_0001.jpg", photo), ("screen.png", screen), ("big.png", largest)):
        # Built by hand (multipart below): the test client would leave a large one open.
        body, content_type = multipart({"idempotency_key": form_key(client), **VALID}, name,
                                       data.getvalue())
        response = client.post("/en/report", data=body, content_type=content_type)
        assert receipt_of(response), name
    sizes = [Image.open(io.BytesIO(webp)).size for webp in stored_photos(app)]
    assert sorted(sizes) == sorted([(2560, 1920), (1181, 2560), (2560, 1920)])


def test_a_large_jpeg_is_decoded_at_a_fraction_of_its_size(app, client, decodes):
    out = io.BytesIO()
    Image.new("RGB", (6000, 4000), (200, 30, 30)).save(out, "JPEG")
    assert receipt_of(submit(client, photo=("big.jpg", out.getvalue()), **VALID))
    # libjpeg scales by 1/2 while the result still covers the stored 2560 px:
    # a quarter of the pixels, never the full 24 MP.
    assert decodes == [("JPEG", (3000, 2000))]
    [data] = stored_photos(app)
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (2560, 1707)


def test_a_png_is_shrunk_to_the_stored_size(app, client):
    out = io.BytesIO()
    Image.new("RGBA", (5000, 2000), (200, 30, 30, 128)).save(out, "PNG")
    assert receipt_of(submit(client, photo=("wide.png", out.getvalue()), **VALID))
    [data] = stored_photos(app)
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (2560, 1024) and image.mode == "RGB"
        # Half-transparent red on white, not on black.
        assert image.getpixel((100, 100)) == pytest.approx((227, 142, 142), abs=4)


def test_a_worker_decodes_one_photo_at_a_time(app, monkeypatch):
    busy, most, lock, original = [0], [0], threading.Lock(), ImageFile.ImageFile.load

    def slow_load(self):
        with lock:
            busy[0] += 1
            most[0] = max(most[0], busy[0])
        time.sleep(0.05)  # long enough for the other threads to start theirs
        try:
            return original(self)
        finally:
            with lock:
                busy[0] -= 1

    monkeypatch.setattr(ImageFile.ImageFile, "load", slow_load)
    jpeg, results = photo_samples.jpeg_with_gps(), []
    threads = [threading.Thread(target=lambda: results.append(photos.clean(jpeg, "p.jpg")))
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4 and most[0] == 1


def test_refused_photos_count_against_the_hourly_limit(app, client):
    limit = app.config["REPORTS_PER_CLIENT_PER_HOUR"]
    assert limit > 0
    # A form refused for its fields never opened the photo: it uses nothing up.
    for _ in range(limit + 1):
        assert submit(client, photo=("a.jpg", b"not a photo"), what="found").status_code == 400
    for _ in range(limit):
        response = submit(client, photo=("a.jpg", b"not a photo"), **VALID)
        assert "We can’t read this file as a photo." in response.get_data(as_text=True)
    response = submit(client, **VALID)
    assert response.status_code == 429
    assert "Too many reports have been sent from here" in response.get_data(as_text=True)
    assert stored_reports(app) == []


def exiftool_tags(data: bytes, tmp_path: Path) -> dict:
    path = tmp_path / "photo"
    path.write_bytes(data)
    out = subprocess.run(["exiftool", "-j", "-a", "-G1", str(path)], capture_output=True,
                         check=True, text=True).stdout
    return json.loads(out)[0]


def test_an_iphone_heic_photo_is_kept_without_its_location(app, client, tmp_path):
    original = photo_samples.heic_with_gps()
    response = submit(client, photo=("IMG_0001.HEIC", original), **VALID)
    assert receipt_of(response), response.get_data(as_text=True)
    [data] = stored_photos(app)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "WEBP" and image.size == (64, 48)
        assert not image.getexif() and "exif" not in image.info
        assert image.getpixel((5, 5)) == pytest.approx((30, 30, 200), abs=12)  # the mark
    assert b"Exif" not in data and b"TestPhone" not in data
    if shutil.which("exiftool"):
        assert any("GPSLatitude" in key for key in exiftool_tags(original, tmp_path))
        assert not any("GPS" in key for key in exiftool_tags(data, tmp_path))


def test_a_multi_picture_jpeg_keeps_only_its_first_picture(app, client):
    original = photo_samples.mpo_with_gps()
    with Image.open(io.BytesIO(original)) as image:
        assert image.format == "MPO" and image.n_frames == 2
    assert receipt_of(submit(client, photo=("PXL_portrait.jpg", original), **VALID))
    [data] = stored_photos(app)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "WEBP" and image.size == (64, 48)
        assert getattr(image, "n_frames", 1) == 1 and not image.getexif()
        colours = {colour for _, colour in image.getcolors(64 * 48)}
    assert not any(g > 150 and r < 100 for r, g, _ in colours)  # nothing of the green picture
    assert b"TestPhone" not in data


def test_a_heic_named_as_a_jpeg_is_refused_as_a_mismatch(app, client):
    response = submit(client, photo=("photo.jpg", photo_samples.heic_with_gps()), **VALID)
    assert response.status_code == 400
    assert "holds another" in response.get_data(as_text=True)


def test_the_file_picker_offers_phone_formats(client):
    html = client.get("/en/report").get_data(as_text=True)
    accept = html.split('id="photo" name="photo" type="file" accept="')[1].split('"')[0]
    assert {"image/jpeg", "image/heic", "image/heif", ".heic", ".heif"} <= set(accept.split(","))


def exiftool(path: Path) -> dict | None:
    if not shutil.which("exiftool"):
        return None
    out = subprocess.run(["exiftool", "-j", "-a", "-G1", str(path)], capture_output=True,
                         check=True, text=True).stdout
    return json.loads(out)[0]


@pytest.mark.parametrize(("name", "make"), [
    ("device.jpg", photo_samples.jpeg_with_gps),
    ("device.png", photo_samples.png_with_text),
    ("device.webp", photo_samples.webp_with_xmp),
    ("IMG_0001.HEIC", photo_samples.heic_with_gps),
    ("portrait.jpg", photo_samples.mpo_with_gps),
])
def test_photos_keep_no_metadata(app, client, name, make, tmp_path):
    original = make()
    assert any(secret in original for secret in photo_samples.SECRETS)
    assert receipt_of(submit(client, photo=(name, original), **VALID))
    # In the database, the report's own row of report_photo; no file anywhere.
    [data] = stored_photos(app)
    assert [r["report_id"] for r in db_rows(app, "SELECT report_id FROM report_photo")] == [
        stored_reports(app)[0]["id"]]
    assert not (Path(app.instance_path) / "photos").exists()
    for secret in photo_samples.SECRETS:
        assert secret not in data
    path = tmp_path / "stored.webp"
    path.write_bytes(data)
    with Image.open(path) as image:
        assert image.format == "WEBP"
        assert not image.getexif()
        assert not {"exif", "xmp", "icc_profile", "comment", "XML:com.adobe.xmp"} & set(image.info)
    if (tags := exiftool(path)) is not None:
        # Only what describes the file itself: no EXIF, GPS, XMP, ICC or comment groups.
        groups = {key.split(":")[0] for key in tags if ":" in key}
        assert groups <= {"ExifTool", "System", "File", "RIFF", "Composite"}, groups
        assert not [key for key in tags if "Comment" in key]


def test_photo_is_turned_upright_before_the_orientation_tag_goes(app, client):
    # Orientation 6: the camera was turned; the picture must be shown rotated 90°.
    submit(client, photo=("tall.jpg", photo_samples.jpeg_with_gps(orientation=6)), **VALID)
    [data] = stored_photos(app)
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (48, 64)


@pytest.mark.parametrize(("name", "data", "message"), [
    ("bomb.png", photo_samples.png_bomb(), "too many pixels"),
    ("cut.jpg", photo_samples.truncated_jpeg(), "damaged or incomplete"),
    ("page.jpg", photo_samples.jpeg_with_gps() + b"<html><script>alert(1)</script>",
     "more than a photo"),
    ("zip.jpg", photo_samples.jpeg_with_gps() + b"PK\x03\x04" + b"\0" * 30 + b"PK\x05\x06"
     + b"\0" * 18, "more than a photo"),
    ("photo.png", photo_samples.jpeg_with_gps(), "holds another"),
    ("photo.gif", b"GIF89a" + b"\0" * 100, "JPEG, PNG, WebP or HEIC"),
    ("notes.jpg", b"just some text", "can’t read this file"),
])
def test_bad_photos_are_refused_and_nothing_is_stored(app, client, name, data, message):
    response = submit(client, photo=(name, data), venue="Star Mall", **VALID)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and 'href="#field-photo"' in html and 'value="Star Mall"' in html
    assert stored_reports(app) == [] and stored_photos(app) == []


def multipart(fields: dict, filename: str, data: bytes) -> tuple[bytes, str]:
    """A form body built by hand: Werkzeug's test client would spool this one to a
    temporary file that it never closes."""
    boundary = "spotcheck-test-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; '
                 f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
                 + data + f"\r\n--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_a_photo_over_10_mb_is_refused(app, client):
    big = photo_samples.jpeg_with_gps() + b"\0" * (10 * 1024 * 1024)
    body, content_type = multipart({"idempotency_key": form_key(client), **VALID}, "big.jpg", big)
    response = client.post("/en/report", data=body, content_type=content_type)
    assert response.status_code == 400
    assert "larger than 10 MB" in response.get_data(as_text=True)
    assert stored_reports(app) == []
