"""Servers started and stopped for a test or a bench: the app as the README runs it
(gunicorn), or any other program that answers GET /healthz (nginx, tests/support/nginx.py).

Used by the browser tests (support/browser.py), the deployment tests and bench/ alike.
Tests import it as `support.servers`, bench/ scripts as `tests.support.servers` (the
editable install puts the project's folder on the path); so support/ modules import
each other relatively and nothing outside support/ but `app`.
"""

import http.client
import os
import random
import signal
import socket
import subprocess
import sys
import time
from contextlib import closing, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# How the README starts the app; run with the checkout as the working folder.
GUNICORN = [sys.executable, "-m", "gunicorn", "-c", "scripts/gunicorn.conf.py"]


def free_port() -> int:
    """A loopback port nothing listens on right now, below the kernel's ephemeral range.

    A port from that range (what bind(0) gives) may be handed to an outgoing connection
    (a browser's, nginx's, another test's) between this check and the server's own bind:
    gunicorn once failed so in CI ("Connection in use"). Below it, only another
    free_port() could pick the same one, one chance in about 20,000.
    """
    ephemeral = Path("/proc/sys/net/ipv4/ip_local_port_range")
    first = int(ephemeral.read_text().split()[0]) if ephemeral.exists() else 32768
    chooser = random.SystemRandom()
    for _ in range(100):
        port = chooser.randrange(min(10000, first // 2), first)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below the ephemeral range")


def read_text(path: Path | None) -> str:
    return path.read_text(errors="replace") if path and path.exists() else ""


def wait_for_health(port: int, process: subprocess.Popen, what: str, output: Path | None,
                    seconds: float = 30, path: str = "/healthz") -> None:
    """Until GET path answers 200 on 127.0.0.1:port; RuntimeError (with the server's
    output) if the process dies first or `seconds` pass."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with closing(http.client.HTTPConnection("127.0.0.1", port, timeout=2)) as conn:
                conn.request("GET", path)
                if conn.getresponse().status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start on port {port}:\n{read_text(output)}")
        time.sleep(0.05)


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM, seconds: float = 15) -> None:
    """Signal it (SIGTERM: a graceful stop) and wait; SIGKILL if it takes longer."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def launch(command: list[str], port: int, what: str, output: Path | None = None,
           seconds: float = 30, **popen) -> subprocess.Popen:
    """Start a server, its output appended to `output` (or dropped); return once
    /healthz answers, or stop it and raise."""
    if output is None:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, **popen)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        with output.open("ab") as out:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out,
                                       stderr=subprocess.STDOUT, **popen)
    try:
        wait_for_health(port, process, what, output, seconds)
    except BaseException:
        stop(process)
        raise
    return process


def start_gunicorn(instance: Path, port: int, output: Path | None = None, *, root: Path = ROOT,
                   app: str | None = None, extra: tuple[str, ...] = (),
                   new_session: bool = False, seconds: float = 30,
                   **settings: str) -> subprocess.Popen:
    """`python -m gunicorn -c scripts/gunicorn.conf.py`, as the README runs it, on its
    own instance folder and 127.0.0.1:port, answering /healthz when this returns.

    `settings` are SPOTCHECK_<NAME> variables (WORKERS="1"). `app` replaces the
    configuration's WSGI app (e.g. "app:create_app()", unwarmed), `extra` adds
    gunicorn options, `root` is the checkout to run (a bench may compare two);
    with `new_session` it leads its own process group (to SIGKILL it whole). A
    million reports want more `seconds` (migrations, then warming).
    """
    env = {**os.environ, "SPOTCHECK_INSTANCE_PATH": str(instance),
           "SPOTCHECK_BIND": f"127.0.0.1:{port}",
           **{f"SPOTCHECK_{name}": value for name, value in settings.items()}}
    return launch([*GUNICORN, *extra, *([app] if app else [])], port, "gunicorn", output,
                  seconds, cwd=root, env=env, start_new_session=new_session)


@contextmanager
def running_gunicorn(instance: Path, port: int, output: Path | None = None, **kwargs):
    """start_gunicorn until the block ends (yields its process), then a graceful stop."""
    process = start_gunicorn(instance, port, output, **kwargs)
    try:
        yield process
    finally:
        stop(process)
