"""`pip install .`: the wheel carries everything the app reads and runs outside the checkout.

One build, as `python -m build` does it: the sdist from the source tree, then the
wheel from the sdist alone (no .mo files in it, as in a clean clone). The wheel is
installed into a fresh virtual environment that borrows this one's dependencies
through a .pth file (nothing is downloaded but the build backend), and the app is
run from a directory outside the source tree.
"""

import json
import os
import subprocess
import sys
import sysconfig
import tarfile
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("zh_Hans", "zh_Hant", "zh_Hant_HK")

pytestmark = pytest.mark.slow


def files_under(folder: Path) -> set[str]:
    return {
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
        cwd=out, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def wheel(dist) -> Path:
    (path,) = dist.glob("spotcheck-*.whl")
    return path


@pytest.fixture(scope="module")
def installed(tmp_path_factory, wheel) -> Path:
    """A fresh venv with only the wheel installed; dependencies come from this venv."""
    env = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    python = env / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
         "--no-deps", "--no-index", str(wheel)],
        check=True, timeout=120,
    )
    # Only now: pip saw an empty environment, and never this venv's editable spotcheck.
    site_packages = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    (Path(site_packages) / "borrowed-dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n"
    )
    return env


def run_outside(env: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items()
               if not k.startswith(("SPOTCHECK_", "PYTHON", "FLASK_"))}
    return subprocess.run(
        [str(env / "bin" / "python"), *args],
        cwd=cwd, env=environ, capture_output=True, text=True, timeout=120,
    )


def test_sdist_holds_what_the_wheel_is_built_from(dist):
    (sdist,) = dist.glob("spotcheck-*.tar.gz")
    with tarfile.open(sdist) as tar:
        names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    assert {"pyproject.toml", "hatch_build.py", "README.md", "app/__init__.py"} <= names
    assert {f"templates/{f}" for f in files_under(ROOT / "templates")} <= names
    assert {f"static/{f}" for f in files_under(ROOT / "static")} <= names
    for locale in LOCALES:
        assert f"app/translations/{locale}/LC_MESSAGES/messages.po" in names
    # Built catalogs stay out, so the wheel's come from the .po files.
    assert not [name for name in names if name.endswith(".mo")]


def test_wheel_carries_templates_static_content_migrations_and_catalogs(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())

    def under(prefix):
        return {name.removeprefix(prefix) for name in names if name.startswith(prefix)}

    assert under("app/templates/") == files_under(ROOT / "templates")
    assert under("app/static/") == files_under(ROOT / "static")
    assert under("app/migrations/") == files_under(ROOT / "app" / "migrations")
    assert under("app/content/") == files_under(ROOT / "app" / "content")
    for locale in LOCALES:
        assert f"app/translations/{locale}/LC_MESSAGES/messages.mo" in names
    # Only the package: no top-level templates/, tests or scripts of their own.
    assert {name.split("/")[0] for name in names} == {"app", "spotcheck-0.1.0.dist-info"}


def test_installed_wheel_lists_routes_outside_the_source_tree(installed, tmp_path):
    result = run_outside(installed, tmp_path, "-m", "flask", "--app", "app", "routes")
    assert result.returncode == 0, result.stderr
    assert "/<lang:lang>/check/<space>" in result.stdout
    # The default instance folder of an installed app is ./instance, here tmp_path.
    assert (tmp_path / "instance" / "spotcheck.sqlite3").is_file()


SERVE = textwrap.dedent("""
    import json
    import app
    from flask import url_for

    flask_app = app.create_app({"TESTING": True, "SETUP_LINK_ON_START": False})
    client = flask_app.test_client()
    with flask_app.test_request_context():
        css = url_for("static", filename="css/app.css")
    pages = {url: client.get(url) for url in
             ["/en/check/restroom", "/zh-hans/check/restroom", "/zh-hant/check/restroom", css]}
    print(json.dumps({
        "package": app.__file__,
        "folders": [flask_app.template_folder, flask_app.static_folder, flask_app.instance_path],
        "css": css,
        "pages": {url: [r.status_code, r.get_data().decode(), r.headers.get("Cache-Control")]
                  for url, r in pages.items()},
    }))
""")


def test_installed_wheel_serves_pages_in_every_language_and_static_files(installed, tmp_path,
                                                                          client):
    result = run_outside(installed, tmp_path, "-c", SERVE)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.splitlines()[-1])

    # Everything comes from the wheel, nothing from the checkout.
    assert Path(seen["package"]).is_relative_to(installed)
    template_folder, static_folder, instance_path = map(Path, seen["folders"])
    assert template_folder.is_relative_to(installed) and static_folder.is_relative_to(installed)
    assert instance_path == tmp_path / "instance"

    pages = seen["pages"]
    status, english, _ = pages["/en/check/restroom"]
    assert status == 200 and "Public toilet" in english
    status, simplified, _ = pages["/zh-hans/check/restroom"]
    assert status == 200 and "公共卫生间" in simplified and "Public toilet" not in simplified
    status, traditional, _ = pages["/zh-hant/check/restroom"]
    assert status == 200 and "公共廁所" in traditional

    # The page links the stylesheet by its content-hashed URL, which is served for a year.
    css = seen["css"]
    assert "?v=" in css and css in english
    status, body, cache_control = pages[css]
    # The very bytes the checkout's app serves for that URL (app/web/assets.py trims
    # our stylesheets: comments, indentation): the wheel holds the same static/css.
    served = client.get(css, headers={"Accept-Encoding": "identity"})
    assert served.status_code == 200, "the checkout serves another app.css than the wheel"
    assert status == 200 and body == served.get_data(as_text=True)
    assert "immutable" in cache_control
