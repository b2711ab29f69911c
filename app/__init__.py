"""SpotCheck: hidden-camera checklists, anonymous reports and QR posters."""

import os
from pathlib import Path

from flask import Flask

from . import assets, config, db, errors, i18n, limits, organizers, report_store, security

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: configuration, database, languages, headers, blueprints."""
    # templates/ and static/ sit at the project's top level, beside app/.
    app = Flask(
        __name__,
        instance_path=os.environ.get("SPOTCHECK_INSTANCE_PATH", str(PROJECT_ROOT / "instance")),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=None,  # served by assets.py instead
    )
    config.load(app, test_config)
    # Smaller HTML: block tags leave no blank lines behind.
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    assets.init_app(app, PROJECT_ROOT / "static")
    db.init_app(app)
    report_store.init_app(app)
    limits.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)

    from . import checklists, exports, health, home, maps, posters, public_map, pwa, reports, review

    for blueprint in (home.bp, checklists.bp, reports.bp, pwa.bp, health.bp, organizers.bp,
                      review.bp, exports.bp, maps.bp, posters.bp):
        app.register_blueprint(blueprint)
    public_map.init_app(app)
    organizers.init_app(app)

    return app
