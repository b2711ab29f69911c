"""Checking a timestamp: `flask verify-timestamp` against the instance's key, and
scripts/verify_timestamp.py with nothing but `cryptography` (docs/timestamps.md)."""

import ast
import hashlib
import json
import re
import subprocess
import sys

import pytest

from helpers import ROOT

SCRIPT = ROOT / "scripts" / "verify_timestamp.py"
DOC = ROOT / "docs" / "timestamps.md"
PHOTO = b"\xff\xd8\xff\xe0 a photo of the smoke detector, byte for byte"


@pytest.fixture
def stamped(client, tmp_path):
    """A real answer and the published key, saved as files, and the file hashed."""
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(PHOTO)
    answer = client.post("/api/v1/timestamp", json={"sha256": hashlib.sha256(PHOTO).hexdigest()})
    assert answer.status_code == 200
    (tmp_path / "answer.json").write_bytes(answer.data)
    (tmp_path / "key.json").write_bytes(client.get("/api/v1/timestamp/key").data)
    return tmp_path


def changed(folder, **changes):
    """The saved answer with some members changed, as a new file."""
    answer = json.loads((folder / "answer.json").read_text())
    path = folder / "changed.json"
    path.write_text(json.dumps({**answer, **changes}))
    return path


def one_second_later(when: str) -> str:
    return re.sub(r"(\d\d)Z$", lambda m: f"{(int(m[1]) + 1) % 60:02d}Z", when)


def other_hash() -> str:
    return hashlib.sha256(PHOTO + b"!").hexdigest()


# -- flask --app app verify-timestamp -------------------------------------------------------


def test_the_command_verifies_a_real_answer(runner, stamped):
    result = runner.invoke(args=["verify-timestamp", str(stamped / "answer.json"),
                                 "--file", str(stamped / "photo.jpg")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: ")


def test_the_command_takes_hash_time_and_signature(runner, stamped):
    answer = json.loads((stamped / "answer.json").read_text())
    args = ["verify-timestamp", "--sha256", answer["sha256"], "--time", answer["time"],
            "--signature", answer["signature"]]
    assert runner.invoke(args=args).output.startswith("OK: ")
    args[2] = other_hash()
    result = runner.invoke(args=args)
    assert (result.exit_code, result.output.split(":")[0]) == (1, "FAILED")


def test_the_command_reads_an_answer_from_standard_input(runner, stamped):
    result = runner.invoke(args=["verify-timestamp", "-"],
                           input=(stamped / "answer.json").read_text())
    assert result.exit_code == 0 and result.output.startswith("OK: ")


@pytest.mark.parametrize("change", ["sha256", "time", "signature", "key_id"])
def test_the_command_rejects_a_changed_answer(runner, stamped, change):
    answer = json.loads((stamped / "answer.json").read_text())
    new = {"sha256": other_hash(), "time": one_second_later(answer["time"]),
           "signature": answer["signature"][:10] + ("A" if answer["signature"][10] != "A"
                                                    else "B") + answer["signature"][11:],
           "key_id": "0123456789abcdef"}[change]
    result = runner.invoke(args=["verify-timestamp", str(changed(stamped, **{change: new}))])
    assert result.exit_code == 1
    assert result.output.startswith("FAILED: ")


@pytest.mark.parametrize("content", ["not json", "[]", '{"sha256": "x"}',
                                     '{"sha256": 1, "time": 2, "signature": 3}',
                                     '{"sha256": "%s", "time": "2026-12-06T16:42:00Z", '
                                     '"signature": "", "key_id": "\\ud800"}' % ("0" * 64)])
def test_the_command_rejects_what_is_no_answer(runner, client, tmp_path, content):
    client.get("/api/v1/timestamp/key")  # the key exists: each answer gets as far as it can
    path = tmp_path / "answer.json"
    path.write_text(content)
    result = runner.invoke(args=["verify-timestamp", str(path)])
    assert result.exit_code == 1 and result.output.startswith("FAILED: ")


def test_the_command_rejects_another_file(runner, stamped):
    (stamped / "other.jpg").write_bytes(PHOTO + b"!")
    result = runner.invoke(args=["verify-timestamp", str(stamped / "answer.json"),
                                 "--file", str(stamped / "other.jpg")])
    assert result.exit_code == 1 and "is not the file hashed" in result.output


def test_the_command_without_a_key_signs_nothing_and_says_so(runner, migrated, tmp_path):
    path = tmp_path / "answer.json"
    path.write_text(json.dumps({"sha256": "0" * 64, "time": "2026-12-06T16:42:00Z",
                                "signature": "A" * 86 + "=="}))
    result = runner.invoke(args=["verify-timestamp", str(path)])
    assert result.exit_code == 1 and "no timestamp key" in result.output
    assert not (migrated / "timestamp_key.pem").exists()  # checking makes no key


# -- scripts/verify_timestamp.py ----------------------------------------------------------------


def script(*args) -> subprocess.CompletedProcess:
    # -I: the script's folder and the project are not on the path; only installed packages.
    return subprocess.run([sys.executable, "-I", str(SCRIPT), *map(str, args)],
                          capture_output=True, text=True, timeout=60)


def test_the_script_verifies_a_real_answer_and_its_file(stamped):
    for args in ([stamped / "answer.json", stamped / "key.json"],
                 [stamped / "answer.json", stamped / "key.json", stamped / "photo.jpg"],
                 [stamped / "answer.json",
                  json.loads((stamped / "key.json").read_text())["public_key"]]):
        result = script(*args)
        assert (result.returncode, result.stdout[:4]) == (0, "OK: "), result


@pytest.mark.parametrize("change", ["sha256", "time", "signature"])
def test_the_script_rejects_a_changed_answer(stamped, change):
    answer = json.loads((stamped / "answer.json").read_text())
    signature = bytearray(answer["signature"].encode())
    signature[5] = ord("A") if signature[5] != ord("A") else ord("B")
    new = {"sha256": other_hash(), "time": one_second_later(answer["time"]),
           "signature": signature.decode()}[change]
    result = script(changed(stamped, **{change: new}), stamped / "key.json")
    assert (result.returncode, result.stdout[:8]) == (1, "FAILED: "), result


def test_the_script_rejects_another_file_and_another_key(stamped, tmp_path):
    (stamped / "other.jpg").write_bytes(PHOTO + b"!")
    result = script(stamped / "answer.json", stamped / "key.json", stamped / "other.jpg")
    assert result.returncode == 1 and "is not the file hashed" in result.stdout
    other_key = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="  # RFC 8032's first test key
    result = script(stamped / "answer.json", other_key)
    assert result.returncode == 1 and "this key is '21fe31dfa154a261'" in result.stdout


@pytest.mark.parametrize("content", ["not json", "[]", "{}", '{"key_id": "\\ud800"}'])
def test_the_script_fails_cleanly_on_what_is_no_answer(stamped, content):
    (stamped / "bad.json").write_text(content)
    result = script(stamped / "bad.json", stamped / "key.json")
    assert result.returncode == 1 and result.stdout.startswith("FAILED: ")
    assert "Traceback" not in result.stderr


def test_the_script_needs_nothing_but_the_standard_library_and_cryptography():
    tree = ast.parse(SCRIPT.read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom)}
    assert imported - set(sys.stdlib_module_names) == {"cryptography"}


def test_the_documented_example_verifies_and_its_message_is_as_documented(tmp_path):
    """docs/timestamps.md's answer and key (RFC 8032's test key) are a real pair."""
    text = DOC.read_text()
    blocks = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", text, re.DOTALL)]
    answer, key = (next(b for b in blocks if field in b) for field in ("signature", "pem"))
    (tmp_path / "answer.json").write_text(json.dumps(answer))
    (tmp_path / "key.json").write_text(json.dumps(key))
    (tmp_path / "hello.txt").write_bytes(b"hello\n")
    result = script(tmp_path / "answer.json", tmp_path / "key.json", tmp_path / "hello.txt")
    assert result.returncode == 0, result
    message = f"spotcheck-timestamp-v1 {answer['sha256']} {answer['time']}"
    assert f"```\n{message}\n```" in text and len(message) == 108
