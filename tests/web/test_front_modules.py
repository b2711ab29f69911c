"""The front end as modules: each page loads only its own scripts, and every import resolves.

static/js/*.js are ES modules (but for the two classic workers and map-choice.js);
templates name their entry points with module_scripts(), and app/web/assets.py
rewrites each `./name.js` import to the file's hashed URL.
"""

import re
import shutil
import subprocess

import pytest

from app.web.assets import IMPORT, module_graph, static_version
from helpers import ROOT, new_report
from support.pages import script_urls

JS = ROOT / "static" / "js"
# Scripts that are not modules: run as classic scripts, so they may import nothing.
CLASSIC = {"lens-worker.js", "proof-worker.js", "shrink-worker.js", "map-choice.js"}
HTMX = "htmx-2.0.11.min.js"
LEAFLET = "leaflet.js"
MAP_MODULES = {"map.js", "map-question.js", "picker.js", "tiles.js", "places.js", "gcj02.js",
               "review-map.js", LEAFLET}
REPORT_MODULES = {"new-report.js", "outbox.js", "proof.js", "copy.js", "shrink.js"}
EVERY_PAGE = {"common.js", "storage.js"}


def loaded(client, url: str) -> set[str]:
    """File names of every script the page loads at once: named, and imported statically."""
    with client.get(url) as response:
        assert response.status_code == 200, url
        urls = script_urls(response.get_data(as_text=True))
    names = set()
    for src in urls:
        assert src.startswith("/static/") and "?v=" in src, src
        filename = src.removeprefix("/static/").split("?")[0]
        names.add(filename.rsplit("/", 1)[1])
        if filename.startswith("js/") and filename.rsplit("/", 1)[1] not in CLASSIC:
            with client.application.app_context():
                names |= {m.rsplit("/", 1)[1] for m in module_graph(filename)}
    return names


PUBLIC_PAGES = {
    "/en/": EVERY_PAGE,
    "/en/check/": EVERY_PAGE,
    "/en/check/hotel-room": EVERY_PAGE | {"checklist.js"},
    "/en/found": EVERY_PAGE | {"region.js"},
    "/en/lens": EVERY_PAGE | {"lens.js"},
    "/en/notebook": EVERY_PAGE | {"notebook.js", "notebook-lock.js", "notebook-store.js",
                                   "storage.js"},
    "/en/notebook/sheet": EVERY_PAGE | {"print.js"},
    "/en/offline": EVERY_PAGE,
    "/en/report": EVERY_PAGE | REPORT_MODULES | {HTMX},
    # The offline shell sends through the outbox only: no htmx to precache.
    "/en/offline/report": EVERY_PAGE | REPORT_MODULES,
    "/en/report/status": EVERY_PAGE | {"outbox.js", "proof.js", "shrink.js", HTMX},
    "/en/map?view=list": EVERY_PAGE,
    "/en/map": EVERY_PAGE | {"map-choice.js", LEAFLET, HTMX, "map.js", "map-question.js",
                             "tiles.js", "places.js"},
    # The picker is a page of its own, in a frame of the report form.
    "/en/map?view=pick": {LEAFLET, "picker.js", "tiles.js", "places.js"},
    "/en/posters/": EVERY_PAGE | {HTMX},
    "/en/organizers/login": EVERY_PAGE,
}


@pytest.mark.parametrize(("url", "expected"), PUBLIC_PAGES.items(), ids=list(PUBLIC_PAGES))
def test_each_page_loads_its_own_scripts_and_nothing_else(client, url, expected):
    assert loaded(client, url) == expected


def test_the_home_page_loads_no_map_report_or_outbox_code(client):
    scripts = loaded(client, "/en/")
    assert not scripts & (MAP_MODULES | REPORT_MODULES | {HTMX, "checklist.js"})
    assert not loaded(client, "/en/check/restroom") & (MAP_MODULES | REPORT_MODULES | {HTMX})


def test_organizer_pages_load_their_own_scripts(app, admin):
    new_report(admin, latitude="22.2855", longitude="114.1577")
    assert loaded(admin, "/en/organizers/") == EVERY_PAGE | {HTMX, "queue.js"}
    assert loaded(admin, "/en/organizers/reports/1") == EVERY_PAGE | {
        HTMX, LEAFLET, "review-map.js", "tiles.js"}
    assert loaded(admin, "/en/organizers/posters") == EVERY_PAGE | {"queue.js"}
    assert loaded(admin, "/en/organizers/stats") == EVERY_PAGE


def imports_in(source: str) -> list[str]:
    """Every module specifier in a script, however written."""
    return re.findall(r"""\b(?:from|import)\s*\(?\s*["']([^"']+)["']""", source)


@pytest.mark.parametrize("path", sorted(JS.glob("*.js")), ids=lambda p: p.name)
def test_every_import_resolves_to_a_file_beside_it(path):
    source = path.read_text()
    specifiers = imports_in(source)
    if path.name in CLASSIC:
        assert specifiers == [] and "export " not in source
    for specifier in specifiers:
        # The one form assets.py versions: a file in the same folder.
        assert re.fullmatch(r"\./[\w-]+\.js", specifier), (path.name, specifier)
        assert (JS / specifier[2:]).is_file(), (path.name, specifier)
    assert len(IMPORT.findall(source.encode())) == len(specifiers), path.name
    # Modules talk through import and export, not window globals.
    assert not re.search(r"window\.SpotCheck|document\.currentScript", source), path.name
    # assets.py leaves out lines that are only a // comment, and every line's
    # indentation: safe only if no string runs over several lines.
    for number, line in enumerate(source.splitlines(), 1):
        assert line.count("`") % 2 == 0, f"{path.name}:{number}: a multi-line template string"
        assert not line.endswith("\\"), f"{path.name}:{number}: a string continued on the next line"


def test_storage_is_touched_by_storage_js_alone():
    users = {p.name for p in JS.glob("*.js") if "localStorage" in p.read_text()}
    # map-choice.js must run before the first paint, which no module can.
    assert users == {"storage.js", "map-choice.js"}
    assert '"spotcheck.map-tiles"' in (JS / "map-choice.js").read_text()
    storage = (JS / "storage.js").read_text()
    assert 'const PREFIX = "spotcheck.";' in storage
    assert "map-tiles" in (JS / "map.js").read_text()


def test_served_modules_import_the_hashed_urls_the_pages_name(app, client):
    with app.test_request_context():
        for path in sorted(JS.glob("*.js")):
            body = client.get(f"/static/js/{path.name}").get_data(as_text=True)
            for name, version in re.findall(r"""["']\./([\w-]+\.js)\?v=(\w+)["']""", body):
                assert version == static_version(f"js/{name}"), (path.name, name)
            assert len(re.findall(r"""["']\./[\w-]+\.js\?v=""", body)) == len(imports_in(
                path.read_text())), path.name


def test_a_changed_import_changes_the_importers_url(app, tmp_path):
    folder = tmp_path / "static"
    (folder / "js").mkdir(parents=True)
    (folder / "js" / "a.js").write_text('import { b } from "./b.js";\nexport const a = b;\n')
    (folder / "js" / "b.js").write_text("export const b = 1;\n")
    app.static_folder = str(folder)
    with app.test_request_context():
        before = static_version("js/a.js")
        (folder / "js" / "b.js").write_text("export const b = 22;\n")
        assert static_version("js/a.js") != before
        (folder / "js" / "a.js").write_text('import "./missing.js";\n')
        with pytest.raises(FileNotFoundError):
            static_version("js/a.js")


def test_the_precache_holds_every_module_a_precached_page_may_load(app, client):
    from app.offline.views import precache_urls

    with app.test_request_context():
        precached = precache_urls("en")
    for page in ("/en/", "/en/check/restroom", "/en/found", "/en/lens", "/en/offline",
                 "/en/offline/report"):
        assert page in precached
        for src in script_urls(client.get(page).get_data(as_text=True)):
            assert src in precached, (page, src)
            filename = src.removeprefix("/static/").split("?")[0]
            with app.test_request_context():
                for module in module_graph(filename, dynamic=True):
                    assert f"/static/{module}?v={static_version(module)}" in precached, module


def test_stylesheets_are_served_without_their_comments(client):
    for path in sorted((ROOT / "static" / "css").glob("*.css")):
        source = path.read_text()
        # assets.py drops /* */ comments: safe only if no string or url() holds "/*".
        assert not re.search(r"""["'(][^"')\n]*/\*""", source), path.name
        served = client.get(f"/static/css/{path.name}").get_data(as_text=True)
        assert "/*" not in served and "*/" not in served, path.name
        rules = lambda css: re.sub(r"\s+", "", re.sub(r"/\*.*?\*/", "", css, flags=re.S))  # noqa: E731
        assert rules(served) == rules(source), path.name


def test_scripts_and_stylesheets_are_served_without_their_indentation(client):
    for path in sorted((ROOT / "static" / "css").glob("*.css")) + sorted(JS.glob("*.js")):
        served = client.get(f"/static/{path.parent.name}/{path.name}").get_data(as_text=True)
        assert not re.search(r"^[ \t]", served, re.M), path.name
        # Only the indentation went: the same tokens, on the same lines as before.
        assert len(served.splitlines()) <= len(path.read_text().splitlines()), path.name
        # Nor a line break after ";", "{" or "," (in a script, on a line with no comment).
        for line in served.splitlines()[:-1]:
            assert not line.endswith((";", "{", ",")) or "//" in line or "/*" in line, (
                path.name, line)


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
def test_every_script_as_served_is_still_valid_javascript(client, tmp_path):
    # assets.py leaves out comments and indentation: what it sends must still parse.
    for path in sorted(JS.glob("*.js")):
        served = tmp_path / f"{path.stem}.mjs"
        served.write_bytes(client.get(f"/static/js/{path.name}").get_data())
        checked = subprocess.run(["node", "--check", str(served)], capture_output=True, text=True,
                                 timeout=30, check=False)
        assert checked.returncode == 0, (path.name, checked.stderr)
    # And the comments after code went, where no quote before them was left open.
    lens = client.get("/static/js/lens.js").get_data(as_text=True)
    assert "// index into ZOOMS" not in lens and "let zoom = 0;" in lens
