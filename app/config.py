"""Configuration: defaults, then instance/config.py, then SPOTCHECK_* variables.

Later sources win. Environment values are parsed as JSON where they can be
(`SPOTCHECK_PUBLIC_PAGE_MAX_AGE=60` is an int), otherwise kept as strings.
"""

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask

DEFAULTS = {
    # None means "spotcheck.sqlite3 in the instance folder".
    "DATABASE": None,
    "MIGRATE_ON_START": True,
    # The language for visitors whose browser asks for none we have.
    "DEFAULT_LANGUAGE": "en",
    # Where the quick-exit button goes: an ordinary, neutral page that works in
    # mainland China, Hong Kong and Taiwan alike.
    "QUICK_EXIT_URL": "https://www.bing.com/search?q=weather",
    # Public pages may be kept this long by browsers and caches (seconds).
    "PUBLIC_PAGE_MAX_AGE": 300,
    # The largest request body we read at all: a 10 MB photo plus the form.
    "MAX_CONTENT_LENGTH": 12 * 1024 * 1024,
    # How many reverse proxies stand in front of gunicorn and set X-Forwarded-For:
    # 0 when gunicorn faces the internet, 1 behind the shipped nginx. The address
    # is then only an HMAC input for rate limits (app/web/limits.py).
    "TRUSTED_PROXIES": 0,
    # Rate-limit counts shared by all workers; None means limits.sqlite3 in the
    # instance folder (a separate file: nothing in it is worth backing up).
    "LIMITS_DATABASE": None,
    # Reports: per visitor and site-wide per hour, counted once per server;
    # 0 switches a limit off. Wrong receipt codes per visitor per hour.
    "REPORTS_PER_CLIENT_PER_HOUR": 5,
    "REPORTS_PER_HOUR": 500,
    "RECEIPT_TRIES_PER_HOUR": 10,
    # Responses from places (app/replies/): per visitor and site-wide per hour, as
    # for reports; above RESPONSES_PER_HOUR each needs a proof of work or is held.
    "RESPONSES_PER_CLIENT_PER_HOUR": 3,
    "RESPONSES_PER_HOUR": 100,
    # Answers a reporter may add to one report's conversation per day (0: no limit).
    "REPLIES_PER_REPORT_PER_DAY": 10,
    # Above REPORTS_PER_HOUR site-wide, each report needs a proof of work of this
    # many zero bits (about a second on a mid-range phone), one more bit each time
    # the rate doubles (app/reports/proof.py).
    "POW_BITS": 17,
    # Posters one visitor may make per hour (0: no limit).
    "POSTERS_PER_CLIENT_PER_HOUR": 30,
    # Signed timestamps one visitor may ask for per hour (0: no limit): one per file
    # she adds to her evidence notebook (app/timestamps/).
    "TIMESTAMPS_PER_CLIENT_PER_HOUR": 100,
    # Poster QR codes hold HTTPS://HOST/P/CODE in capitals: QR's alphanumeric
    # mode, so a smaller code with bigger modules (app/posters/render.py).
    "POSTER_QR_CAPITALS": True,
    # Unpublished reports and their photos are deleted after this many days.
    "REPORT_RETENTION_DAYS": 90,
    # Reviewed reports (published, rejected, duplicate) lose their private parts
    # (description, photo, messages, exact place) this many days after review;
    # the public copy stays (app/reports/retention.py).
    "PRIVATE_RETENTION_DAYS": 30,
    "PURGE_ON_START": True,
    # Organizer passwords: scrypt cost (2^17 = 128 MiB per check).
    "PASSWORD_SCRYPT_N": 2**17,
    # With no admin yet, print a one-time setup link at start.
    "SETUP_LINK_ON_START": True,
    # How people reach this site; used in links printed or exported, never
    # taken from the request (a forged Host header must not end up in them).
    # None: the address the server listens on (SPOTCHECK_BIND), for trying it out.
    "PUBLIC_BASE_URL": None,
    # Mirrors (app/web/mirroring.py, docs/deploy.md): origins whose pages may send
    # reports here across origins ("https://a.example,https://b.example"); other
    # SpotCheck instances' addresses a mirror's page sends to when this one does
    # not answer; and the mirrors' addresses, listed on /<lang>/mirrors.
    "MIRROR_ORIGINS": (),
    "REPORT_ENDPOINTS": (),
    "MIRRORS": (),
    # Public locations are snapped to a grid of this many metres (docs/privacy.md, promise 6).
    "LOCATION_GRID_METRES": 200,
    # The public map's background tiles: the one thing any page loads from
    # another host, on the map page only (docs/privacy.md, promise 2). The page tells
    # visitors this host sees their address. {s} subdomains are allowed.
    "MAP_TILE_URL": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "MAP_TILE_ATTRIBUTION": '&copy; <a href="https://www.openstreetmap.org/copyright">'
                            "OpenStreetMap</a> contributors",
    "MAP_TILE_MAX_ZOOM": 19,
    # "gcj02" for tile providers that draw mainland China in GCJ-02 (AMap,
    # Tencent): points are shifted for display only; stored ones stay WGS-84.
    "MAP_COORDINATES": "wgs84",
    # Where the map opens: latitude, longitude, zoom.
    "MAP_START": [30.0, 113.0, 4],
    # Browsers and caches may keep the API's description (openapi.json) this long
    # (seconds). The map's answers and its page are kept only to be revalidated
    # (no-cache, with an ETag), so a changed verification level shows at once.
    "MAP_API_MAX_AGE": 60,
    # Send Strict-Transport-Security on HTTPS requests.
    "HSTS_SECONDS": 63072000,
    # Brotli or gzip for text responses, cached per encoding by Flask-Compress.
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    "COMPRESS_ALGORITHM_STREAMING": ["br", "gzip"],
    "COMPRESS_BR_LEVEL": 5,
    "COMPRESS_MIMETYPES": [
        "text/html",
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/geo+json",
        "application/manifest+json",
        "image/svg+xml",
    ],
    # Flask-Babel: catalogs live in app/translations/.
    "BABEL_DEFAULT_LOCALE": "en",
}

SECRET_KEY_FILE = "secret_key"  # noqa: S105 (a file name, not a secret)


def load(app: Flask, test_config: Mapping[str, Any] | None = None) -> None:
    """Fill app.config from every source, in order."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("SPOTCHECK")
    if test_config:
        app.config.from_mapping(test_config)

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config["DATABASE"]:
        app.config["DATABASE"] = str(Path(app.instance_path) / "spotcheck.sqlite3")
    if not app.config["PUBLIC_BASE_URL"]:
        app.config["PUBLIC_BASE_URL"] = listening_address()
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_or_create_secret_key(Path(app.instance_path))
    for name in LIST_SETTINGS:
        app.config[name] = as_list(app.config[name])
    if problems := config_problems(app.config):
        # At start, in words an operator can act on, not at the first request.
        raise RuntimeError("SpotCheck's settings need fixing:\n  " + "\n  ".join(problems))
    # As browsers send them in Origin, so that the headers are compared as they come.
    app.config["MIRROR_ORIGINS"] = tuple(browser_origin(v) for v in app.config["MIRROR_ORIGINS"])


def listening_address() -> str:
    """http://HOST:PORT that gunicorn binds to (scripts/gunicorn.conf.py reads the same)."""
    bind = os.environ.get("SPOTCHECK_BIND", "127.0.0.1:8000").split(",")[0].strip()
    host, _, port = bind.rpartition(":") if ":" in bind else (bind, "", "8000")
    if host in ("", "0.0.0.0", "[::]", "::"):  # noqa: S104 (naming, not binding)
        host = "127.0.0.1"
    return f"http://{host}:{port}"


LIST_SETTINGS = ("MIRROR_ORIGINS", "REPORT_ENDPOINTS", "MIRRORS")
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def as_list(value: Any) -> tuple[str, ...]:
    """A setting of several addresses: a JSON list, or one string, commas or spaces between."""
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    if not isinstance(value, (list, tuple)):
        return (str(value),)  # refused below, by name
    return tuple(str(item).strip() for item in value if str(item).strip())


def browser_origin(url: str) -> str:
    """The origin of `url` as a browser writes it in an Origin header: scheme and host in
    lower case, no default port, nothing after it. https://Mirror.example:443/ gives
    https://mirror.example; "" for what is not an address."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    host = parts.hostname or ""
    if ":" in host:  # IPv6, bracketed again
        host = f"[{host}]"
    if port is None or port == {"https": 443, "http": 80}.get(parts.scheme.lower()):
        return f"{parts.scheme.lower()}://{host}"
    return f"{parts.scheme.lower()}://{host}:{port}"


def address_problem(value: str, *, origin: bool) -> str | None:
    """Why `value` is not an https address (http on this machine only, for trying it out),
    or, with `origin`, not an origin (scheme://host[:port], nothing after it)."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError:
        return "is not an address"
    if not parts.hostname or parts.username or parts.password:
        return "has no host name"
    if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in LOOPBACK):
        return "must start with https://"
    if parts.query or parts.fragment or (origin and parts.path not in ("", "/")):
        return "must be scheme://host[:port] only" if origin else "must have no ? or # part"
    return None


def config_problems(config: Mapping[str, Any]) -> list[str]:
    """What is wrong with the settings, each naming the variable to change."""
    problems = []
    examples = {"MIRROR_ORIGINS": ("https://mirror.example", True),
                "REPORT_ENDPOINTS": ("https://other-spotcheck.example", False),
                "MIRRORS": ("https://mirror.example/spotcheck/", False)}
    for name, (example, origin) in examples.items():
        for value in as_list(config.get(name, ())):
            if why := address_problem(value, origin=origin):
                problems.append(f"SPOTCHECK_{name}: {value!r} {why} (e.g. {example}; "
                                "several are separated by commas)")
    base = urlsplit(str(config["PUBLIC_BASE_URL"]))
    if base.scheme not in ("http", "https") or not base.hostname or base.query or base.fragment:
        problems.append("SPOTCHECK_PUBLIC_BASE_URL must be an address like "
                        "https://spotcheck.example.org (no query or #part), not "
                        f"{config['PUBLIC_BASE_URL']!r}")
    tiles = urlsplit(str(config["MAP_TILE_URL"]))
    if tiles.scheme != "https" or not tiles.hostname or not all(
            part in config["MAP_TILE_URL"] for part in ("{z}", "{x}", "{y}")):
        problems.append("SPOTCHECK_MAP_TILE_URL must be an https:// address with {z}, {x} and "
                        f"{{y}} in it, not {config['MAP_TILE_URL']!r}")
    if config["MAP_COORDINATES"] not in ("wgs84", "gcj02"):
        problems.append("SPOTCHECK_MAP_COORDINATES must be wgs84 or gcj02")
    days = config["PRIVATE_RETENTION_DAYS"]
    # bool is an int to Python; `true` in the environment must not mean one day.
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        problems.append("SPOTCHECK_PRIVATE_RETENTION_DAYS must be a whole number of days, "
                        f"1 or more, not {days!r}")
    if len(str(config["SECRET_KEY"])) < 32:
        problems.append("SPOTCHECK_SECRET_KEY is too short: use at least 32 random characters "
                        "(or unset it, and one is made in the instance folder)")
    return problems


def write_once(path: Path, data: bytes) -> None:
    """Put `data` at `path` (mode 0600) unless something is there already.

    Several server workers may start at once: each writes its own temporary
    file and links it into place, and os.link fails for all but the first,
    so every worker ends up with the same file, whole or not at all.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)


def load_or_create_secret_key(instance: Path) -> str:
    """Read the instance's secret key, making one on the very first start (write_once)."""
    path = instance / SECRET_KEY_FILE
    if not path.exists():
        write_once(path, secrets.token_hex(32).encode())
    key = path.read_text().strip()
    if len(key) < 32:
        raise RuntimeError(f"{path} holds no usable secret key; delete it to make a new one")
    return key
