"""Signed timestamps for the evidence notebook (issue 29, item 3).

A phone sends only a file's SHA-256; the server answers with its time and an
Ed25519 signature over both, and keeps nothing. `stamp` is the format (the
specification is docs/timestamps.md), `views` the two API endpoints, and
`verify-timestamp` checks an answer against this server's key.
"""

import hashlib
import json
import sys
from pathlib import Path
from typing import NoReturn, TextIO

import click
from flask import Blueprint, Flask, current_app
from flask.cli import with_appcontext

from ..web.keys import read_key
from . import stamp

bp = Blueprint("timestamps", __name__)


@click.command("verify-timestamp")
@click.argument("answer", type=click.File("r"), required=False)
@click.option("--sha256", help="The file's SHA-256, 64 lowercase hex digits.")
@click.option("--time", "when", help="The time signed, as in the answer: 2026-12-06T16:40:12Z.")
@click.option("--signature", help="The signature, base64, as in the answer.")
@click.option("--file", "checked_file", type=click.Path(exists=True, dir_okay=False,
                                                        path_type=Path),
              help="Also check that this file's SHA-256 is the hash signed.")
@with_appcontext
def verify_timestamp_command(answer: TextIO | None, sha256: str | None,
                             when: str | None, signature: str | None,
                             checked_file: Path | None) -> None:
    """Check a timestamp against this server's key: ANSWER is the saved JSON answer
    (- for standard input), or give --sha256, --time and --signature. Prints OK or
    FAILED; exits 1 on failure."""
    claimed_key = None
    if answer is not None:
        try:
            saved = json.load(answer)
            sha256, when, signature = saved["sha256"], saved["time"], saved["signature"]
            claimed_key = saved.get("key_id")
        except (ValueError, KeyError, TypeError):
            fail("the answer is not a timestamp: a JSON object with sha256, time and signature")
    if not (isinstance(sha256, str) and isinstance(when, str) and isinstance(signature, str)):
        fail("give an answer file, or --sha256, --time and --signature")
    path = Path(current_app.instance_path) / stamp.KEY_FILE
    if not path.exists():
        fail(f"this server has no timestamp key ({path}), so it signed nothing")
    try:
        key = read_key(path).public
    except RuntimeError as error:
        fail(str(error))
    verdict = stamp.verify(key, sha256, when, signature,
                           claimed_key if isinstance(claimed_key, str) else None)
    if not verdict.ok:
        fail(verdict.reason)
    if checked_file is not None:
        with checked_file.open("rb") as f:
            if hashlib.file_digest(f, "sha256").hexdigest() != sha256:
                fail(f"the signature is good, but {checked_file} is not the file hashed")
    click.echo(f"OK: {verdict.reason}")


def fail(reason: str) -> NoReturn:
    click.echo(f"FAILED: {reason}")
    sys.exit(1)


def init_app(app: Flask) -> None:
    from . import views  # noqa: F401 (registers the routes on the blueprint)

    app.register_blueprint(bp)
    app.cli.add_command(verify_timestamp_command)
