"""Public pages per second: nginx serving files, gunicorn alone, nginx's micro-cache.

    .venv/bin/python bench/throughput.py [--seconds 5] [--connections 32]

For /en/check/restroom and /en/, in one run, measures requests per second of
  (a) nginx serving the very bytes gunicorn sends (fetched once, brotli-compressed
      as a phone asks for them) as static files, with nginx's gzip off;
  (b) gunicorn alone, as the README runs it (scripts/gunicorn.conf.py, 2 x cores + 1
      workers, access and error logs to files);
  (c) nginx with deploy/nginx/'s includes (the micro-cache) in front of that gunicorn;
each for a plain GET (200) and a revalidation with If-None-Match (304). Everything
listens on 127.0.0.1 and is started and stopped here, in a temporary folder
(tests/support/stack.py starts nginx and gunicorn as the deployment tests do).

The load generator is wrk (Debian package wrk; C, kept-alive HTTP/1.1
connections; installed here if missing, with nginx), on the same cores as the
servers. Prints a table with the ratios (b)/(a), (c)/(a) and 304/200, the
load average, and whether the targets hold: (b) >= 1/15 of (a), (c) >= 1/2
of (a), 304 no slower than 200.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.support.nginx import NGINX, running_nginx
from tests.support.servers import free_port
from tests.support.stack import request, running_gunicorn

ROOT = Path(__file__).resolve().parent.parent

PAGES = ["/en/check/restroom", "/en/"]
ACCEPT = "gzip, deflate, br"  # what a phone's browser sends
WRK = "wrk"


def install_tools() -> None:
    """wrk and nginx from Debian, as the project installs everything (scripts/lib/install.sh)."""
    if not shutil.which(WRK) or not NGINX.exists():
        subprocess.run(["bash", "-c", "source scripts/lib/install.sh && need_apt wrk nginx"],
                       cwd=ROOT, check=True)


def static_server(port: int, files: dict[str, tuple[Path, str]], logs: Path) -> str:
    """A server block serving each page's bytes from a file, as they came from gunicorn."""
    locations = "\n".join(
        f"""        location = {path} {{
            root {file.parent};
            try_files /{file.name} =404;
            add_header Content-Encoding {encoding};
            add_header Vary Accept-Encoding;
            add_header Cache-Control "public, max-age=300";
        }}""" for path, (file, encoding) in files.items())
    return f"""    server {{
        listen 127.0.0.1:{port};
        access_log {logs}/static.log spotcheck;
        error_log {logs}/static-error.log crit;
        gzip off;
        types {{ }}
        default_type "text/html; charset=utf-8";
{locations}
    }}
"""


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def wrk(port: int, path: str, seconds: int, connections: int, etag: str | None) -> float:
    """Requests per second that wrk reaches; fails on any answer that is not 2xx or 3xx."""
    headers = ["-H", f"Accept-Encoding: {ACCEPT}"]
    if etag:
        headers += ["-H", f"If-None-Match: {etag}"]
    result = subprocess.run(
        [WRK, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", *headers,
         f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True)
    if "Non-2xx or 3xx" in result.stdout or "Socket errors" in result.stdout:
        raise SystemExit(f"errors while loading {port}{path}:\n{result.stdout}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)[1])


def check(port: int, path: str, etag: str | None, status: int) -> str:
    """Ask once as wrk will, check the answer's status; its ETag."""
    headers = {"Accept-Encoding": ACCEPT, **({"If-None-Match": etag} if etag else {})}
    answer = request(port, "GET", path, headers=headers)
    if answer.status != status:
        raise SystemExit(f"{port}{path} answered {answer.status}, not {status}")
    return answer.headers["ETag"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    install_tools()

    results: dict[tuple[str, str, int], float] = {}
    loads = [load_average()]
    with tempfile.TemporaryDirectory(prefix="spotcheck-throughput-") as tmp:
        folder = Path(tmp)
        workers = str((os.cpu_count() or 1) * 2 + 1)  # the README's default
        with running_gunicorn(folder / "gunicorn", WORKERS=workers) as app:
            # The bytes a phone gets, kept as files for (a).
            files = {}
            for n, path in enumerate(PAGES):
                answer = request(app.port, "GET", path, headers={"Accept-Encoding": ACCEPT})
                encoding = answer.headers.get("Content-Encoding", "identity")
                file = folder / f"page{n}.{encoding}"
                file.write_bytes(answer.body)
                files[path] = (file, encoding)
            static_port = free_port()
            extra = static_server(static_port, files, folder / "nginx" / "logs")
            with running_nginx(folder / "nginx", app.port, extra_servers=extra) as proxy:
                servers = {"a": static_port, "b": app.port, "c": proxy.port}
                for port in servers.values():  # warm up: caches, connections, workers
                    for path in PAGES:
                        check(port, path, None, 200)
                    wrk(port, PAGES[0], 1, args.connections, None)
                for path in PAGES:
                    for name, port in servers.items():
                        etag = check(port, path, None, 200)
                        check(port, path, etag, 304)
                        for status, sent_etag in ((200, None), (304, etag)):
                            results[name, path, status] = wrk(port, path, args.seconds,
                                                              args.connections, sent_etag)
                            loads.append(load_average())
                hits = (proxy.logs / "spotcheck.log").read_text().split().count("HIT")

    print(f"wrk, 2 threads, {args.connections} kept-alive connections, {args.seconds:g} s each, "
          f"on the same {os.cpu_count()} cores; gunicorn with {workers} workers x 4 threads")
    print(f"{'page':<20}{'answer':>7}{'(a) files':>11}{'(b) gunicorn':>14}{'(c) cache':>11}"
          f"{'b/a':>7}{'c/a':>7}")
    met = True
    for path in PAGES:
        for status in (200, 304):
            a, b, c = (results[name, path, status] for name in "abc")
            print(f"{path:<20}{status:>7}{a:>11.0f}{b:>14.0f}{c:>11.0f}{b / a:>7.2f}{c / a:>7.2f}")
            met &= b >= a / 15 and c >= a / 2
    print("304/200:", ", ".join(
        f"({name}) {path} {results[name, path, 304] / results[name, path, 200]:.2f}"
        for path in PAGES for name in "abc"))
    slower = [(name, path) for path in PAGES for name in "abc"
              if results[name, path, 304] < results[name, path, 200] * 0.95]
    print(f"micro-cache hits logged: {hits}")
    print(f"load average (1, 5, 15 min) before: {loads[0]}; after: {loads[-1]}; "
          f"highest 1-min during: {max(float(x.split()[0]) for x in loads):.2f}")
    print("targets: (b) >= (a)/15, (c) >= (a)/2:", "met" if met else "NOT met",
          "; 304 no slower than 200 (within 5%):",
          "met" if not slower else f"NOT met for {slower}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
