"""SpotCheck: hidden-camera checklists, anonymous reports and QR posters."""

import os
from pathlib import Path

from flask import Flask

from . import checklists, config, db, health, map, offline, organizers, posters, reports, review
from .web import assets, errors, i18n, limits, security

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: configuration, database, languages, headers, features."""
    # templates/ and static/ sit at the project's top level, beside app/.
    app = Flask(
        __name__,
        instance_path=os.environ.get("SPOTCHECK_INSTANCE_PATH", str(PROJECT_ROOT / "instance")),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=None,  # served by web/assets.py instead
    )
    config.load(app, test_config)
    # Smaller HTML: block tags leave no blank lines behind.
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    assets.init_app(app, PROJECT_ROOT / "static")
    db.init_app(app)
    limits.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)

    # One blueprint (or two, where endpoint names are older than the package) per
    # feature, in the order their routes were first registered.
    for feature in (checklists, reports, offline, health, organizers, review, map, posters):
        feature.init_app(app)
    # After every blueprint: the guard covers /<lang>/organizers/ whoever serves it.
    organizers.guard_app(app)
    return app
