"""The front door: `/` picks a language, `/<lang>/` offers the three big actions."""

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from .i18n import negotiate

bp = Blueprint("home", __name__)


@bp.get("/")
def choose_language():
    """Send the visitor to the home page in the language her browser asks for."""
    code = negotiate(request.headers.get("Accept-Language"), current_app.config["DEFAULT_LANGUAGE"])
    response = redirect(url_for("home.index", lang=code), code=302)
    response.headers["Vary"] = "Accept-Language"
    response.cache_control.no_cache = True
    return response


@bp.get("/<lang:lang>/")
def index():
    """Home: check a space, I found something, report a place."""
    return render_template("home/index.html")
