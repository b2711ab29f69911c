"""mirror.json: what a mirror holds, signed, and checking a copy against it.

docs/mirrors.md is the specification for anyone checking a mirror without us
(scripts/verify_mirror.py does it with `cryptography` alone). The file is JSON:

    {"format": "spotcheck-mirror-v1", "built": "2026-12-06", "base_path": "/m/",
     "key_id": "<16 hex>", "files": {"<path>": {"sha256": "<64 hex>", "size": N}, ...},
     "signature": "<base64 Ed25519 signature>"}

The signature is over the object without "signature", written as canonical JSON:
keys sorted, no spaces (separators "," and ":"), ASCII only (json.dumps with
sort_keys=True, separators=(",", ":"), ensure_ascii=True), UTF-8 bytes.
Every file in the folder but mirror.json is listed, and nothing else is.
"""

import base64
import binascii
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..web.keys import PublicKey, SigningKey

FORMAT = "spotcheck-mirror-v1"
MANIFEST = "mirror.json"
KEY_FILE = "mirror_key.pem"
# The mark a half-built mirror carries, so a later run may remove it (build.py).
BUILDING_MARK = ".spotcheck-mirror-building"


def canonical(data: dict[str, Any]) -> bytes:
    """The bytes signed: the manifest without its signature, as canonical JSON."""
    unsigned = {k: v for k, v in data.items() if k != "signature"}
    return json.dumps(unsigned, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=True).encode("utf-8")


def sign(key: SigningKey, built: str, base_path: str,
         files: dict[str, dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {"format": FORMAT, "built": built, "base_path": base_path,
                            "key_id": key.public.id, "files": dict(sorted(files.items()))}
    data["signature"] = base64.b64encode(key.sign(canonical(data))).decode("ascii")
    return data


def write_manifest(folder: Path, data: dict[str, Any]) -> None:
    (folder / MANIFEST).write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The folder's mirror.json as JSON, or None if it has none or it is not JSON."""
    try:
        data = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def sha256_of(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def files_in(folder: Path) -> set[str]:
    """Every file below `folder`, as a path with "/", but mirror.json."""
    found = set()
    for root, _, names in os.walk(folder):
        for name in names:
            relative = (Path(root) / name).relative_to(folder).as_posix()
            if relative != MANIFEST:
                found.add(relative)
    return found


@dataclass(frozen=True)
class Verdict:
    ok: bool
    problems: list[str]
    count: int = 0


def signature_problem(data: dict[str, Any], key: PublicKey) -> str | None:
    """Why mirror.json is not signed by `key`, or None if it is."""
    if data.get("format") != FORMAT or not isinstance(data.get("files"), dict):
        return f"{MANIFEST} is not a SpotCheck mirror manifest ({FORMAT})"
    if data.get("key_id") != key.id:
        return (f"{MANIFEST} names key {str(data.get('key_id'))[:32]!r}, but this key is "
                f"{key.id!r}")
    try:
        signature = base64.b64decode(str(data.get("signature", "")), validate=True)
    except (binascii.Error, ValueError):
        return f"the signature in {MANIFEST} is not base64"
    if len(signature) != 64 or not key.verifies(signature, canonical(data)):
        return f"the signature in {MANIFEST} does not match its contents under key {key.id}"
    return None


def verify(folder: Path, key: PublicKey) -> Verdict:
    """Check a copy: signed by `key`, every listed file there with its hash, nothing else."""
    data = read_manifest(folder)
    if data is None:
        return Verdict(False, [f"{folder} has no readable {MANIFEST}"])
    if problem := signature_problem(data, key):
        return Verdict(False, [problem])
    problems = []
    listed: dict[str, Any] = data["files"]
    for name, entry in sorted(listed.items()):
        path = folder / name
        if not path.is_file():
            problems.append(f"missing: {name}")
        elif path.stat().st_size != entry.get("size") or sha256_of(path) != entry.get("sha256"):
            problems.append(f"changed: {name} (its SHA-256 is not the one signed)")
    for name in sorted(files_in(folder) - set(listed)):
        problems.append(f"not in the mirror: {name}")
    return Verdict(not problems, problems, len(listed))
