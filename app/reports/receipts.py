"""Receipt codes: what a reporter keeps to come back for her report's status.

A code is 16 characters of Crockford's base32 (80 random bits), shown as four
groups, e.g. `7K2M-9QXD-4HZP-3RTB`: no I, L, O or U to misread, and typing
mistakes between look-alikes (O/0, I/L/1) are forgiven.

Only a slow hash of the code is stored. scrypt is memory-hard, so guessing
codes from a stolen database costs memory as well as time; with 80 random
bits there is nothing to guess in practice, so the hash is a second wall, not
the first. Its cost (512 KiB, under a millisecond, about a thousand times a
SHA-256) is sized to the budget: every report needs one, and docs/deploy.md's
budgets ask for 500 reports a second on two cores (bench/report_writes.py: N=2^10 gave
about 460/s, N=2^9 about 500/s on this kind of machine).
"""

import hashlib
import hmac
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32
LENGTH = 16  # 16 x 5 bits = 80 bits
LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
SCRYPT = {"n": 2**9, "r": 8, "p": 1, "dklen": 32}


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return format_code(raw)


def format_code(raw: str) -> str:
    return "-".join(raw[i : i + 4] for i in range(0, LENGTH, 4))


def normalize(text: str) -> str | None:
    """The canonical code for what someone typed, or None if it cannot be one."""
    raw = "".join(text.upper().split()).replace("-", "").translate(LOOKALIKES)
    if len(raw) != LENGTH or any(c not in ALPHABET for c in raw):
        return None
    return format_code(raw)


def hash_code(code: str, salt: bytes) -> str:
    """The stored form of a (normalized) code."""
    return hashlib.scrypt(code.encode(), salt=salt, maxmem=4 * 1024 * 1024, **SCRYPT).hex()


def salt_from(secret_key: str) -> bytes:
    # One salt for the whole site, so a code can be looked up by its hash.
    return hmac.digest(secret_key.encode(), b"spotcheck receipt salt", "sha256")


def seal(code: str, idempotency_key: str) -> bytes:
    """Encrypt a code so that only the same idempotency key opens it again.

    The key is random, made on the reporter's phone (or in her form) and
    never stored, and each seals exactly one code: the pad is used once.
    """
    return bytes(a ^ b for a, b in zip(code.encode(), _pad(idempotency_key), strict=False))


def unseal(sealed: bytes, idempotency_key: str) -> str:
    return bytes(a ^ b for a, b in zip(sealed, _pad(idempotency_key), strict=False)).decode()


def _pad(idempotency_key: str) -> bytes:
    return hmac.digest(idempotency_key.encode(), b"spotcheck receipt pad", "sha256")


def idempotency_hash(idempotency_key: str) -> str:
    return hashlib.sha256(idempotency_key.encode()).hexdigest()
