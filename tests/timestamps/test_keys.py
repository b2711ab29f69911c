"""app/web/keys.py: one key however many workers make it at once, kept to its owner."""

import stat
import subprocess
import sys
import threading
import time

import pytest

from app.web import keys

MAKE_AT = """
import sys, time
from pathlib import Path
from app.web.keys import load_or_create
time.sleep(max(0, float(sys.argv[2]) - time.time()))
print(load_or_create(Path(sys.argv[1])).public.id)
"""


def test_workers_starting_together_all_get_the_one_key(tmp_path):
    # Four processes, as gunicorn's workers on a fresh instance, all at the same moment.
    path = tmp_path / "timestamp_key.pem"
    start = time.time() + 2
    workers = [subprocess.Popen([sys.executable, "-c", MAKE_AT, str(path), str(start)],
                                stdout=subprocess.PIPE, text=True) for _ in range(4)]
    ids = {worker.communicate(timeout=60)[0].strip() for worker in workers}
    assert all(worker.returncode == 0 for worker in workers)
    assert ids == {keys.read_key(path).public.id}
    assert [p.name for p in tmp_path.iterdir()] == ["timestamp_key.pem"]  # no temporary left
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_threads_racing_past_the_check_still_share_one_key(tmp_path, monkeypatch):
    # Every thread finds no file, then all write at once: os.link lets only one in.
    path = tmp_path / "k.pem"
    barrier = threading.Barrier(8)
    real_write = keys._write_new_key

    def write_together(target):
        barrier.wait(timeout=10)
        real_write(target)

    monkeypatch.setattr(keys, "_write_new_key", write_together)
    found = []
    threads = [threading.Thread(target=lambda: found.append(keys.load_or_create(path)))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(found) == 8 and len({key.public.raw for key in found}) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["k.pem"]


def test_a_worker_that_comes_second_takes_the_first_ones_key(tmp_path, monkeypatch):
    # Another worker's key lands between this one's look and its write: the first key
    # stays, on disk and in this worker, whatever this one had made.
    path = tmp_path / "k.pem"
    first = tmp_path / "first.pem"
    first_key = keys.load_or_create(first)
    real_write = keys._write_new_key

    def another_worker_first(target):
        first.rename(target)
        real_write(target)

    monkeypatch.setattr(keys, "_write_new_key", another_worker_first)
    assert keys.load_or_create(path).public == first_key.public
    assert keys.read_key(path).public == first_key.public
    assert [p.name for p in tmp_path.iterdir()] == ["k.pem"]


def test_a_key_signs_what_its_public_half_verifies(tmp_path):
    key = keys.load_or_create(tmp_path / "k.pem")
    signature = key.sign(b"message")
    assert key.public.verifies(signature, b"message")
    assert not key.public.verifies(signature, b"messagE")
    assert len(key.public.raw) == 32 and len(key.public.id) == 16


def test_a_key_of_another_kind_is_refused(tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    other = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    (tmp_path / "k.pem").write_bytes(other)
    with pytest.raises(RuntimeError, match="not Ed25519"):
        keys.load_or_create(tmp_path / "k.pem")
