#!/usr/bin/env python3
"""Check a copy of a SpotCheck mirror without SpotCheck: needs Python 3.11+ and `cryptography`.

    python3 verify_mirror.py FOLDER KEY

FOLDER is the mirror (the folder holding mirror.json, e.g. unpacked from its ZIP);
KEY is the site's mirror key: the saved answer of GET /api/v1/mirror/key, or its
`public_key` (base64). Checks that mirror.json is signed by KEY, that every file it
lists is there with its SHA-256, and that nothing else is. Prints OK or FAILED;
exits 1 on failure. The format is in docs/mirrors.md.
"""

import base64
import hashlib
import json
import os
import sys
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def problems(folder: Path, key: str) -> list[str]:
    """What is wrong with the copy in `folder` (none: it is the mirror signed)."""
    if Path(key).is_file():
        key = json.loads(Path(key).read_text())["public_key"]
    raw_key = base64.b64decode(key, validate=True)
    key_id = hashlib.sha256(raw_key).hexdigest()[:16]
    manifest = json.loads((folder / "mirror.json").read_text())
    if manifest.get("key_id") != key_id:
        return [f"mirror.json names key {manifest.get('key_id')!r}, but this key is {key_id!r}"]
    unsigned = {k: v for k, v in manifest.items() if k != "signature"}
    message = json.dumps(unsigned, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    try:
        Ed25519PublicKey.from_public_bytes(raw_key).verify(
            base64.b64decode(manifest["signature"], validate=True), message.encode("utf-8"))
    except InvalidSignature:
        return ["the signature in mirror.json does not match its contents under this key"]
    found = []
    listed = manifest["files"]
    for name, entry in sorted(listed.items()):
        path = folder / name
        if not path.is_file():
            found.append(f"missing: {name}")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != entry["sha256"]:
            found.append(f"changed: {name} (its SHA-256 is not the one signed)")
    for root, _, names in os.walk(folder):
        for name in names:
            relative = (Path(root) / name).relative_to(folder).as_posix()
            if relative != "mirror.json" and relative not in listed:
                found.append(f"not in the mirror: {relative}")
    return found


def main(args: list[str]) -> int:
    if len(args) != 2:
        print(__doc__)
        return 2
    try:
        found = problems(Path(args[0]), args[1])
    except KeyError as error:
        found = [f"no {error} in mirror.json or the key"]
    except (ValueError, TypeError, AttributeError, OSError) as error:
        found = [str(error)]
    for problem in found:
        print("FAILED:", problem)
    if not found:
        print(f"OK: every file in {args[0]} is as signed, and there is nothing else")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
