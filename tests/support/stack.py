"""SpotCheck as deployed: gunicorn as the README runs it (servers.py), Debian's nginx
in front of it (nginx.py), both on loopback, each in a folder of its own; and the
requests the deployment tests send them.

Plain functions and classes for tests/deploy/ (`from support.stack import ...`;
tests/deploy/conftest.py turns them into fixtures), durability.py and
bench/throughput.py (`from tests.support.stack import ...`).
"""

import http.client
import os
import re
import socket
import sqlite3
import struct
import subprocess
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from . import servers
from .nginx import SITE_NAME
from .servers import free_port, stop

# Every request the tests send carries it, so they can show it is never written down.
VISITOR_USER_AGENT = "SpotCheckDeployTest/1.0 (Linux; Android 14)"
IDEMPOTENCY_KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')
RECEIPT = re.compile(r'data-receipt="([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})"')


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


def gunicorn_settings(folder: Path) -> dict[str, str]:
    """What the tests set: three workers, one trusted proxy, log files in folder/logs."""
    return {
        "WORKERS": "3",
        "TRUSTED_PROXIES": "1",
        "ACCESS_LOG": str(folder / "logs" / "access.log"),
        "ERROR_LOG": str(folder / "logs" / "error.log"),
        # Posters refuse to point at 127.0.0.1; a real site has a public address.
        "PUBLIC_BASE_URL": f"https://{SITE_NAME}",
        "SETUP_LINK_ON_START": "false",
    }


def start_gunicorn(folder: Path, port: int, new_session: bool = False,
                   **settings: str) -> Gunicorn:
    """gunicorn as the README runs it (servers.py), answering, on folder/instance; its
    own output (anything not in the two log files) in folder/logs/output.log. With
    new_session, the leader of its own process group (so a test can SIGKILL master
    and workers at once)."""
    process = servers.start_gunicorn(folder / "instance", port, folder / "logs" / "output.log",
                                     new_session=new_session,
                                     **{**gunicorn_settings(folder), **settings})
    return Gunicorn(port, folder, process)


@contextmanager
def running_gunicorn(folder: Path, port: int | None = None, **settings: str):
    """start_gunicorn on a free port until the block ends."""
    app = start_gunicorn(folder, port or free_port(), **settings)
    try:
        yield app
    finally:
        stop(app.process)


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
