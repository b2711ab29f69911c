"""QR posters: the builder, the short links and their counts, the downloads, the PDFs."""

import io
import re
import subprocess
import zlib
from contextlib import closing
from datetime import UTC, datetime
from html import unescape
from pathlib import Path

import pytest
import zxingcpp
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from PIL import Image

from app import create_app
from app.content.posters import DESTINATIONS, FORMATS, HEADLINES, LANGUAGE_SETS
from app.db import connect
from app.posters import fonts as poster_fonts
from app.posters import render as poster_render
from app.reports import photos
from helpers import OLD_BROWSER, TEST_CONFIG, field

BASE = "https://spotcheck.example"
DPI = 150
CM_PER_INCH = 2.54
MM_PER_POINT = 25.4 / 72
# The narrowest a code may print, finder pattern to finder pattern: as large as
# each sheet allows, so it reads from across the room (bench/scan_distance.py).
# The small stickers' level-M code has fewer, bigger modules in the same box, so it
# measures a little less finder to finder but reads from farther.
SMALLEST_CM = {"a4": 14.0, "letter": 13.2, "a3": 19.8, "a5": 9.9, "stickers-8": 4.5,
               "stickers-24": 2.4}
PAGE_MARGIN_MM = 5  # most printers leave 3 to 5 mm unprinted at the edge


@pytest.fixture
def app(migrated):
    return create_app({**TEST_CONFIG, "PUBLIC_BASE_URL": BASE})


def make(client, lang="en", **choices) -> tuple[str, str]:
    """Make a poster through the builder; its code and its management path."""
    data = {"destination": "check-restroom", "languages": "zh-hans", "format": "a4",
            "headline": "check", **choices}
    response = client.post(f"/{lang}/posters/", data=data)
    assert response.status_code == 200, response.get_data(as_text=True)
    html = response.get_data(as_text=True)
    code = re.search(rf"/{lang}/posters/([0-9A-Z]{{6}})/poster\.pdf", html)[1]
    manage = re.search(rf'id="manage-link"[^>]*>{re.escape(BASE)}(/[^<]+)<', html)[1]
    return code, manage


def scans(app, code) -> dict[str, int]:
    with closing(connect(app.config["DATABASE"])) as db:
        return dict(db.execute("SELECT s.day, s.scans FROM poster_scan s JOIN poster p "
                               "ON p.id = s.poster_id WHERE p.code = ?", (code,)).fetchall())


def today() -> str:
    return datetime.now(UTC).date().isoformat()


# -- the builder ---------------------------------------------------------------------

def test_the_builder_starts_in_the_visitors_language_and_previews(client, lang):
    html = client.get(f"/{lang}/posters/").get_data(as_text=True)
    assert f'name="languages" value="{lang}" checked' in html
    assert 'class="poster-preview poster-preview-a4"' in html
    assert "/P/XXXXXX" not in html  # the QR is an image, not a printed link
    assert "spotcheck.example/p/XXXXXX" in html


def in_locale(app, locale: str, text) -> str:
    with app.test_request_context(), force_locale(locale):
        return str(text)


def test_the_preview_follows_the_choices_as_an_htmx_fragment(app, client):
    response = client.get("/en/posters/?format=stickers-24&languages=zh-hant%2Ben&headline=warn",
                          headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section class="poster-preview-section"')
    assert "poster-preview-stickers-24" in html
    assert html.count('class="sticker"') == 24
    chinese = in_locale(app, "zh_Hant", HEADLINES["warn"].short)
    assert re.search(r"[\u4e00-\u9fff]", chinese)
    for text in (chinese, str(HEADLINES["warn"].short)):  # and the English
        assert all(line in html for line in poster_render.question_first(text))
    assert "Vary" in response.headers and "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize("field, value", [("destination", "elsewhere"), ("languages", "fr"),
                                          ("format", "b5"), ("headline", "buy-now"),
                                          ("label", "x" * 121)])
def test_bad_choices_are_explained_and_make_nothing(app, client, field, value):
    response = client.post("/zh-hant/posters/", data={field: value})
    assert response.status_code == 400
    assert f'id="error-{field}"' in response.get_data(as_text=True)
    with closing(connect(app.config["DATABASE"])) as db:
        assert db.execute("SELECT count(*) FROM poster").fetchone()[0] == 0


def test_posters_are_refused_while_the_public_address_is_this_computer(instance):
    app = create_app({**TEST_CONFIG, "PUBLIC_BASE_URL": "http://127.0.0.1:8000"})
    client = app.test_client()
    page = client.get("/en/posters/").get_data(as_text=True)
    # The name she sets in the environment, not the config key behind it.
    assert "SPOTCHECK_PUBLIC_BASE_URL" in page and "disabled" in page
    assert client.post("/en/posters/", data={}).status_code == 400
    with closing(connect(app.config["DATABASE"])) as db:
        assert db.execute("SELECT count(*) FROM poster").fetchone()[0] == 0


def test_an_address_too_long_for_a_small_code_is_refused(instance):
    app = create_app({**TEST_CONFIG, "PUBLIC_BASE_URL": "https://" + "long-" * 12 + "name.org"})
    assert app.test_client().post("/en/posters/", data={}).status_code == 400


def test_another_site_cannot_make_posters(client):
    response = client.post("/en/posters/", data={}, headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403


def test_making_posters_is_limited_per_visitor(instance):
    app = create_app({**TEST_CONFIG, "PUBLIC_BASE_URL": BASE, "POSTERS_PER_CLIENT_PER_HOUR": 2})
    client = app.test_client()
    assert [client.post("/en/posters/", data={}).status_code for _ in range(3)] == [200, 200, 429]


def test_the_made_page_shows_the_private_link_once_and_is_not_kept(app, client):
    response = client.post("/en/posters/", data={"label": "  3rd floor,\n City Mall "})
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    token = re.search(r"/en/posters/manage/([\w-]+)<", html)[1]
    with closing(connect(app.config["DATABASE"])) as db:
        row = db.execute("SELECT label, manage_hash FROM poster").fetchone()
    assert row[0] == "3rd floor, City Mall"
    assert token not in row[1]  # only its hash is stored


# -- the short link ------------------------------------------------------------------

def test_a_scan_counts_once_for_today_and_leads_to_the_page(app, client):
    code, _manage = make(client, destination="check-fitting-room", languages="zh-hant")
    other, _ = make(client)
    with closing(connect(app.config["DATABASE"])) as db:
        db.execute("INSERT INTO poster_scan (poster_id, day, scans) SELECT id, '2026-01-01', 5 "
                   "FROM poster WHERE code = ?", (code,))
        db.commit()
    response = client.get(f"/p/{code}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/zh-hant/check/fitting-room"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    # The QR's capitals, or typed in small letters, by another phone (one phone counts once).
    client.get(f"/P/{code.lower()}", environ_base={"REMOTE_ADDR": "198.51.100.2"})
    client.head(f"/p/{code}")  # asking what is there is not a scan
    assert scans(app, code) == {"2026-01-01": 5, today(): 2}
    assert scans(app, other) == {}


@pytest.mark.parametrize("accept, expected", [("en-GB,en;q=0.9", "/en/found"),
                                              ("zh-CN", "/zh-hans/found"),
                                              ("fr-FR", "/zh-hans/found"),
                                              ("zh-TW", "/zh-hans/found")])
def test_a_bilingual_poster_leads_to_the_language_the_phone_prefers(client, accept, expected):
    code, _ = make(client, destination="found", languages="zh-hans+en", headline="found")
    response = client.get(f"/p/{code}", headers={"Accept-Language": accept})
    assert response.headers["Location"] == expected
    assert "Accept-Language" in response.headers["Vary"]


def set_code(app, old: str, new: str) -> None:
    with closing(connect(app.config["DATABASE"])) as db:
        db.execute("UPDATE poster SET code = ? WHERE code = ?", (new, old))
        db.commit()


def test_a_typed_short_link_forgives_look_alikes(app, client):
    code, _ = make(client, destination="found", languages="en", headline="found")
    set_code(app, code, "A0B1C1")  # Crockford's base32: O is 0, I and L are 1
    for typed in ("AOB1CI", "aob1cl", "A0BLCi", "AoBiC1"):
        for prefix in ("/p/", "/P/"):
            response = client.get(prefix + typed)
            assert response.status_code == 302, typed
            assert response.headers["Location"] == "/en/found"
    assert client.get("/p/A0B1CU").status_code == 404  # U is never in a code


def test_an_unknown_code_gets_a_friendly_page_in_the_visitors_language(client):
    response = client.get("/p/ZZZZZZ", headers={"Accept-Language": "zh-TW"})
    assert response.status_code == 404
    assert 'lang="zh-Hant"' in response.get_data(as_text=True)
    for bad in ("/p/ABC", "/p/ILOU00", "/p/%00%00", "/P/" + "A" * 500):
        assert client.get(bad).status_code == 404


# -- managing and organizers ---------------------------------------------------------------

def test_the_private_link_shows_scans_per_day(app, client):
    code, manage = make(client, label="Station toilets")
    for phone in range(3):
        client.get(f"/p/{code}", environ_base={"REMOTE_ADDR": f"198.51.100.{phone + 1}"})
    response = client.get(manage)
    html = response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert "Station toilets" in html
    assert f"<td>{today()}</td><td>3</td>" in html
    assert client.get(manage[:-3] + "abc").status_code == 404


def test_organizers_see_every_poster_and_its_scans(client, auth):
    code, _ = make(client, label="Mall B2")
    client.get(f"/p/{code}")
    assert client.get("/en/organizers/posters").status_code == 302  # sign in first
    auth.add()
    auth.login()
    html = client.get("/en/organizers/posters").get_data(as_text=True)
    assert code in html and "Mall B2" in html
    assert f"<td>{today()}</td><td>1</td>" in client.get(
        f"/en/organizers/posters/{code}").get_data(as_text=True)


# -- what the code holds --------------------------------------------------------------------

def test_the_code_holds_the_short_link_in_capitals_at_a_small_version(app):
    with app.test_request_context():
        url = poster_render.scan_url("7KQ2MX")
        assert url == "HTTPS://SPOTCHECK.EXAMPLE/P/7KQ2MX"
        code = poster_render.qr.make(url)
        assert code.version <= 3
        assert code.data_list[0].mode == 2  # alphanumeric: the compact mode
        assert poster_render.printed_url("7KQ2MX") == "spotcheck.example/p/7KQ2MX"
    with create_app({**TEST_CONFIG, "PUBLIC_BASE_URL": "https://example.org/SpotCheck"}
                    ).test_request_context():
        # A path may care about case, so it keeps its own.
        assert poster_render.scan_url("7KQ2MX") == "HTTPS://EXAMPLE.ORG/SpotCheck/P/7KQ2MX"
    with create_app({**TEST_CONFIG, "PUBLIC_BASE_URL": BASE, "POSTER_QR_CAPITALS": False}
                    ).test_request_context():
        url = poster_render.scan_url("7KQ2MX")
        assert url == "https://spotcheck.example/p/7KQ2MX"
        assert poster_render.qr.make(url).version <= 4  # bigger, still small enough


@pytest.mark.parametrize("kind", ["svg", "png"])
def test_the_qr_alone_decodes_to_the_short_link(app, client, kind):
    code, _ = make(client)
    response = client.get(f"/en/posters/{code}/qr.{kind}")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    if kind == "png":
        image = Image.open(io.BytesIO(response.data))
    else:
        svg = response.get_data(as_text=True)
        assert svg.startswith("<?xml") and "<script" not in svg
        image = Image.open(io.BytesIO(client.get(f"/en/posters/{code}/qr.png").data))
    [result] = zxingcpp.read_barcodes(image)
    assert result.text == f"HTTPS://SPOTCHECK.EXAMPLE/P/{code}"


# -- the PDFs -------------------------------------------------------------------------------

def rasterise(pdf: bytes, folder: Path) -> list[Image.Image]:
    source = folder / "poster.pdf"
    source.write_bytes(pdf)
    # Plain PPM: the same pixels as -png, without a second spent compressing each page.
    subprocess.run(["pdftoppm", "-r", str(DPI), str(source), str(folder / "page")],
                   check=True, timeout=60)
    return [Image.open(p) for p in sorted(folder.glob("page*.ppm"))]


def side_cm(result) -> float:
    """The printed width of a decoded QR symbol (finder pattern to finder pattern)."""
    p = result.position
    return ((p.top_right.x - p.top_left.x) ** 2 + (p.top_right.y - p.top_left.y) ** 2
            ) ** 0.5 / DPI * CM_PER_INCH


def code_box_mm(result) -> tuple[float, float, float, float, int]:
    """A decoded symbol's box on the sheet in mm (left, top, right, bottom) and its modules."""
    p = result.position
    xs = [c.x for c in (p.top_left, p.top_right, p.bottom_left, p.bottom_right)]
    ys = [c.y for c in (p.top_left, p.top_right, p.bottom_left, p.bottom_right)]
    mm = 25.4 / DPI
    return (min(xs) * mm, min(ys) * mm, max(xs) * mm, max(ys) * mm,
            17 + 4 * int(result.extra["Version"]))


def quiet_zone(box) -> tuple[float, float, float, float]:
    """The symbol's box grown by the 4 blank modules the standard asks for around it."""
    left, top, right, bottom, modules = box
    margin = 4 * (right - left) / modules
    tolerance = 0.5  # mm: a glyph's box is taller than its ink
    return (left - margin + tolerance, top - margin + tolerance,
            right + margin - tolerance, bottom + margin - tolerance)


def overlaps(word, box) -> bool:
    return word[0] < box[2] and word[2] > box[0] and word[1] < box[3] and word[3] > box[1]


def pdf_words(pdf: bytes, folder: Path) -> list[tuple[float, float, float, float, str]]:
    """Each printed word of the first page and its box in mm, from pdftotext -bbox."""
    source = folder / "words.pdf"
    source.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(source), "-"],
                         check=True, capture_output=True, text=True, timeout=60).stdout
    return [(*(float(v) * MM_PER_POINT for v in m.groups()[:4]), unescape(m[5]))
            for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                                 r'yMax="([\d.]+)">([^<]*)</word>', out)]


def svg_reads(svg: str, folder: Path) -> list[str]:
    """What zxing reads in an inline QR <svg>, printed 10 cm wide by WeasyPrint."""
    from weasyprint import CSS, HTML

    pdf = HTML(string=f"<!doctype html><body>{svg}</body>").write_pdf(stylesheets=[CSS(
        string="@page { size: 150mm; margin: 20mm } svg { width: 100mm; height: 100mm; }")])
    [page] = rasterise(pdf, folder)
    return [result.text for result in zxingcpp.read_barcodes(page)]


def test_the_previews_sample_code_is_marked_and_does_not_scan(app, client, tmp_path):
    builder = client.get("/en/posters/").get_data(as_text=True)
    [sample] = re.findall(r'<svg class="qr.*?</svg>', builder, re.S)
    assert ">SAMPLE<" in sample  # written across it, in the builder’s language
    assert svg_reads(sample, tmp_path) == []
    # A real poster's code still reads, drawn the same way.
    code, _ = make(client)
    printed = client.get(f"/en/posters/{code}/print").get_data(as_text=True)
    [real] = re.findall(r'<svg class="qr.*?</svg>', printed, re.S)
    assert svg_reads(real, tmp_path) == [f"HTTPS://SPOTCHECK.EXAMPLE/P/{code}"]


@pytest.mark.parametrize("paper", list(FORMATS))
def test_every_sheet_names_spotcheck_and_carries_its_icon(client, paper):
    code, _ = make(client, format=paper)
    html = client.get(f"/en/posters/{code}/print").get_data(as_text=True)
    sheet = html[html.index('<section class="sheet'):]
    stickers = FORMATS[paper].stickers or 1
    assert sheet.count('class="brand-mark"') == stickers  # the app's icon, inline
    assert len(re.findall(r">\s*SpotCheck\s*<", sheet)) == stickers
    assert "<img" not in sheet and "url(" not in sheet  # nothing to fetch


@pytest.mark.parametrize("languages, locale", [("zh-hans+en", "zh_Hans"),
                                               ("zh-hant+en", "zh_Hant"),
                                               ("zh-hk+en", "zh_Hant_HK")])
def test_a_bilingual_poster_says_or_type_in_both_languages(app, client, tmp_path, languages,
                                                           locale):
    code, _ = make(client, languages=languages)
    text = pdf_text(client.get(f"/en/posters/{code}/poster.pdf").data, tmp_path)
    chinese = re.sub(r"\s+", "", in_locale(app, locale, _l("Or type:")))
    assert re.search(r"[\u4e00-\u9fff]", chinese), "not translated"
    assert chinese in text
    assert "Ortype:" in text


def pdf_text(pdf: bytes, folder: Path) -> str:
    source = folder / "text.pdf"
    source.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(source), "-"], check=True, capture_output=True,
                         text=True, timeout=60).stdout
    return re.sub(r"\s+", "", out)


@pytest.mark.parametrize("languages", list(LANGUAGE_SETS))
@pytest.mark.parametrize("paper", list(FORMATS))
def test_every_pdf_scans_to_its_short_link(app, client, tmp_path, output_dir, paper, languages):
    code, _ = make(client, format=paper, languages=languages, destination="home")
    response = client.get(f"/en/posters/{code}/poster.pdf")
    assert response.mimetype == "application/pdf"
    [page] = rasterise(response.data, tmp_path)
    results = zxingcpp.read_barcodes(page)
    stickers = FORMATS[paper].stickers
    assert len(results) == (stickers or 1)
    for result in results:
        assert result.text == f"HTTPS://SPOTCHECK.EXAMPLE/P/{code}"
        assert result.ec_level == FORMATS[paper].qr_level  # Q, and M on the smallest stickers
        assert int(result.extra["Version"]) <= 4
        assert side_cm(result) >= SMALLEST_CM[paper], f"{side_cm(result):.2f} cm"
    if paper == "a4" and languages in ("en", "zh-hans", "zh-hant"):
        page.save(output_dir / f"poster-a4-{languages}.png")
    # Everything printed fits on the sheet, clear of the codes' quiet zones,
    # and the sheet says whose it is.
    words = pdf_words(response.data, tmp_path)
    codes = [code_box_mm(result) for result in results]
    width_mm, height_mm = page.width / DPI * 25.4, page.height / DPI * 25.4
    for word in words:
        x0, y0, x1, y1, text = word
        assert x0 >= PAGE_MARGIN_MM and y0 >= PAGE_MARGIN_MM, word
        assert x1 <= width_mm - PAGE_MARGIN_MM and y1 <= height_mm - PAGE_MARGIN_MM, word
        for box in codes:
            assert not overlaps(word, quiet_zone(box)), (word, box)
    assert sum("SpotCheck" in w[4] for w in words) == (stickers or 1)
    # The short link, under each code where a sheet has room for it beside the code.
    links = [w for w in words if f"/p/{code}" in w[4]]
    assert len(links) == (stickers or 1)
    if paper != "stickers-24":
        for x0, y0, x1, _y1, _text in links:
            assert any(box[0] <= (x0 + x1) / 2 <= box[2]
                       and 0 <= y0 - box[3] <= 0.35 * (box[2] - box[0])
                       for box in codes), (x0, y0, codes)


@pytest.mark.parametrize("languages, locale", [("zh-hans", "zh_Hans"), ("zh-hant", "zh_Hant"),
                                               ("zh-hant+en", "zh_Hant")])
def test_the_pdf_carries_the_chinese_headline_as_text(app, client, tmp_path, languages, locale):
    code, _ = make(client, languages=languages, headline="changing",
                   destination="check-changing-room")
    pdf = client.get(f"/en/posters/{code}/poster.pdf").data
    headline = re.sub(r"\s+", "", in_locale(app, locale, HEADLINES["changing"].text))
    assert re.search(r"[\u4e00-\u9fff]", headline), "the headline is not translated"
    assert headline in pdf_text(pdf, tmp_path)
    listing = subprocess.run(["pdffonts", str(tmp_path / "text.pdf")], check=True,
                             capture_output=True, text=True, timeout=60).stdout
    assert "CJK" in listing
    # Every font is embedded (the "emb" column), so any printer shows the same glyphs.
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    assert rows and all(row[-5] == "yes" for row in rows), listing


def embedded_fonts(pdf: bytes) -> dict[str, int]:
    """Each font program embedded in a PDF (FontFile2/FontFile3) by its size, its glyph count.

    WeasyPrint writes streams as top-level objects with a direct /Length, which is all
    this reads; fontTools (WeasyPrint's own dependency) opens the font programs."""
    from fontTools.ttLib import TTFont

    fonts = {}
    for match in re.finditer(rb"(\d+) 0 obj\s*<<(.*?)>>\s*stream\r?\n", pdf, re.S):
        head = match[2]
        if b"/Length1" not in head and b"/OpenType" not in head:
            continue  # not a font program
        length = int(re.search(rb"/Length (\d+)", head)[1])
        data = pdf[match.end():match.end() + length]
        if b"/FlateDecode" in head:
            data = zlib.decompress(data)
        fonts[f"object {match[1].decode()} ({len(data):,} bytes)"] = TTFont(
            io.BytesIO(data))["maxp"].numGlyphs
    return fonts


# What an A4 poster's PDF may weigh, in bytes. Measured (WeasyPrint 70, Debian's Noto Sans
# CJK): zh-hans 412 KB and en 133 KB while each CJK font kept its 63,000 glyph slots;
# 25 KB and 18 KB with the fonts cut down first (app/posters/fonts.py). The bounds leave
# room for longer wording: Chinese glyphs take more strokes, so more bytes, than Latin.
A4_PDF_BYTES = {"en": 40_000, "zh-hans": 60_000}


def test_a4_pdfs_embed_only_the_glyphs_they_print(app, client, tmp_path):
    # Issue 19: WeasyPrint keeps every glyph id up to the highest it uses, and Chinese
    # glyphs sit near the end of Noto Sans CJK's 65,000, so each Chinese font kept them all.
    sizes = {}
    for languages in A4_PDF_BYTES:
        code, _ = make(client, languages=languages, headline="changing",
                       destination="check-changing-room")
        pdf = client.get(f"/en/posters/{code}/poster.pdf").data
        sizes[languages] = len(pdf)
        fonts = embedded_fonts(pdf)
        assert fonts and all(glyphs < 2_000 for glyphs in fonts.values()), (languages, fonts)
    assert all(sizes[key] <= limit for key, limit in A4_PDF_BYTES.items()), sizes
    # Still text, not drawings: the Chinese headline is found in the PDF, in Chinese.
    headline = re.sub(r"\s+", "", in_locale(app, "zh_Hans", HEADLINES["changing"].text))
    assert re.search(r"[\u4e00-\u9fff]", headline), "the headline is not translated"
    assert headline in pdf_text(pdf, tmp_path)


def test_a_pdf_loads_nothing_but_its_own_fonts(client, tmp_path, monkeypatch):
    # However a page came to name a file or an address, WeasyPrint must not read it.
    # (A plain function as url_fetcher made WeasyPrint 70 fail instead of refusing.)
    picture = tmp_path / "private.png"
    Image.new("RGB", (40, 40), "red").save(picture)
    named = Markup(f'<section class="sheet sheet-a4"><img src="{picture.as_uri()}" alt="">'  # noqa: S704
                   f'<img src="http://127.0.0.1:9/x.png" alt=""><p>SpotCheck</p></section>')
    monkeypatch.setattr(poster_render, "sheet", lambda poster, code, sample=False: named)
    code, _ = make(client)
    response = client.get(f"/en/posters/{code}/poster.pdf")
    assert response.status_code == 200
    assert b"/Image" not in response.data  # no picture was read
    assert embedded_fonts(response.data)  # but the fonts were


def test_fonts_cut_for_older_wording_are_deleted(tmp_path, monkeypatch):
    # One face is enough to see it (each takes about a second to cut).
    monkeypatch.setattr(poster_fonts, "FACES", poster_fonts.FACES[:1])
    folder = tmp_path / "poster-fonts"
    poster_fonts.cut_faces(set("扫码查看"), folder)
    first = {file.name for file in folder.iterdir()}
    poster_fonts.cut_faces(set("扫码查看偷拍"), folder)  # the wording changed
    second = {file.name for file in folder.iterdir()}
    assert len(first) == len(second) == 1 and first != second


def test_every_destination_has_a_fitting_headline():
    assert {d.headline for d in DESTINATIONS.values()} <= HEADLINES.keys()


def test_making_a_pdf_does_not_make_cut_off_photos_acceptable(client):
    # WeasyPrint switches Pillow's global LOAD_TRUNCATED_IMAGES on when imported.
    code, _ = make(client)
    assert client.get(f"/en/posters/{code}/poster.pdf").status_code == 200
    buffer = io.BytesIO()
    Image.effect_noise((400, 300), 60).convert("RGB").save(buffer, "JPEG")
    with pytest.raises(photos.PhotoError):
        photos.clean(buffer.getvalue()[: len(buffer.getvalue()) // 2], "cut.jpg")


@pytest.mark.parametrize(("format_", "lang", "words"), [
    ("a4", "en", "Print on A4 paper, at actual size"),
    ("letter", "en", "Print on US Letter paper"),
    ("stickers-24", "zh-hans", "请用 A4 纸张，按实际大小打印"),
])
def test_the_print_view_names_the_paper_to_load(client, format_, lang, words):
    # It said "the paper size shown" and showed none.
    code, _manage = make(client, lang, format=format_)
    html = client.get(f"/{lang}/posters/{code}/print").get_data(as_text=True)
    assert words in html


def test_making_a_poster_with_origin_null_needs_the_builders_token(poster_app):
    client = poster_app.test_client()
    assert client.post("/en/posters/", headers=OLD_BROWSER, data={}).status_code == 403
    with closing(connect(poster_app.config["DATABASE"])) as db:
        assert db.execute("SELECT count(*) FROM poster").fetchone()[0] == 0
    token = field(client.get("/en/posters/").get_data(as_text=True), "post_token")
    made = client.post("/en/posters/", headers=OLD_BROWSER, data={"post_token": token})
    assert made.status_code == 200


# -- issue 28, item 9: the private label never travels in a URL ----------------------

LABEL = "RTLABEL Room 412"


def test_a_get_that_brings_a_label_is_never_kept_by_a_cache(client):
    plain = client.get("/en/posters/?format=a5")
    assert "no-store" not in plain.headers["Cache-Control"]  # the builder still caches
    for query in (f"?label={LABEL}", f"?format=a5&label={LABEL}", "?label="):
        response = client.get(f"/en/posters/{query}")
        assert response.headers["Cache-Control"] == "no-store", query
    fragment = client.get(f"/en/posters/?label={LABEL}", headers={"HX-Request": "true"})
    assert fragment.headers["Cache-Control"] == "no-store"


def test_without_js_the_preview_is_posted_and_keeps_the_label_out_of_any_url(client):
    page = client.get("/en/posters/").get_data(as_text=True)
    form = re.search(r'<form [^>]*class="poster-form"[^>]*>', page)[0]
    # The form's own submission (Enter, or "Update the preview") is a POST.
    assert 'method="post"' in form and 'action="/en/posters/preview"' in form
    # Its htmx preview is a GET that leaves the label out.
    assert 'data-hx-get="/en/posters/"' in form and 'data-hx-params="not label,post_token"' in form
    # No GET form on the page holds the label.
    for other in re.findall(r'<form [^>]*method="get".*?</form>', page, re.S):
        assert 'name="label"' not in other

    response = client.post("/en/posters/preview", data={"format": "stickers-8", "label": LABEL})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert html.count('class="sticker"') == 8  # the preview follows the choices
    assert f'value="{LABEL}"' in html  # and her label is still in the form
    assert response.headers.get("Location") is None
    assert all(LABEL not in link for link in re.findall(r'(?:href|action|data-hx-get)="([^"]*)"',
                                                         html))


def test_a_preview_with_a_label_too_long_is_explained_and_makes_nothing(app, client):
    response = client.post("/en/posters/preview", data={"label": "x" * 121})
    assert response.status_code == 400 and 'id="error-label"' in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    with closing(connect(app.config["DATABASE"])) as db:
        assert db.execute("SELECT count(*) FROM poster").fetchone()[0] == 0
