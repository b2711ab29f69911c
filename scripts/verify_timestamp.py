#!/usr/bin/env python3
"""Check a SpotCheck timestamp without SpotCheck: needs Python 3.11+ and `cryptography`.

    python3 verify_timestamp.py ANSWER.json KEY [FILE]

ANSWER.json is the timestamp as the server gave it; KEY is the server's public key:
the saved answer of GET /api/v1/timestamp/key, or its `public_key` (base64). With
FILE, also checks that FILE's SHA-256 is the hash signed. Prints OK or FAILED; exits
1 on failure. The format is in docs/timestamps.md.
"""

import base64
import hashlib
import json
import sys
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def check(answer_path: str, key: str, file: str | None = None) -> str:
    """Why the timestamp is good; ValueError (or InvalidSignature) if it is not."""
    answer = json.loads(Path(answer_path).read_text())
    if Path(key).is_file():
        key = json.loads(Path(key).read_text())["public_key"]
    raw_key = base64.b64decode(key, validate=True)
    key_id = hashlib.sha256(raw_key).hexdigest()[:16]
    if answer.get("key_id") != key_id:
        raise ValueError(f"it names key {answer.get('key_id')!r}, but this key is {key_id!r}")
    sha256, when = answer["sha256"], answer["time"]
    message = f"spotcheck-timestamp-v1 {sha256} {when}".encode("ascii")
    signature = base64.b64decode(answer["signature"], validate=True)
    Ed25519PublicKey.from_public_bytes(raw_key).verify(signature, message)
    if file and hashlib.sha256(Path(file).read_bytes()).hexdigest() != sha256:
        raise ValueError(f"the signature is good, but {file} is not the file hashed")
    return f"{sha256} was presented to the server no later than {when} (key {key_id})"


def main(args: list[str]) -> int:
    if len(args) not in (2, 3):
        print(__doc__)
        return 2
    try:
        print("OK:", check(*args))
        return 0
    except InvalidSignature:
        reason = "the signature does not match this hash and time under this key"
    except KeyError as error:
        reason = f"no {error} in the answer or the key"
    except (ValueError, TypeError, AttributeError, OSError) as error:
        reason = str(error)
    print("FAILED:", reason)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
