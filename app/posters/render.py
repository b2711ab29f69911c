"""A poster as it is printed: its short link, its QR code, its words, its PDF.

The QR code holds https://<public host>/P/<CODE>, in capitals where that is
safe (scheme and host are case-blind; /P/ is served like /p/), so it fits in
QR's alphanumeric mode: version 3 or 4 at error correction level Q (M on the
smallest stickers), big modules that scan from across a room. The site's address comes from
PUBLIC_BASE_URL, never from the request. Every sheet names SpotCheck beside
its icon, so a code on a wall says whose it is; the builder's preview shows a
sample code with a band across it that keeps it from scanning.
"""

import functools
import ipaddress
import re
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import LazyString, force_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from ..content.posters import FORMATS, HEADLINES, LANGUAGE_SETS
from ..web import qr
from ..web.assets import static_root
from ..web.i18n import LANGUAGES

if TYPE_CHECKING:  # imported where used: only PDF requests need WeasyPrint
    from weasyprint.urls import URLFetcher

MAX_VERSION = 4  # the largest QR version a poster may need (33 × 33 modules)
SAMPLE_CODE = "XXXXXX"  # the preview's code; new_code() never makes it
# The preview's band hides the middle rows of its code: with the finder patterns
# left whole it still looks like the poster, but about 45% of its codewords are
# gone, far beyond the 25% that level Q repairs, so no phone can read it.
SAMPLE_BAND = (0.32, 0.36)  # its top and its height, as fractions of the code's side
# A poster's row, or the builder's choices (vars(PosterChoice)) for its preview.
Poster = sqlite3.Row | Mapping[str, Any]


def _base() -> tuple[str, str, str]:
    """Scheme, host (with any port) and path prefix of PUBLIC_BASE_URL."""
    parts = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    return parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/")


def scan_url(code: str) -> str:
    """What the QR code holds. A path prefix keeps its case: servers may care.

    POSTER_QR_CAPITALS off gives https://host/p/CODE instead: a bigger code (byte
    mode), for any scanner found not to open a link written in capitals. Both
    forms keep working, so posters already up are not affected.
    """
    scheme, host, prefix = _base()
    if not current_app.config["POSTER_QR_CAPITALS"]:
        return f"{scheme}://{host}{prefix}/p/{code}"
    return f"{scheme}://{host}".upper() + f"{prefix}/P/{code}"


def printed_url(code: str) -> str:
    """The short link in large type, for scanners that won't open links."""
    _scheme, host, prefix = _base()
    return f"{host}{prefix}/p/{code}"


def address_problem() -> LazyString | None:
    """Why posters can't be made with this site's configured address, if they can't."""
    _scheme, host, _prefix = _base()
    name = urlsplit(f"//{host}").hostname or ""
    try:
        local = ipaddress.ip_address(name).is_loopback or name == "0.0.0.0"  # noqa: S104
    except ValueError:
        local = name in ("localhost", "") or name.endswith(".localhost")
    if local:
        return _l("Posters can’t be made yet: this site’s public address is not set, so the "
                  "code would lead only to this computer. Whoever runs the site sets it in "
                  "SPOTCHECK_PUBLIC_BASE_URL.")
    if qr.make(scan_url(SAMPLE_CODE)).version > MAX_VERSION:
        return _l("Posters can’t be made yet: this site’s public address is too long for a "
                  "small QR code. Whoever runs the site can set a shorter "
                  "SPOTCHECK_PUBLIC_BASE_URL.")
    return None


@functools.cache
def _icon(path: Path) -> str:
    return path.read_text(encoding="utf-8").strip()


def brand_mark() -> Markup:
    """SpotCheck's icon (static/icons/icon.svg), inline because posters load nothing.

    Screen readers skip it: the name printed beside it says the same."""
    icon = _icon(static_root() / "icons" / "icon.svg")
    return Markup(icon.replace(  # noqa: S704 (our own file)
        "<svg ", '<svg class="brand-mark" aria-hidden="true" focusable="false" ', 1))


def sample_qr(url: str) -> Markup:
    """The preview's code, with "Sample" written on a band across it that breaks it.

    A volunteer who screenshots the preview and prints that gets a code that
    reads as nothing, rather than one that leads to a page that doesn't exist."""
    code_image = qr.make(url)
    side = len(code_image.get_matrix())
    top, height = (side * fraction for fraction in SAMPLE_BAND)
    # Translators: written across the preview's QR code, in capitals where the language has them.
    word = escape(_l("SAMPLE"))
    band = (f'<rect x="0" y="{top:.2f}" width="{side}" height="{height:.2f}" fill="#b3261e"/>'
            f'<text x="{side / 2:.2f}" y="{top + height / 2:.2f}" text-anchor="middle" '
            f'dominant-baseline="central" font-size="{height * 0.5:.2f}" font-weight="700" '
            f'fill="#fff">{word}</text></svg>')
    # Translators: what a screen reader says for the preview's QR code.
    label = _l("A sample code, not for printing: it does not scan")
    drawn = str(qr.svg(code_image, str(label)))
    return Markup(drawn.removesuffix("</svg>") + band)  # noqa: S704 (numbers and escaped text)


@dataclass(frozen=True)
class Wording:
    """A poster's words in one of its languages."""

    html_lang: str
    headline: str
    headline_lines: tuple[str, ...]
    short_lines: tuple[str, ...]
    scan: str
    or_type: str
    promise: str
    footer: str


def question_first(text: str) -> tuple[str, ...]:
    """A headline's question on a line of its own, so it never breaks mid-phrase."""
    return tuple(re.split(r"(?<=[?？])\s*", text, maxsplit=1))


def wording(languages: str, headline: str) -> list[Wording]:
    parts = []
    for code in LANGUAGE_SETS[languages]:
        with force_locale(LANGUAGES[code].locale):
            text = str(HEADLINES[headline].text)
            parts.append(Wording(
                html_lang=LANGUAGES[code].html_lang,
                headline=text,
                headline_lines=question_first(text),
                short_lines=question_first(str(HEADLINES[headline].short)),
                scan=str(_l("Scan with your phone’s camera or WeChat")),
                or_type=str(_l("Or type:")),
                promise=str(_l("Free · anonymous · no app to install")),
                footer=str(_l("Put up by volunteers. A scan adds one to a count for the day "
                              "and records nothing about you.")),
            ))
    return parts


def sheet(poster: Poster, code: str, sample: bool = False) -> Markup:
    """The printable sheet(s) of a poster (a row or a choice): HTML for any medium.

    A sample (the builder's preview) has a code marked so that it can't be scanned."""
    fmt = FORMATS[poster["format"]]
    url = scan_url(code)
    parts = wording(poster["languages"], poster["headline"])
    # version <= MAX_VERSION unless the address grew since
    code_svg = sample_qr(url) if sample else qr.svg(qr.make(url, fmt.qr_level), parts[0].scan)
    return Markup(render_template(  # noqa: S704 (our autoescaped template)
        "posters/_sheet.html", format_key=poster["format"], format=fmt, parts=parts,
        qr=code_svg, printed=printed_url(code), mark=brand_mark(),
    ))


def print_page(poster: Poster, code: str, **context: Any) -> str:
    return render_template("posters/print.html", sheet=sheet(poster, code),
                           poster=poster, code=code, paper=FORMATS[poster["format"]].paper,
                           **context)


def _fetcher(fonts: dict[str, bytes]) -> "URLFetcher":
    """WeasyPrint's URL fetcher for one poster: it serves these fonts, from memory, and
    refuses every other URL, however a page came to name one."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class FontsOnly(URLFetcher):  # type: ignore[misc]  # WeasyPrint has no types: Any
        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            if url not in fonts:
                raise ValueError(f"posters load nothing: {url}")
            return URLFetcherResponse(url, fonts[url], {"Content-Type": "font/otf"})

    return FontsOnly()


def _printed_characters(html: str) -> set[str]:
    """Every character any poster prints, in any of its languages, and this one's own.

    One set for all posters, so that each font is cut once (poster_fonts.cut_faces)."""
    characters = {c for c in unescape(re.sub(r"<[^>]*>", " ", html)) if c.isprintable()}
    for languages in LANGUAGE_SETS:
        for headline in HEADLINES:
            for part in wording(languages, headline):
                characters.update(part.headline, *part.short_lines, part.scan, part.or_type,
                                  part.promise, part.footer)
    return characters


def pdf(poster: Poster, code: str) -> bytes:
    """The poster as a PDF, its fonts (Noto Sans CJK) embedded as subsets.

    The fonts are Noto Sans CJK cut down to the characters posters print first
    (app/posters/fonts.py says why), given by @font-face rules that only this
    document's URL fetcher can load."""
    from weasyprint import CSS, HTML  # imported here: only PDF requests need it
    from weasyprint.text.fonts import FontConfiguration

    from . import fonts as poster_fonts  # fontTools, likewise

    stylesheet = static_root() / "css" / "poster.css"
    html = render_template("posters/pdf.html", sheet=sheet(poster, code), code=code)
    faces = poster_fonts.cut_faces(_printed_characters(html),
                                   Path(current_app.instance_path) / "poster-fonts")
    urls = {f"spotcheck-font:{face.family.replace(' ', '-')}-{face.weight}.otf": face
            for face in faces}
    fetcher = _fetcher({url: faces[face] for url, face in urls.items()})
    font_config = FontConfiguration()  # one per document: it holds the fonts' files
    font_faces = CSS(string=poster_fonts.font_face_rules(urls), url_fetcher=fetcher,
                     font_config=font_config)
    document: bytes = HTML(string=html, url_fetcher=fetcher).write_pdf(
        stylesheets=[font_faces, CSS(filename=str(stylesheet), url_fetcher=fetcher)],
        font_config=font_config)
    return document
