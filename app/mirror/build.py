"""Building a mirror: refuse what is unsafe, render beside the old one, reuse, sign, swap.

The new mirror is written into a sibling folder (`.OUT.mirror-new`, marked as
ours while it is built) and only renamed into place once it is whole and
signed: an interrupted build leaves the previous mirror as it was. A file
whose bytes are those the previous mirror.json lists is hard-linked from the
previous mirror instead of written again (copied where links fail).
"""

import itertools
import json
import os
import re
import shutil
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask

from ..db import get_db
from ..vocab import today
from ..web.i18n import LANGUAGES
from ..web.keys import SigningKey
from . import mapdata, signed
from .pages import STAND_INS, Layout, pages
from .render import Renderer

# A base path: "/", or "/" and URL-safe segments, each ending in "/".
BASE_PATH = re.compile(r"/(?:[A-Za-z0-9_~-][A-Za-z0-9._~-]*/)*")
# A mirror is public: readable by whoever serves or copies it, whatever the umask.
PUBLIC_FILE, PUBLIC_FOLDER = 0o644, 0o755
LIST_PAGES = 200  # the map's list pages per language (50 reports each); the map has every one


class MirrorError(RuntimeError):
    """Why a mirror cannot be built here, in words naming what to fix."""


@dataclass
class Result:
    files: int = 0
    written: int = 0
    kept: int = 0
    bytes: int = 0
    by_language: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    zip_path: Path | None = None


def check_base_path(base: str) -> None:
    if not BASE_PATH.fullmatch(base) or any(part in (".", "..") for part in base.split("/")):
        raise MirrorError(
            f"--base-path {base!r} is not a path: give one that starts and ends with '/', "
            "such as /spotcheck/, with only letters, digits and - . _ ~ between the "
            "slashes (no scheme, host, '..' or query)")


def zip_path(out: Path) -> Path:
    """The mirror's ZIP, beside it: OUT.zip."""
    return out.with_name(out.name + ".zip")


def previous_mirror(out: Path, key: SigningKey) -> dict[str, Any] | None:
    """The mirror already in `out` (its manifest), None for a new or empty folder, or
    MirrorError if the folder holds anything but a mirror signed with this key."""
    if not out.exists():
        if not out.parent.is_dir():
            raise MirrorError(f"{out.parent} does not exist: make it, or choose another "
                              "output folder")
        return None
    if not out.is_dir():
        raise MirrorError(f"{out} is a file, not a folder: choose another output folder")
    if not any(out.iterdir()):
        return None
    data = signed.read_manifest(out)
    if data is None:
        raise MirrorError(f"{out} holds files but no {signed.MANIFEST}: it is not a mirror, "
                          "so nothing in it is replaced. Choose an empty or new folder")
    if problem := signed.signature_problem(data, key.public):
        raise MirrorError(f"{out} is not a mirror made with this key ({problem}): nothing "
                          "in it is replaced. Choose an empty or new folder")
    strangers = sorted(signed.files_in(out) - set(data["files"]))
    if strangers:
        shown = ", ".join(strangers[:5]) + (" …" if len(strangers) > 5 else "")
        raise MirrorError(f"{out} holds files the mirror did not write ({shown}): move them "
                          "away first; a new mirror would replace the whole folder")
    return data


def check_zip(out: Path) -> None:
    """MirrorError if OUT.zip is there but is not a ZIP of this mirror (it would be replaced)."""
    path = zip_path(out)
    if not path.exists():
        return
    try:
        with zipfile.ZipFile(path) as archive:
            ours = f"{out.name}/{signed.MANIFEST}" in archive.namelist()
    except (OSError, zipfile.BadZipFile):
        ours = False
    if not ours:
        raise MirrorError(f"{path} is in the way and is not a ZIP of this mirror: move it "
                          "away, or give --no-zip")


def scratch(out: Path, suffix: str) -> Path:
    """A sibling folder of ours; an earlier interrupted run's is removed if it is marked."""
    folder = out.with_name(f".{out.name}.mirror-{suffix}")
    if folder.exists():
        if not (folder / signed.BUILDING_MARK).exists() and suffix == "new":
            raise MirrorError(f"{folder} is in the way and is not an unfinished mirror of "
                              "ours: move it away")
        shutil.rmtree(folder)
    return folder


def build(app: Flask, out: Path, base: str, key: SigningKey, list_pages: int = LIST_PAGES,
          make_zip: bool = True) -> Result:
    """Write the mirror of `app` into `out` for serving below `base` (see the module)."""
    check_base_path(base)
    out = out.absolute()
    previous = previous_mirror(out, key)
    if make_zip:
        check_zip(out)
    started = time.monotonic()
    result = Result()
    new = scratch(out, "new")
    new.mkdir()
    (new / signed.BUILDING_MARK).touch()
    rendered = render_all(app, base, list_pages)
    result.seconds["pages"] = time.monotonic() - started
    old: dict[str, Any] = previous["files"] if previous else {}
    listed: dict[str, dict[str, Any]] = {}
    with app.app_context():
        # The map's data is written as it is made (it may be hundreds of megabytes).
        made = mapdata.files(get_db(), previous_digests(out, old))
        write_files(itertools.chain(rendered.items(), made), new, out, old, listed, result)
    result.seconds["map data, written"] = time.monotonic() - started - result.seconds["pages"]
    result.files = len(listed)
    signed.write_manifest(new, signed.sign(key, today().isoformat(), base, listed))
    (new / signed.MANIFEST).chmod(PUBLIC_FILE)
    for folder, _, _ in os.walk(new):
        os.chmod(folder, PUBLIC_FOLDER)
    (new / signed.BUILDING_MARK).unlink()
    swap(out, new)
    if make_zip:
        result.zip_path = write_zip(out)
        result.seconds["zip"] = time.monotonic() - started - sum(result.seconds.values())
    return result


def previous_digests(out: Path, old: dict[str, Any]) -> dict[str, str]:
    """The previous mirror's digests of the map's point squares, if it holds them intact."""
    entry = old.get(mapdata.DIGESTS)
    path = out / mapdata.DIGESTS
    if not entry or not path.is_file() or signed.sha256_of(path) != entry["sha256"]:
        return {}
    digests: dict[str, str] = json.loads(path.read_bytes())
    return digests


def write_files(files: Iterable[tuple[str, bytes | None]], new: Path, out: Path,
                old: dict[str, Any], listed: dict[str, dict[str, Any]], result: Result) -> None:
    """Each file into `new`: linked from `out` where the previous mirror had these bytes.

    None for bytes means "as in the previous mirror" (mapdata.py: a square whose reports
    did not change); the previous file is checked against its signed hash first.
    """
    for name, data in files:
        target = new / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if data is None:
            listed[name] = _keep_previous(out, name, old, target)
            result.kept += 1
            result.bytes += listed[name]["size"]
            continue
        digest = _sha256(data)
        listed[name] = {"sha256": digest, "size": len(data)}
        if old.get(name, {}).get("sha256") == digest and _reuse(out / name, target):
            result.kept += 1
        else:
            target.write_bytes(data)
            target.chmod(PUBLIC_FILE)  # the server's umask is 077; these are for everyone
            result.written += 1
        result.bytes += len(data)
        lang = name.split("/")[0]
        if lang in LANGUAGES:
            result.by_language[lang] = result.by_language.get(lang, 0) + len(data)


def render_all(app: Flask, base: str, list_pages: int) -> dict[str, bytes]:
    """Every page, list page, static file and the service worker, links made static."""
    renderer = Renderer(app, base)
    rendered = {}  # URL (without base, no leading "/") -> Rendered
    with app.test_request_context(base_url="http://localhost" + base.rstrip("/")):
        adapter = app.url_map.bind("localhost")
        for wanted in pages(app):
            values = {"lang": wanted.lang, **dict(wanted.values)}
            url = adapter.build(wanted.endpoint, values)
            shown = adapter.build(STAND_INS.get(wanted.endpoint, wanted.endpoint), values)
            rendered[url.lstrip("/")] = renderer.get(shown)
    for lang in LANGUAGES:
        for url, listed in renderer.list_pages(lang, list_pages):
            rendered[url.lstrip("/")] = listed
    rendered["sw.js"] = renderer.get("/sw.js")
    static = Path(app.static_folder or "")
    for path in sorted(static.rglob("*")):
        if path.is_file():
            name = path.relative_to(static).as_posix()
            rendered[f"static/{name}"] = renderer.get(f"/static/{name}")
    layout = Layout({url.split("?")[0] for url in rendered})
    by_file = {}
    for url, page in rendered.items():
        found = layout.file_for(url)
        if found is None:
            raise MirrorError(f"the mirror renders {url} but has no file for it (pages.py)")
        by_file[found[0]] = page
    written = set(by_file) | {f"{mapdata.FOLDER}/"}
    target = renderer.link_target(layout, written)
    files: dict[str, bytes] = {}
    for name, page in by_file.items():
        if page.csp is not None:
            files[name] = renderer.html_page(page, target)
        elif name == "sw.js":
            files[name] = renderer.rewrite(page.body.decode("utf-8"), renderer.link_target(
                layout, written, elsewhere=False), escape=False).encode("utf-8")
        elif name.endswith(".webmanifest"):
            # Only where it opens: its scope and id stay the folder of the language.
            manifest = json.loads(page.body)
            manifest["start_url"] = target(manifest["start_url"])
            files[name] = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
        else:
            files[name] = page.body
    # The base path itself opens the home page in the default language.
    files["index.html"] = files[Layout.page_file(f"{app.config['DEFAULT_LANGUAGE']}/")]
    return files


def _keep_previous(out: Path, name: str, old: dict[str, Any], target: Path) -> dict[str, Any]:
    """The previous mirror's file, checked against its signed hash, linked into the new one."""
    entry, path = old.get(name), out / name
    if not (entry and path.is_file() and path.stat().st_size == entry["size"]
            and signed.sha256_of(path) == entry["sha256"] and _reuse(path, target)):
        raise MirrorError(f"{path} is not as the previous mirror.json signed it: run "
                          "verify-mirror on it, or build into a new folder")
    return {"sha256": entry["sha256"], "size": entry["size"]}


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _reuse(old: Path, new: Path) -> bool:
    """The previous mirror's file in the new one: a hard link, else a copy."""
    try:
        os.link(old, new)
    except OSError:
        try:
            shutil.copy2(old, new)
        except OSError:
            return False
    return True


def swap(out: Path, new: Path) -> None:
    """Put the new mirror in place of the old one: two renames, then the old is removed."""
    if not out.exists():
        new.rename(out)
        return
    old = scratch(out, "old")
    out.rename(old)
    new.rename(out)
    shutil.rmtree(old)


def write_zip(out: Path) -> Path:
    """OUT.zip: the mirror in one file to pass along, its folder named as OUT is."""
    path = zip_path(out)
    partial = path.with_name(f".{path.name}.partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name in sorted([*signed.files_in(out), signed.MANIFEST]):
            already_small = name.endswith((".png", ".woff2", ".jpg", ".pdf", ".zip"))
            archive.write(out / name, f"{out.name}/{name}",
                          zipfile.ZIP_STORED if already_small else zipfile.ZIP_DEFLATED)
    partial.chmod(PUBLIC_FILE)
    partial.replace(path)
    return path
