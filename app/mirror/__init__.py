"""Signed static mirrors of the public site (issue 32).

`flask mirror OUT` writes the public pages, static files, service worker and
the map's data as files any static host can serve below a base path
(`pages` decides what, `render` asks the app and makes links static,
`mapdata` writes the map's answers, `build` keeps it safe and incremental);
`signed` is mirror.json, signed with the instance's mirror key, which
`flask mirror-key` makes and GET /api/v1/mirror/key publishes. docs/mirrors.md
says how anyone checks a copy. Reports from a mirror go to the primary
(web/mirroring.py); render.py points the links of what the primary answers them.
"""

import sys
from pathlib import Path
from typing import Any, NoReturn

import click
from flask import Blueprint, Flask, current_app, request
from flask.cli import with_appcontext

from ..web.keys import PublicKey, SigningKey, load_or_create, read_key
from ..web.mirroring import MIRROR_ENVIRON
from . import render, signed

bp = Blueprint("mirror", __name__)


def key_path(app: Flask) -> Path:
    return Path(app.instance_path) / signed.KEY_FILE


def existing_key(app: Flask) -> SigningKey:
    """The mirror key, never made here: click's error, naming the fix, if there is none."""
    path = key_path(app)
    if not path.exists():
        fail(f"there is no mirror signing key ({path}). Make one once with "
             "`flask --app app mirror-key`, back it up, and publish its fingerprint")
    try:
        return read_key(path)
    except RuntimeError as error:
        fail(str(error))


def public_key(app: Flask) -> PublicKey | None:
    """The mirror key's public half, for the pages, or None before one is made."""
    path = key_path(app)
    if not path.exists():
        return None
    keys: dict[str, PublicKey] = app.extensions.setdefault("spotcheck_mirror_public", {})
    if "key" not in keys:
        try:
            keys["key"] = read_key(path).public
        except RuntimeError:
            return None
    return keys["key"]


def fail(reason: str) -> NoReturn:
    click.echo(f"FAILED: {reason}", err=True)
    sys.exit(1)


@click.command("mirror-key")
@with_appcontext
def mirror_key_command() -> None:
    """Make the mirror signing key in the instance folder (once), and show its fingerprint."""
    path = key_path(current_app)
    made = not path.exists()
    key = load_or_create(path)
    click.echo(f"{'made' if made else 'kept'} {path}: key {key.public.id}, public key "
               f"{key.public.base64}")


@click.command("mirror")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--base-path", default="/", show_default=True,
              help="Where the mirror is served on its host: /, or /some/path/.")
@click.option("--list-pages", default=None, type=click.IntRange(1),
              help="The map's list pages per language (50 reports each); default 200.")
@click.option("--zip/--no-zip", "make_zip", default=True, show_default=True,
              help="Also write OUT.zip beside the folder.")
@with_appcontext
def mirror_command(out: Path, base_path: str, list_pages: int | None, make_zip: bool) -> None:
    """Write the public site as a signed static mirror into OUT (see docs/mirrors.md)."""
    from .build import LIST_PAGES, MirrorError, build

    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    key = existing_key(app)
    try:
        result = build(app, out, base_path, key, list_pages or LIST_PAGES, make_zip)
    except MirrorError as error:
        fail(str(error))
    languages = ", ".join(f"{lang} {size / 1e6:.1f} MB" for lang, size in
                          result.by_language.items())
    timing = ", ".join(f"{part} {seconds:.1f} s" for part, seconds in result.seconds.items())
    click.echo(f"mirror in {out}: {result.files} files, {result.bytes / 1e6:.1f} MB "
               f"({languages}); {result.written} written, {result.kept} kept; signed with "
               f"key {key.public.id}; {timing}")
    if result.zip_path:
        click.echo(f"zip: {result.zip_path}")


@click.command("verify-mirror")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def verify_mirror_command(folder: Path) -> None:
    """Check a copy of a mirror against this server's mirror key. Prints OK or FAILED."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    verdict = signed.verify(folder, existing_key(app).public)
    if not verdict.ok:
        for problem in verdict.problems[:20]:
            click.echo(f"FAILED: {problem}")
        if len(verdict.problems) > 20:
            click.echo(f"FAILED: … and {len(verdict.problems) - 20} more")
        sys.exit(1)
    click.echo(f"OK: {verdict.count} files, each as signed")


def mirror_context() -> dict[str, Any]:
    """Templates' `mirror`: the static map data's settings while a mirror is rendered,
    else None; and `mirror_key`, the key's public half for the footer line."""
    from . import mapdata

    building = MIRROR_ENVIRON in request.environ
    return {"mirror": {"map": mapdata.settings(request.script_root + "/")} if building
            else None, "mirror_key": public_key(current_app)}


def init_app(app: Flask) -> None:
    from . import views  # noqa: F401 (registers the routes on the blueprint)

    app.register_blueprint(bp)
    app.context_processor(mirror_context)
    # What htmx swaps into a mirror's page links as that page does (render.py).
    app.after_request(render.for_mirror_page)
    for command in (mirror_command, mirror_key_command, verify_mirror_command):
        app.cli.add_command(command)
