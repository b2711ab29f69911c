"""The poster builder, the downloads, the short links and their scan counts.

A volunteer chooses where the code leads, the poster's languages, its paper and
its headline, sees a live preview, and makes it. Her private label ("where
will it go") never travels in a URL, which nginx's micro-cache would keep and
serve to anyone asking it, and browser history would keep too (issue 28, item
9): with htmx the preview is a GET without the label (it is never printed, so
the preview does not need it); without JS, "Update the preview" POSTs the form
and the page comes back, label and all, `no-store`. A GET that still brings a
label (an old bookmark) is answered `no-store` too. A poster made gets a short
code and a private management link, shown once. /p/<CODE> counts one scan
for the day, a number and nothing else (at most one per client a day), and
sends the phone to the poster's page in the poster's language, every time;
typed by hand, O for 0 and I or L for 1 still find it (store.normal_code).
"""

import sqlite3
from typing import Any

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from ..content.posters import DESTINATIONS, FORMATS, HEADLINES, LANGUAGE_SETS
from ..vocab import today
from ..web import limits, qr
from ..web.converters import positive_int
from ..web.htmx import render
from ..web.i18n import LANGUAGES, current_language, negotiate
from ..web.links import public_url
from ..web.policy import NO_STORE, add_policy, no_store
from ..web.security import same_origin_post
from . import bp
from . import render as poster_render
from . import store as poster_store

LABEL_LIMIT = 120


def choice_from(values: MultiDict[str, str]
                ) -> tuple[poster_store.PosterChoice, dict[str, LazyString]]:
    """The builder's choices, with defaults for what is missing and messages for what is wrong."""
    errors: dict[str, LazyString] = {}
    destination = values.get("destination") or "home"
    if destination not in DESTINATIONS:
        errors["destination"], destination = _l("Choose where the code leads."), "home"
    # By default, the language the builder is used in (each is a language set).
    languages = values.get("languages") or current_language().code
    if languages not in LANGUAGE_SETS:
        errors["languages"] = _l("Choose the poster’s language.")
        languages = current_language().code
    paper = values.get("format") or "a4"
    if paper not in FORMATS:
        errors["format"], paper = _l("Choose a paper size."), "a4"
    headline = values.get("headline") or DESTINATIONS[destination].headline
    if headline not in HEADLINES:
        errors["headline"], headline = _l("Choose a headline."), DESTINATIONS[destination].headline
    label = " ".join((values.get("label") or "").split()) or None
    if label and len(label) > LABEL_LIMIT:
        errors["label"] = _l("Please keep this under %(limit)s characters (now %(count)s).",
                             limit=LABEL_LIMIT, count=len(label))
    return poster_store.PosterChoice(destination, languages, paper, headline, label), errors


def builder_page(choice: poster_store.PosterChoice, errors: dict[str, LazyString],
                 status: int = 200) -> Response:
    return render(
        "posters/builder.html", "posters/_preview.html", status=status, choice=choice,
        errors=errors, problem=poster_render.address_problem(),
        preview=poster_render.sheet(vars(choice), poster_render.SAMPLE_CODE, sample=True),
        destinations=DESTINATIONS, formats_labels={k: str(f.label) for k, f in FORMATS.items()},
        headlines=headlines_for(choice.languages), limit=LABEL_LIMIT,
        language_set_names={key: " + ".join(LANGUAGES[code].name for code in codes)
                            for key, codes in LANGUAGE_SETS.items()},
    )


def headlines_for(languages: str) -> dict[str, list[str]]:
    """Each headline in the poster's languages, so the volunteer reads what will print."""
    return {key: [part.headline for part in poster_render.wording(languages, key)]
            for key in HEADLINES}


@bp.get("/<lang:lang>/posters/")
def builder() -> Response:
    """Choose and preview a poster; the preview follows the choices."""
    if "label" in request.args:  # never kept by a cache, though no form of ours sends it
        add_policy(NO_STORE)
    choice, errors = choice_from(request.args)
    return builder_page(choice, errors, 400 if errors else 200)


@bp.post("/<lang:lang>/posters/preview")
@no_store
def preview() -> Response:
    """The builder again with the preview of these choices, for a browser without JS:
    posted, so that the private label stays out of the address; nothing is made."""
    choice, errors = choice_from(request.form)
    return builder_page(choice, errors, 400 if errors else 200)


@bp.post("/<lang:lang>/posters/")
@no_store
def make() -> Response | str:
    """Make the poster: a new code and a management link, shown only now."""
    choice, errors = choice_from(request.form)
    problem = poster_render.address_problem()
    if not same_origin_post():
        abort(403)
    if errors or problem:
        return builder_page(choice, errors, 400)
    if not limits.take("posters", current_app.config["POSTERS_PER_CLIENT_PER_HOUR"]):
        abort(429)
    poster, token = poster_store.create(choice, today())
    return render_template("posters/made.html", poster=poster,
                  manage_url=manage_url(token), **downloads(poster))


def manage_url(token: str) -> str:
    return public_url("posters.manage", token=token)


def downloads(poster: sqlite3.Row) -> dict[str, Any]:
    code = poster["code"]
    return {
        "short_url": poster_render.printed_url(code),
        "links": {
            "print": url_for("posters.print_view", code=code),
            "pdf": url_for("posters.download_pdf", code=code),
            "svg": url_for("posters.download_qr", code=code, kind="svg"),
            "png": url_for("posters.download_qr", code=code, kind="png"),
        },
    }


def poster_or_404(code: str) -> sqlite3.Row:
    normal = poster_store.normal_code(code)
    poster = poster_store.by_code(normal) if normal else None
    if poster is None:
        abort(404)
    return poster


@bp.get("/<lang:lang>/posters/<code>/print")
def print_view(code: str) -> str:
    """The poster alone, sized for paper, with a Print button."""
    poster = poster_or_404(code)
    return poster_render.print_page(poster, poster["code"], **downloads(poster))


@bp.get("/<lang:lang>/posters/<code>/poster.pdf")
def download_pdf(code: str) -> Response:
    poster = poster_or_404(code)
    response = Response(poster_render.pdf(poster, poster["code"]), mimetype="application/pdf")
    return attachment(response, f"spotcheck-{poster['code']}-{poster['format']}.pdf")


@bp.get("/<lang:lang>/posters/<code>/qr.<any(svg, png):kind>")
def download_qr(code: str, kind: str) -> Response:
    """The QR code alone, for people making their own design."""
    poster = poster_or_404(code)
    image = qr.make(poster_render.scan_url(poster["code"]))
    if kind == "svg":
        svg = qr.svg(image, poster_render.scan_url(poster["code"]))
        response = Response(f'<?xml version="1.0" encoding="utf-8"?>\n{svg}\n',
                            mimetype="image/svg+xml")
    else:
        response = Response(qr.png(image), mimetype="image/png")
    return attachment(response, f"spotcheck-{poster['code']}-qr.{kind}")


def attachment(response: Response, name: str) -> Response:
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["PUBLIC_PAGE_MAX_AGE"]
    return response


@bp.get("/<lang:lang>/posters/manage/<token>")
@no_store
def manage(token: str) -> str:
    """What the poster's maker sees with her private link: scans per day."""
    poster = poster_store.by_token(token) if len(token) <= 64 else None
    if poster is None:
        abort(404)
    return render_template("posters/manage.html", poster=poster, **scan_chart(poster),
                           **downloads(poster))


def scan_chart(poster: sqlite3.Row) -> dict[str, Any]:
    days = poster_store.daily_scans(poster["id"], today())
    return {"days": days, "tallest": max([n for _, n in days] + [1]),
            "total": poster_store.total_scans(poster["id"])}


@bp.get("/p/<code>")
@bp.get("/P/<code>")
@no_store
def scan(code: str) -> Response:
    """A poster's QR code: one more scan today, then the poster's page."""
    poster = poster_or_404(code)
    # HEAD asks what is there; it is not a scan. One phone reloading, or a
    # script asking again and again, counts once a day per poster.
    if request.method == "GET" and limits.first_today("scan", f"poster {poster['id']}"):
        poster_store.count_scan(poster["id"], today())
    languages = LANGUAGE_SETS[poster["languages"]]
    # A bilingual poster sends each phone to the one of its languages it prefers.
    preferred = negotiate(request.headers.get("Accept-Language"), languages[0])
    lang = preferred if preferred in languages else languages[0]
    destination = DESTINATIONS[poster["destination"]]
    response = redirect(url_for(destination.endpoint, lang=lang, **destination.args), 302)
    response.vary.add("Accept-Language")
    return response


# -- organizers -----------------------------------------------------------------

PAGE_SIZE = 50


@bp.get("/<lang:lang>/organizers/posters")
def organizer_list() -> str:
    """Every poster, newest first, with its scans (the sign-in guard covers this path)."""
    before = request.args.get("before", type=positive_int)
    posters = poster_store.all_posters(today(), before, PAGE_SIZE + 1)
    more = posters[PAGE_SIZE - 1]["id"] if len(posters) > PAGE_SIZE else None
    return render_template("posters/organizer_list.html", posters=posters[:PAGE_SIZE],
                           more=more, destinations=DESTINATIONS, formats=FORMATS)


@bp.get("/<lang:lang>/organizers/posters/<code>")
def organizer_poster(code: str) -> str:
    poster = poster_or_404(code)
    return render_template("posters/manage.html", poster=poster, for_organizers=True,
                           **scan_chart(poster), **downloads(poster))
