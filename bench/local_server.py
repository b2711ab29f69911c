"""gunicorn as the README runs it, quietly, for the benchmarks that send it reports; and
load from several processes."""

import threading
from pathlib import Path

from tests.support.servers import ROOT, start_gunicorn


def start_server(instance: Path, port: int, app: str | None = None, root: Path = ROOT,
                 wait_seconds: float = 30, extra: tuple[str, ...] = (),
                 **settings: str):
    """tests/support/servers.py's start_gunicorn with no access log and no output kept.

    `app` replaces the configuration's WSGI app (e.g. "app:create_app()", unwarmed);
    `root` is the checkout to run (bench/map_browser.py compares two); a million
    reports want a longer `wait_seconds` (migrations, then warming: app/web/warmup.py)."""
    return start_gunicorn(instance, port, root=root, app=app, seconds=wait_seconds,
                          extra=("--access-logfile", "/dev/null", *extra), **settings)


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
