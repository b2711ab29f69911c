"""Organizers: sign-in, accounts, the second factor, and the guard over their area.

`guard` protects every page under /<lang>/organizers/ (whichever feature
serves it); `accounts` owns the organizer, session and link rows; `audit`
appends what organizers did; `views` parses forms and renders.
"""

import click
from flask import Blueprint, Flask
from flask.cli import with_appcontext

bp = Blueprint("organizers", __name__, url_prefix="/<lang:lang>/organizers")


@click.command("create-admin")
@click.argument("username")
@with_appcontext
def create_admin_command(username: str) -> None:
    """Create an admin account, asking for its password."""
    from . import accounts
    from .views import PASSWORD_PROBLEMS, USERNAME

    if not USERNAME.fullmatch(username):
        raise click.ClickException("use 2 to 40 letters, digits, dots, dashes or underscores")
    password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if problem := accounts.password_problem(password):
        raise click.ClickException(str(PASSWORD_PROBLEMS[problem]))
    try:
        accounts.create_organizer(username, "admin", password, made_on="command line")
    except accounts.UsernameTaken:
        raise click.ClickException(f"{username} exists already") from None
    click.echo(f"admin {username} created")


def announce_setup_link(app: Flask) -> None:
    """With no admin yet, print a one-time link that makes the first one."""
    from ..web.links import public_url
    from . import accounts

    with app.test_request_context(base_url=app.config["PUBLIC_BASE_URL"]):
        if accounts.admin_exists():
            return
        token = accounts.make_link("setup", None)
        link = public_url("organizers.setup", lang=app.config["DEFAULT_LANGUAGE"], token=token)
    click.echo(f"\nNo SpotCheck admin exists yet. Open this link once to create one:\n"
               f"  {link}\n(or run: .venv/bin/flask --app app create-admin NAME). "
               "Links use SPOTCHECK_PUBLIC_BASE_URL, the address people reach the site at.\n",
               err=True)


def init_app(app: Flask) -> None:
    from . import views  # noqa: F401 (registers the routes on the blueprint)

    app.register_blueprint(bp)
    app.cli.add_command(create_admin_command)


def guard_app(app: Flask) -> None:
    """The sign-in guard, after every blueprint is registered, and the first-start link."""
    from .guard import guard, template_context

    app.before_request(guard)
    app.context_processor(template_context)
    if app.config["SETUP_LINK_ON_START"]:
        announce_setup_link(app)
