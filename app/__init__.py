"""SpotCheck: hidden-camera checklists, anonymous reports and QR posters."""

import os
from pathlib import Path
from typing import Any

from flask import Flask

from . import (
    about,
    checklists,
    config,
    db,
    health,
    lens,
    map,
    mirror,
    notebook,
    offline,
    organizers,
    posters,
    replies,
    reports,
    review,
    takedown,
    timestamps,
)
from .web import assets, converters, errors, i18n, limits, links, mirroring, pagecache, security

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent


def resource_root() -> Path:
    """Where templates/ and static/ are: inside the package when it was installed
    from a wheel (the build puts them there), else beside app/ in the source tree
    (a checkout, or an editable install of one)."""
    return PACKAGE_DIR if (PACKAGE_DIR / "templates").is_dir() else PROJECT_ROOT


def default_instance_path(resources: Path) -> str:
    """$SPOTCHECK_INSTANCE_PATH; else instance/ beside app/ in the source tree, or
    ./instance in the current directory when installed (never inside site-packages)."""
    if path := os.environ.get("SPOTCHECK_INSTANCE_PATH"):
        return os.path.abspath(path)
    if resources == PROJECT_ROOT:
        return str(PROJECT_ROOT / "instance")
    return os.path.abspath("instance")


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, database, languages, headers, features."""
    # templates/ and static/ sit at the project's top level, beside app/ (or,
    # installed from a wheel, inside it: see resource_root).
    resources = resource_root()
    os.umask(0o077)  # the database, keys and backups: files only the server's user can read
    app = Flask(
        __name__,
        instance_path=default_instance_path(resources),
        instance_relative_config=True,
        template_folder=str(resources / "templates"),
        static_folder=None,  # served by web/assets.py instead
    )
    config.load(app, test_config)
    # Smaller HTML: block tags leave no blank lines behind.
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    converters.init_app(app)  # before any route is added
    links.init_app(app)  # first before_request hook: routing redirects stay relative
    assets.init_app(app, resources / "static")
    db.init_app(app)
    limits.init_app(app)
    pagecache.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    mirroring.init_app(app)  # reports from mirrors, and pages rendered for them

    # One blueprint (or two, where endpoint names are older than the package) per
    # feature, in the order their routes were first registered.
    for feature in (checklists, reports, offline, health, organizers, review, map, posters,
                    lens, timestamps, notebook, takedown, mirror, replies, about):
        feature.init_app(app)
    # After every blueprint: the guard covers /<lang>/organizers/ whoever serves it.
    organizers.guard_app(app)
    return app
