"""gunicorn as the README runs it, on a loopback port, for the benchmarks that send it reports."""

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(instance: Path, port: int, app: str | None = None, root: Path = ROOT,
                 wait_seconds: float = 30, extra: tuple[str, ...] = (),
                 **settings: str) -> subprocess.Popen:
    """Start it with SPOTCHECK_<NAME> settings and wait for /healthz; no access log.

    `app` replaces the configuration's WSGI app (e.g. "app:create_app()", unwarmed);
    `root` is the checkout to run (bench/map_browser.py compares two); a million
    reports want a longer `wait_seconds` (migrations, then warming: app/web/warmup.py)."""
    env = {**os.environ, "SPOTCHECK_INSTANCE_PATH": str(instance),
           "SPOTCHECK_BIND": f"127.0.0.1:{port}",
           **{f"SPOTCHECK_{name}": value for name, value in settings.items()}}
    command = [sys.executable, "-m", "gunicorn", "-c", "scripts/gunicorn.conf.py",
               "--access-logfile", "/dev/null", *extra, *([app] if app else [])]
    server = subprocess.Popen(command, cwd=root, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


def threads_in_process(target, args: tuple, count: int, queue) -> None:
    """Run `count` threads of target(*args, results, lock) and put their results on queue.

    Several such processes keep Python's GIL from being what limits the load."""
    results, lock = [], threading.Lock()
    threads = [threading.Thread(target=target, args=(*args, results, lock)) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put(results)
