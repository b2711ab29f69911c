"""flask mirror refuses what is unsafe, survives an interruption and rewrites only what changed."""

import json
import os
import secrets
import shutil
from pathlib import Path

import pytest

from app import create_app
from app.config import SECRET_KEY_FILE
from app.mirror import build as mirror_build
from helpers import TEST_CONFIG, insert_published

BASE = "/m/"


@pytest.fixture
def site(tmp_path, migrated_database):
    folder = tmp_path / "instance"
    folder.mkdir(mode=0o700)
    shutil.copyfile(migrated_database, folder / "spotcheck.sqlite3")
    (folder / SECRET_KEY_FILE).write_text(secrets.token_hex(32))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SPOTCHECK_INSTANCE_PATH", str(folder))
        app = create_app(TEST_CONFIG)
    insert_published(app, [{"lat": 22.28, "lon": 114.16, "city": "Hong Kong"}])
    return app


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def mirror(app, out, *more):
    return run(app, "mirror", str(out), "--base-path", BASE, "--list-pages", "2", *more)


def keyed(app):
    assert run(app, "mirror-key").exit_code == 0
    return app


def test_a_missing_key_is_refused_and_not_made(site, tmp_path):
    result = mirror(site, tmp_path / "out")
    assert result.exit_code == 1
    assert "no mirror signing key" in result.output and "mirror-key" in result.output
    assert not (Path(site.instance_path) / "mirror_key.pem").exists()
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("base", ["m/", "/m", "https://example.org/m/", "//example.org/",
                                  "/a/../b/", "/a b/", "/m/?x=1/", "/./"])
def test_a_base_path_that_is_not_a_path_is_refused(site, tmp_path, base):
    keyed(site)
    result = run(site, "mirror", str(tmp_path / "out"), "--base-path", base)
    assert result.exit_code == 1 and "is not a path" in result.output
    assert "starts and ends with '/'" in result.output
    assert not (tmp_path / "out").exists()


def test_a_folder_of_someone_elses_files_is_refused_and_left_alone(site, tmp_path):
    keyed(site)
    out = tmp_path / "out"
    out.mkdir()
    (out / "holiday.jpg").write_bytes(b"hers")
    result = mirror(site, out)
    assert result.exit_code == 1 and "it is not a mirror" in result.output
    assert (out / "holiday.jpg").read_bytes() == b"hers"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["instance", "out"]


def test_someone_elses_file_where_the_zip_goes_is_refused(site, tmp_path):
    keyed(site)
    (tmp_path / "out.zip").write_bytes(b"her archive")
    result = mirror(site, tmp_path / "out")
    assert result.exit_code == 1 and "out.zip is in the way" in result.output
    assert (tmp_path / "out.zip").read_bytes() == b"her archive"
    assert mirror(site, tmp_path / "out", "--no-zip").exit_code == 0


def test_a_mirror_with_a_strangers_file_added_is_refused(site, tmp_path):
    keyed(site)
    out = tmp_path / "out"
    assert mirror(site, out).exit_code == 0
    (out / "en" / "notes.txt").write_text("mine")
    result = mirror(site, out)
    assert result.exit_code == 1 and "en/notes.txt" in result.output
    assert (out / "en" / "notes.txt").read_text() == "mine"


def test_a_mirror_signed_with_another_key_is_refused(site, tmp_path):
    keyed(site)
    out = tmp_path / "out"
    assert mirror(site, out).exit_code == 0
    (Path(site.instance_path) / "mirror_key.pem").unlink()
    site.extensions.pop("spotcheck_mirror_public", None)
    keyed(site)
    result = mirror(site, out)
    assert result.exit_code == 1 and "not a mirror made with this key" in result.output
    assert (out / "mirror.json").is_file()


def test_a_file_in_place_of_the_folder_is_refused(site, tmp_path):
    keyed(site)
    (tmp_path / "out").write_text("a file")
    result = mirror(site, tmp_path / "out")
    assert result.exit_code == 1 and "is a file" in result.output


def test_an_interrupted_build_leaves_the_previous_mirror(site, tmp_path, monkeypatch):
    keyed(site)
    out = tmp_path / "out"
    assert mirror(site, out).exit_code == 0
    before = json.loads((out / "mirror.json").read_text())

    def interrupted(db, before=None):
        yield "data/reports/z2/index.json", b"{}"
        raise KeyboardInterrupt

    monkeypatch.setattr(mirror_build.mapdata, "files", interrupted)
    assert mirror(site, out).exit_code != 0
    assert json.loads((out / "mirror.json").read_text()) == before
    assert run(site, "verify-mirror", str(out)).exit_code == 0
    assert (tmp_path / ".out.mirror-new").is_dir()  # the half-built one, marked as ours
    monkeypatch.undo()
    assert mirror(site, out).exit_code == 0  # which the next run clears away
    assert not (tmp_path / ".out.mirror-new").exists()
    assert run(site, "verify-mirror", str(out)).exit_code == 0


def test_a_second_build_rewrites_only_what_changed(site, tmp_path):
    keyed(site)
    out = tmp_path / "out"
    first = mirror(site, out)
    assert first.exit_code == 0 and " 0 kept" in first.output
    checklist = os.stat(out / "en/check/restroom/index.html").st_ino
    old = json.loads((out / "mirror.json").read_text())["files"]

    insert_published(site, [{"lat": 25.03, "lon": 121.56, "city": "Taipei", "venue": "Station"}])
    second = mirror(site, out)
    assert second.exit_code == 0
    new = json.loads((out / "mirror.json").read_text())["files"]
    changed = sorted(name for name in new if old.get(name) != new[name])
    # The map's data and list pages changed (and the precache's version in the worker
    # only if a precached page did); nothing else.
    assert changed and all(name.startswith("data/reports/") or "/map/" in name
                           for name in changed), changed
    assert any("Station" in (out / name).read_text() for name in changed if "map/list" in name)
    written = int(second.output.split(" written")[0].rsplit(" ", 1)[1])
    assert written == len(changed)  # new files among them
    # An unchanged file is the previous one, linked, not written again.
    assert os.stat(out / "en/check/restroom/index.html").st_ino == checklist
    assert run(site, "verify-mirror", str(out)).exit_code == 0


def test_the_mirror_is_readable_by_whoever_serves_it(site, tmp_path):
    keyed(site)
    out = tmp_path / "out"
    assert mirror(site, out).exit_code == 0  # under create_app's umask of 077
    for path in [out, *out.rglob("*"), out.with_name("out.zip")]:
        assert path.stat().st_mode & 0o777 == (0o755 if path.is_dir() else 0o644), path


def test_a_changed_file_in_the_previous_mirror_is_never_carried_over(site, tmp_path):
    keyed(site)
    out = tmp_path / "out"
    assert mirror(site, out).exit_code == 0
    square = next((out / "data/reports/z14").glob("*.geojson"))
    square.write_bytes(square.read_bytes().replace(b"Hong Kong", b"Hong Kang"))
    result = mirror(site, out)
    assert result.exit_code == 1 and "is not as the previous mirror.json signed it" in result.output
    assert "verify-mirror" in result.output


def test_a_mirror_at_the_root_of_its_host(site, tmp_path):
    keyed(site)
    out = tmp_path / "out"
    assert run(site, "mirror", str(out), "--base-path", "/", "--no-zip").exit_code == 0
    worker = (out / "sw.js").read_text()
    assert 'const ROOT = "";' in worker
    assert '"/report", "/organizers", "/api/"' in worker  # prefixes, left as they are
    assert '"/en/offline/index.html"' in worker
    page = (out / "en/found/index.html").read_text()
    assert 'href="/en/check/index.html"' in page and 'src="/static/js/' in page
