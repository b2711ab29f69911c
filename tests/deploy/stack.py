"""SpotCheck as deployed: gunicorn as the README runs it, Debian's nginx in front of it
with the includes in deploy/nginx/, both on loopback, each in a folder of its own.

Plain functions and classes for tests/deploy/ (`from .stack import ...`) and for
bench/throughput.py; conftest.py turns them into fixtures.

nginx reads deploy/nginx/spotcheck-http.conf as it is, and
deploy/nginx/spotcheck-locations.conf with one change: its log folder,
/var/log/nginx/, becomes a temporary one (`locations_include`). Around them,
nginx.conf holds what Debian's /etc/nginx/nginx.conf and deploy/nginx/spotcheck.conf
hold, minus TLS: Debian's http-level `combined` access log and `error`-level error
log included, so a test sees it if anything falls through to them.
"""

import http.client
import os
import re
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import time
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
NGINX = Path("/usr/sbin/nginx")
DEPLOY_NGINX = ROOT / "deploy" / "nginx"
# The log folder the shipped include names; the only thing the tests change in it.
LOG_FOLDER = "/var/log/nginx/"
SITE_NAME = "spotcheck.example"
# Every request the tests send carries it, so they can show it is never written down.
VISITOR_USER_AGENT = "SpotCheckDeployTest/1.0 (Linux; Android 14)"
IDEMPOTENCY_KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')
RECEIPT = re.compile(r'data-receipt="([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url_host: str, port: int, path: str, process: subprocess.Popen, what: str,
             output: Path, seconds: float = 30) -> None:
    """Until GET path answers 200 on host:port, or the process dies."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with closing(http.client.HTTPConnection(url_host, port, timeout=2)) as conn:
                conn.request("GET", path)
                if conn.getresponse().status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start:\n{read_text(output)}")
        time.sleep(0.1)


def read_text(path: Path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# -- gunicorn -----------------------------------------------------------------------

@dataclass
class Gunicorn:
    port: int
    folder: Path  # instance/ and logs/ inside
    process: subprocess.Popen

    @property
    def instance(self) -> Path:
        return self.folder / "instance"

    @property
    def logs(self) -> Path:
        return self.folder / "logs"

    def worker_pids(self) -> set[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return {int(pid) for pid in children.read_text().split()}

    def database(self) -> sqlite3.Connection:
        """The app's database, read-only, on a connection of its own."""
        path = self.instance / "spotcheck.sqlite3"
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def gunicorn_env(folder: Path, port: int, **settings: str) -> dict[str, str]:
    """What the tests set: a loopback port, three workers, one trusted proxy, log files."""
    return {
        **os.environ,
        "SPOTCHECK_INSTANCE_PATH": str(folder / "instance"),
        "SPOTCHECK_BIND": f"127.0.0.1:{port}",
        "SPOTCHECK_WORKERS": "3",
        "SPOTCHECK_TRUSTED_PROXIES": "1",
        "SPOTCHECK_ACCESS_LOG": str(folder / "logs" / "access.log"),
        "SPOTCHECK_ERROR_LOG": str(folder / "logs" / "error.log"),
        # Posters refuse to point at 127.0.0.1; a real site has a public address.
        "SPOTCHECK_PUBLIC_BASE_URL": f"https://{SITE_NAME}",
        "SPOTCHECK_SETUP_LINK_ON_START": "false",
        **{f"SPOTCHECK_{name}": value for name, value in settings.items()},
    }


@contextmanager
def running_gunicorn(folder: Path, port: int | None = None, **settings: str):
    """`python -m gunicorn -c scripts/gunicorn.conf.py`, as the README runs it.

    Its own output (anything not in the two log files) goes to logs/output.log.
    """
    port = port or free_port()
    process = start_gunicorn(folder, port, **settings)
    try:
        yield Gunicorn(port, folder, process)
    finally:
        stop(process)


def start_gunicorn(folder: Path, port: int, new_session: bool = False,
                   **settings: str) -> subprocess.Popen:
    """gunicorn as the README runs it, answering; with new_session, the leader of its own
    process group (so a test can SIGKILL master and workers at once)."""
    return launch([sys.executable, "-m", "gunicorn", "-c", "scripts/gunicorn.conf.py"],
                  folder, port, "gunicorn", cwd=ROOT, env=gunicorn_env(folder, port, **settings),
                  start_new_session=new_session)


def launch(command: list[str], folder: Path, port: int, what: str, **popen) -> subprocess.Popen:
    """Start a server with its output in folder/logs/output.log; return once /healthz answers."""
    output = folder / "logs" / "output.log"
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("ab") as out:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out,
                                   stderr=subprocess.STDOUT, **popen)
    try:
        wait_for("127.0.0.1", port, "/healthz", process, what, output)
    except BaseException:
        stop(process)
        raise
    return process


# -- nginx --------------------------------------------------------------------------

@dataclass
class Nginx:
    port: int
    folder: Path  # nginx.conf, logs/, cache/, temp/
    process: subprocess.Popen

    @property
    def logs(self) -> Path:
        return self.folder / "logs"

    @property
    def cache(self) -> Path:
        return self.folder / "cache"


def locations_include(log_folder: Path) -> str:
    """deploy/nginx/spotcheck-locations.conf with its log folder moved, and nothing else."""
    text = (DEPLOY_NGINX / "spotcheck-locations.conf").read_text()
    if text.count(LOG_FOLDER) < 2:
        raise AssertionError(f"the include no longer logs under {LOG_FOLDER}: update stack.py")
    return text.replace(LOG_FOLDER, f"{log_folder}/")


def nginx_conf(folder: Path, port: int, upstream_port: int, extra_servers: str = "") -> str:
    """nginx.conf for a folder: Debian's http settings, the site, minus TLS."""
    user = "user root root;\n" if os.geteuid() == 0 else ""  # workers must reach tmp folders
    mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
    temp = folder / "temp"
    return f"""{user}worker_processes 2;
pid {folder}/nginx.pid;
# As Debian's nginx.conf: the main error log at its default level.
error_log {folder}/logs/error.log;
events {{ worker_connections 1024; }}
http {{
    # As Debian's nginx.conf.
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    {mime}
    default_type application/octet-stream;
    access_log {folder}/logs/access.log;
    gzip on;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;

    # As deploy/nginx/spotcheck.conf, with a plain-HTTP loopback port for 443.
    include {DEPLOY_NGINX}/spotcheck-http.conf;
    upstream spotcheck_app {{
        server 127.0.0.1:{upstream_port};
        keepalive 16;
    }}
    proxy_cache_path {folder}/cache levels=1:2 keys_zone=spotcheck_cache:10m
                     max_size=200m inactive=10m use_temp_path=off;
    server {{
        listen 127.0.0.1:{port} default_server;
        server_name {SITE_NAME};
        include {folder}/spotcheck-locations.conf;
    }}
{extra_servers}}}
"""


@contextmanager
def running_nginx(folder: Path, upstream_port: int, port: int | None = None,
                  extra_servers: str = ""):
    """Debian's nginx in the foreground on its own folder, until the block ends."""
    port = port or free_port()
    for sub in ("logs", "cache", "temp"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    (folder / "spotcheck-locations.conf").write_text(locations_include(folder / "logs"))
    (folder / "nginx.conf").write_text(nginx_conf(folder, port, upstream_port, extra_servers))
    process = launch([str(NGINX), "-p", str(folder), "-c", str(folder / "nginx.conf"),
                      "-g", "daemon off;"], folder, port, "nginx")
    try:
        yield Nginx(port, folder, process)
    finally:
        stop(process)


# -- talking to them ------------------------------------------------------------------

@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def request(port: int, method: str, path: str, body: bytes | str | None = None,
            headers: dict | None = None, source: str = "127.0.0.1",
            conn: http.client.HTTPConnection | None = None) -> Answer:
    """One request to 127.0.0.1:port from the loopback address `source`.

    On its own connection, closed afterwards, unless `conn` is given.
    """
    own = conn is None
    if own:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30,
                                          source_address=(source, 0))
    try:
        conn.request(method, path, body=body,
                     headers={"User-Agent": VISITOR_USER_AGENT, **(headers or {})})
        response = conn.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        if own:
            conn.close()


def same_site(port: int) -> dict[str, str]:
    """What a browser adds to a form it sends from one of the site's own pages."""
    return {"Origin": f"http://127.0.0.1:{port}",
            "Content-Type": "application/x-www-form-urlencoded"}


def form_key(port: int, source: str = "127.0.0.1", **kwargs) -> str:
    """The idempotency key of a fresh report form."""
    return IDEMPOTENCY_KEY.search(request(port, "GET", "/en/report", source=source,
                                          **kwargs).text)[1]


def send_report(port: int, source: str = "127.0.0.1", headers: dict | None = None,
                conn: http.client.HTTPConnection | None = None) -> Answer:
    """A report with the two fields it needs, sent as the form sends it, on a fresh key."""
    body = urlencode({"idempotency_key": form_key(port, source, conn=conn),
                      "space": "restroom", "what": "found"})
    return request(port, "POST", "/en/report", body, {**same_site(port), **(headers or {})},
                   source=source, conn=conn)


def raw_exchange(port: int, data: bytes, source: str = "127.0.0.1") -> bytes:
    """Send bytes as they are (a malformed request) and read until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=10,
                                  source_address=(source, 0)) as sock:
        sock.sendall(data)
        with suppress(OSError):  # the server may already have answered and closed
            sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A throwaway certificate for SITE_NAME (openssl): its certificate and key files."""
    cert, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", f"/CN={SITE_NAME}", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


def bad_key_share_hello() -> bytes:
    """A TLS 1.3 ClientHello whose key share is for a group it did not offer.

    What scanners send every day; OpenSSL 3 refuses it as "bad key share", which
    nginx 1.22 logs at `crit`, naming the client.
    """
    def extension(kind: int, body: bytes) -> bytes:
        return struct.pack(">HH", kind, len(body)) + body

    share = struct.pack(">HH", 0x0017, 65) + b"\x04" + b"\x01" * 64  # secp256r1 ...
    extensions = (extension(0x002B, b"\x02\x03\x04")  # TLS 1.3
                  + extension(0x000A, b"\x00\x02\x00\x1d")  # ... but offers x25519 only
                  + extension(0x000D, b"\x00\x04\x08\x04\x04\x03")
                  + extension(0x0033, struct.pack(">H", len(share)) + share))
    body = (b"\x03\x03" + os.urandom(32) + b"\x20" + os.urandom(32) + b"\x00\x02\x13\x01"
            + b"\x01\x00" + struct.pack(">H", len(extensions)) + extensions)
    handshake = b"\x01" + len(body).to_bytes(3, "big") + body
    return b"\x16\x03\x01" + struct.pack(">H", len(handshake)) + handshake


def serving_pid(sock: socket.socket, candidates: set[int], seconds: float = 5) -> int:
    """The process (one of `candidates`) holding the server's end of this TCP connection.

    Found through /proc: the server end is the socket whose local address is our
    peer and whose remote address is us; its inode is among one process's fds.
    """
    ours, theirs = sock.getsockname(), sock.getpeername()
    wanted = (_proc_address(theirs), _proc_address(ours))
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            if (fields[1], fields[2]) == wanted and fields[9] != "0":
                link = f"socket:[{fields[9]}]"
                for pid in candidates:
                    try:
                        fds = list(Path(f"/proc/{pid}/fd").iterdir())
                    except OSError:
                        continue
                    for fd in fds:
                        try:
                            if os.readlink(fd) == link:
                                return pid
                        except OSError:
                            continue
        time.sleep(0.02)  # not accepted yet
    raise RuntimeError(f"no process of {candidates} holds the connection {ours} -> {theirs}")


def _proc_address(address: tuple[str, int]) -> str:
    """("127.0.0.1", 8000) as /proc/net/tcp writes it: 0100007F:1F40."""
    packed = socket.inet_aton(address[0])
    return f"{int.from_bytes(packed, 'little'):08X}:{address[1]:04X}"


def files_containing(folders: list[Path], needles: list[bytes]) -> list[str]:
    """Every file under these folders in which one of the needles occurs."""
    found = []
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            data = path.read_bytes()
            found += [f"{needle.decode()!r} in {path}" for needle in needles if needle in data]
    return found
