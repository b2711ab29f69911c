"""Noto Sans CJK cut down to the characters posters print, before WeasyPrint embeds it.

Why (issue 19): WeasyPrint (70) subsets the fonts it embeds, but keeps every glyph
id up to the highest one a PDF uses (its PDFs name glyphs by their ids). Chinese
glyphs, and the monospaced font's Latin ones, sit near the end of Noto Sans CJK's
65,535, so each such font kept some 63,000 empty glyphs: its hmtx and vmtx tables
253 KB each and its CFF 190-260 KB, 120-145 KB in the PDF per font. An A4 poster
in Chinese weighed 412 KB, one in English 133 KB, and each took longer to write.

So the PDF's stylesheet names fonts made here instead: each face cut (fontTools,
glyphs renumbered) to the characters any poster prints, in any of its languages,
plus printable ASCII for codes and addresses; a few hundred glyphs. WeasyPrint's
own subset of such a font then keeps only the glyphs the poster uses. Cutting a
face takes about a second, so each is kept in memory and in the instance folder,
named by what it was made from: a new translation or font package makes new ones,
and those made before are deleted.
A character a poster prints that isn't in its face is drawn from the installed
font, as before: the poster is right, only bigger.
"""

import functools
import hashlib
import io
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import fontTools
from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont, TTLibError

# Where Debian's fonts-noto-cjk (and most Linux packages) put the collections.
FONT_FOLDERS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
ASCII = frozenset(map(chr, range(0x20, 0x7F)))


@dataclass(frozen=True)
class Face:
    family: str  # what static/css/poster.css names, first in its list
    weight: int
    postscript_name: str  # the installed face it is cut from

    @property
    def style(self) -> str:
        return "Bold" if self.weight >= 700 else "Regular"


FACES = tuple(
    Face(f"SpotCheck {family}", weight, f"{postscript}-{style}")
    for family, postscript in (("Noto Sans CJK SC", "NotoSansCJKsc"),
                               ("Noto Sans CJK TC", "NotoSansCJKtc"),
                               ("Noto Sans Mono CJK SC", "NotoSansMonoCJKsc"))
    for weight, style in ((400, "Regular"), (700, "Bold"))
)

_made: dict[str, bytes] = {}
_making = threading.Lock()  # one thread cuts a face; the others wait and reuse it


@functools.cache
def _installed() -> dict[str, tuple[Path, int]]:
    """Each installed Noto Sans CJK face by its PostScript name: its file, its index."""
    found: dict[str, tuple[Path, int]] = {}
    for folder in FONT_FOLDERS:
        for path in sorted(folder.rglob("NotoSans*CJK*")) if folder.is_dir() else ():
            try:
                with (TTCollection(path, lazy=True) if path.suffix == ".ttc"
                      else TTFont(path, lazy=True)) as opened:
                    fonts = opened.fonts if path.suffix == ".ttc" else [opened]
                    for index, font in enumerate(fonts):
                        found.setdefault(font["name"].getDebugName(6), (path, index))
            except (OSError, TTLibError):
                continue  # not a font we can read: the installed fonts are used instead
    return found


def _cut(face: Face, path: Path, index: int, characters: str) -> bytes:
    options = subset.Options()
    options.notdef_outline = True  # a missing glyph shows as a box, not as nothing
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    # A name of its own, so that fontconfig never takes it for the installed font,
    # which has every glyph: "Noto Sans CJK SC" still finds that one.
    names = {1: face.family, 4: f"{face.family} {face.style}",
             6: f"{face.family.replace(' ', '')}-{face.style}"}
    names[3] = names[6]
    out = io.BytesIO()
    with TTFont(path, fontNumber=index) as font:
        subsetter.subset(font)
        for record in font["name"].names:
            if record.nameID in names:
                record.string = names[record.nameID]
        font.save(out)
    return out.getvalue()


def cut_faces(characters: set[str], cache: Path) -> dict[Face, bytes]:
    """Each poster face cut to these characters (and ASCII), for @font-face rules.

    Faces that aren't installed are left out: poster.css falls back to the installed
    font's own name."""
    text = "".join(sorted(set(characters) | ASCII))
    faces, kept = {}, set()
    for face in FACES:
        if (source := _installed().get(face.postscript_name)) is None:
            continue
        path, index = source
        stat = path.stat()
        made_from = "\n".join((face.family, str(face.weight), str(path), str(index),
                               str(stat.st_size), str(stat.st_mtime_ns), fontTools.version,
                               text))
        key = hashlib.sha256(made_from.encode()).hexdigest()[:32]
        faces[face] = _cached(key, cache, lambda: _cut(face, path, index, text))  # noqa: B023
        kept.add(f"{key}.otf")
    _forget_others(cache, kept)
    return faces


def _forget_others(folder: Path, kept: set[str]) -> None:
    """Delete faces cut for older wording or fonts, so the folder never grows.

    A worker still running older code cuts its own again if it needs them."""
    try:
        files = [file for file in folder.iterdir() if file.name not in kept]
    except OSError:
        return  # no folder yet, or not readable: nothing to tidy
    for file in files:
        if file.suffix == ".otf":
            file.unlink(missing_ok=True)


def font_face_rules(urls: dict[str, Face]) -> str:
    """The @font-face rules that name each face by the URL it is served at."""
    return "".join(f'@font-face {{ font-family: "{face.family}"; font-weight: {face.weight}; '
                   f'src: url("{url}"); }}\n' for url, face in urls.items())


def _cached(key: str, folder: Path, make: Callable[[], bytes]) -> bytes:
    if (font := _made.get(key)) is not None:
        return font
    with _making:
        if (font := _made.get(key)) is not None:
            return font
        file = folder / f"{key}.otf"
        try:
            font = file.read_bytes()
        except OSError:
            font = make()
            try:  # written whole, then renamed: another worker never reads half a font
                folder.mkdir(parents=True, exist_ok=True)
                handle, partial = tempfile.mkstemp(dir=folder, suffix=".tmp")
                with os.fdopen(handle, "wb") as out:
                    out.write(font)
                os.replace(partial, file)
            except OSError:
                pass  # kept in memory only: the next process cuts it again
        if len(_made) >= 4 * len(FACES):  # cut for older wording: let them go
            _made.clear()
        _made[key] = font
        return font
