"""flask mirror: a signed static copy below a base path (issue 32, items 1, 2, 5 and 6)."""

import html
import json
import re
import secrets
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from app import create_app
from app.config import SECRET_KEY_FILE
from app.content.checklists import CHECKLISTS
from app.mirror import mapdata
from app.mirror.pages import mirrored_endpoints
from app.web.i18n import LANGUAGES
from helpers import ROOT, TEST_CONFIG, db_rows, insert_published

BASE = "/mirror/test/"
PLACES = [{"lat": 22.2800 + i * 0.01, "lon": 114.1600, "city": "Hong Kong", "venue": f"Mall {i}"}
          for i in range(5)] + [{"lat": 25.0330, "lon": 121.5650, "city": "Taipei"}] + [
    # Beside Taipei's, at other levels: a cell has a row per level (migration 0013),
    # and the static map must still show each cell once, its venue only where allowed.
    {"lat": 25.0331, "lon": 121.5651, "city": "Taipei", "venue": "Hidden", "verification": v}
    for v in ("reported", "disputed")]


def make_app(folder: Path, database: Path):
    folder.mkdir(mode=0o700)
    shutil.copyfile(database, folder / "spotcheck.sqlite3")
    (folder / SECRET_KEY_FILE).write_text(secrets.token_hex(32))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SPOTCHECK_INSTANCE_PATH", str(folder))
        return create_app(TEST_CONFIG)


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


@pytest.fixture(scope="module")
def site(tmp_path_factory, migrated_database):
    """An app with a mirror key and six published reports."""
    folder = tmp_path_factory.mktemp("mirror")
    app = make_app(folder / "instance", migrated_database)
    insert_published(app, PLACES)
    assert run(app, "mirror-key").exit_code == 0
    return app, folder


@pytest.fixture(scope="module")
def built(site):
    app, folder = site
    out = folder / "out"
    result = run(app, "mirror", str(out), "--base-path", BASE)
    assert result.exit_code == 0, result.output + result.stderr
    return out


@pytest.fixture
def copy(built, tmp_path):
    target = tmp_path / "copy"
    shutil.copytree(built, target)
    return target


def key_of(app) -> str:
    with app.test_client() as client:
        return client.get("/api/v1/mirror/key").get_json()["public_key"]


# -- what it holds ----------------------------------------------------------------------

def test_every_page_is_there_in_every_language(site, built):
    app, _ = site
    endpoints = mirrored_endpoints(app)
    assert {"home.index", "checklists.found", "lens.page", "notebook.page", "notebook.sheet",
            "pwa.offline", "reports.offline_form", "reports.report", "maps.page"} <= set(endpoints)
    adapter = app.url_map.bind("localhost")
    for lang in LANGUAGES:
        for endpoint in endpoints:
            path = adapter.build(endpoint, {"lang": lang}).lstrip("/")
            name = path if path.endswith((".webmanifest", ".json")) \
                else f"{path.rstrip('/')}/index.html"
            assert (built / name).is_file(), name
        # The kit's letters are data: a file by their own name, read as JSON.
        assert "writer" in json.loads((built / lang / "takedown/letters.json").read_text())
        for space in CHECKLISTS:
            assert (built / lang / "check" / space / "index.html").is_file()
        for page in ("found/region-hk", "found/region-cn", "check/home/region-tw", "map/list"):
            assert (built / lang / page / "index.html").is_file(), page
        assert "Mall 0" in (built / lang / "map/list/index.html").read_text()
    assert not (built / "en/organizers").exists() and not (built / "en/posters").exists()
    for name in ("index.html", "sw.js", "static/js/common.js", "static/css/app.css",
                 "data/reports/z14/index.json"):
        assert (built / name).is_file(), name


class Urls(HTMLParser):
    """Every URL a page names in an attribute (links, assets, forms, data-*)."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and (name in ("href", "src", "action") or name.startswith("data-")) \
                    and (value.startswith(("/", "http")) or "://" in value):
                self.urls.append(value)


def test_no_url_escapes_the_base_path_and_every_link_lands_on_a_file(site, built):
    app, _ = site
    primary = app.config["PUBLIC_BASE_URL"].rstrip("/") + "/"
    pages = sorted(built.rglob("*.html"))
    assert len(pages) > 200
    for page in pages:
        parser = Urls()
        parser.feed(page.read_text())
        for url in parser.urls:
            if url.startswith("/"):
                assert url.startswith(BASE), f"{page.relative_to(built)}: {url}"
                path = urlsplit(url).path[len(BASE):]
                assert (built / path).is_file(), f"{page.relative_to(built)} links to {url}"
            elif url.startswith(primary):
                # Only what the mirror cannot hold: what posts, and the organizers' key.
                assert not (built / urlsplit(url).path.lstrip("/")).is_file() or \
                    url.endswith("/report"), url
    for sheet in built.glob("static/css/*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", sheet.read_text()):
            assert not url.startswith("/") or url.startswith(BASE), url
    for script in built.glob("static/js/*.js"):
        text = script.read_text()
        assert not re.search(r"""(?:from|import)\s*\(?\s*["']/""", text), script.name
    worker = (built / "sw.js").read_text()
    precache = json.loads(re.search(r"const PRECACHE = (.*);", worker)[1])
    for urls in precache.values():
        for url in urls:
            assert url.startswith(BASE) and (built / urlsplit(url).path[len(BASE):]).is_file()
    assert f'const ROOT = "{BASE.rstrip("/")}";' in worker
    manifest = json.loads((built / "zh-hk/manifest.webmanifest").read_text())
    assert manifest["scope"] == f"{BASE}zh-hk/"
    assert manifest["start_url"] == f"{BASE}zh-hk/index.html"


def test_pages_carry_their_policy_and_forms_post_to_the_primary(site, built):
    app, _ = site
    report = (built / "en/report/index.html").read_text()
    assert f'action="{app.config["PUBLIC_BASE_URL"]}/en/report"' in report
    assert 'http-equiv="Content-Security-Policy"' in report
    # The primary takes posts from a mirror's pages for reports alone (web/mirroring.py):
    # a page with any other form (a response's status) stays on the primary.
    actions = {re.search(r'action="([^"]*)"', tag)[1]
               for page in built.rglob("*.html")
               for tag in re.findall(r"<form\b[^>]*>", page.read_text())
               if re.search(r"method=\"?post", tag, re.I)}
    assert actions == {f"{app.config['PUBLIC_BASE_URL']}/{lang}/report" for lang in LANGUAGES}
    lens = (built / "en/lens/index.html").read_text()
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', lens)[1]
    assert "connect-src 'none'" in html.unescape(policy)  # the lens finder fetches nothing


def test_the_map_reads_every_published_report_from_static_files(built):
    page = (built / "en/map/index.html").read_text()
    settings = json.loads(re.search(r'data-static="([^"]*)"', page)[1].replace("&#34;", '"'))
    assert settings == mapdata.settings(BASE)
    assert "data-hx-get" not in page  # no filters: a static host cannot answer them
    for level, _ in mapdata.LEVELS:
        folder = built / f"data/reports/z{level}"
        squares = json.loads((folder / "index.json").read_text())["files"]
        shown = [json.loads((folder / f"{name}.geojson").read_text()) for name in squares]
        assert sum(square["total"] for square in shown) == len(PLACES), level
        if level < 14:  # counted cells: each once, whatever its reports' levels
            cells = [tuple(f["geometry"]["coordinates"]) for square in shown
                     for f in square["features"]]
            assert len(cells) == len(set(cells)), level
    points = [f for name in json.loads((built / "data/reports/z14/index.json").read_text())
              ["files"] for f in json.loads((built / f"data/reports/z14/{name}.geojson")
                                             .read_text())["features"]]
    assert {r["venue"] for f in points for r in f["properties"]["reports"] if "venue" in r} \
        == {f"Mall {i}" for i in range(5)}


def test_the_maps_popups_link_each_report_to_its_page_on_the_primary(site, built):
    """A place on a mirror's map finds where to respond: the static points carry each
    report's public id as the API does, and the page says where such pages are. A mirror
    does not hold them (they take responses), so that is the primary, in the same language."""
    app, _ = site
    primary = app.config["PUBLIC_BASE_URL"].rstrip("/")
    folder = built / "data/reports/z14"
    ids = {r["public_id"] for name in json.loads((folder / "index.json").read_text())["files"]
           for f in json.loads((folder / f"{name}.geojson").read_text())["features"]
           for r in f["properties"]["reports"]}
    published = {row[0] for row in db_rows(app, "SELECT public_id FROM map_report")}
    assert ids == published and len(ids) == len(PLACES)
    for lang in LANGUAGES:
        page = (built / lang / "map/index.html").read_text()
        where = html.unescape(re.search(r'data-report-page="([^"]*)"', page)[1])
        assert where == f"{primary}/{lang}/published/"
        with app.test_client() as client:  # the link map.js makes, on the primary
            for public_id in ids:
                assert client.get(f"/{lang}/published/{public_id}").status_code == 200


# -- signed -----------------------------------------------------------------------------

def verify_script(folder: Path, key: str):
    # -I: isolated, so nothing of the project is importable; only `cryptography` is there.
    return subprocess.run([sys.executable, "-I", str(ROOT / "scripts/verify_mirror.py"),
                           str(folder), key], capture_output=True, text=True, check=False)


def test_a_true_copy_verifies_with_the_app_and_the_script(site, copy):
    app, _ = site
    result = run(app, "verify-mirror", str(copy))
    assert result.exit_code == 0 and result.output.startswith("OK:")
    assert verify_script(copy, key_of(app)).returncode == 0
    saved = copy.parent / "key.json"  # the saved answer of /api/v1/mirror/key
    with app.test_client() as client:
        saved.write_bytes(client.get("/api/v1/mirror/key").get_data())
    assert verify_script(copy, str(saved)).stdout.startswith("OK:")
    other = verify_script(copy, "A" * 43 + "=")  # another key: nothing is vouched for
    assert other.returncode == 1 and "names key" in other.stdout
    data = json.loads((copy / "mirror.json").read_text())
    assert data["base_path"] == BASE and re.fullmatch(r"\d{4}-\d\d-\d\d", data["built"])
    assert data["files"]["en/index.html"]["size"] == (copy / "en/index.html").stat().st_size


@pytest.mark.parametrize("damage, said", [
    ("byte", "changed: en/found/index.html"),
    ("missing", "missing: static/js/map.js"),
    ("extra", "not in the mirror: en/extra.html"),
    ("manifest", "signature in mirror.json does not match"),
])
def test_a_damaged_copy_fails_with_what_is_wrong(site, copy, damage, said):
    app, _ = site
    if damage == "byte":
        page = copy / "en/found/index.html"
        data = bytearray(page.read_bytes())
        data[len(data) // 2] ^= 1
        page.write_bytes(bytes(data))
    elif damage == "missing":
        (copy / "static/js/map.js").unlink()
    elif damage == "extra":
        (copy / "en/extra.html").write_text("hello")
    else:
        manifest = json.loads((copy / "mirror.json").read_text())
        manifest["base_path"] = "/elsewhere/"
        (copy / "mirror.json").write_text(json.dumps(manifest))
    result = run(app, "verify-mirror", str(copy))
    assert result.exit_code == 1 and said in result.output
    script = verify_script(copy, key_of(app))
    assert script.returncode == 1 and said in script.stdout


def test_the_zip_beside_it_holds_the_mirror(built):
    import zipfile

    with zipfile.ZipFile(built.with_name(built.name + ".zip")) as archive:
        names = set(archive.namelist())
    assert f"{built.name}/mirror.json" in names and f"{built.name}/en/found/index.html" in names


def test_the_primary_shows_the_key(site):
    app, _ = site
    with app.test_client() as client:
        answer = client.get("/api/v1/mirror/key").get_json()
        page = client.get("/en/").get_data(as_text=True)
    assert answer["algorithm"] == "Ed25519" and answer["key_id"] in page
    assert "/api/v1/mirror/key" in page
