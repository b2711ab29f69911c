"""Ed25519 signing keys kept in the instance folder, each made on its first use.

The timestamp service (app/timestamps/) signs with one; signed static mirrors
(issue 32) will sign with another, in a file of its own: `instance_key(app,
"mirror_key.pem")`. A key is a PKCS #8 PEM file (`openssl pkey -in FILE -pubout`
shows its public half), mode 0600 like the secret key.

Several gunicorn workers may ask for a key at the same moment on a fresh
instance: each writes a whole key to a temporary file of its own and links it
into place, and os.link fails for all but the first, so every worker signs
with the one key that won (config.write_once, as for the secret key).
"""

import base64
import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from flask import Flask

from ..config import write_once

_loading = threading.Lock()


def key_id(raw_public_key: bytes) -> str:
    """A key's short name: the first 16 hex digits of the SHA-256 of its 32 raw bytes."""
    return hashlib.sha256(raw_public_key).hexdigest()[:16]


@dataclass(frozen=True)
class PublicKey:
    """The half anyone may have: raw bytes, their id, and the same key as PEM."""

    raw: bytes

    @property
    def id(self) -> str:
        return key_id(self.raw)

    @property
    def base64(self) -> str:
        return base64.b64encode(self.raw).decode("ascii")

    @property
    def pem(self) -> str:
        return Ed25519PublicKey.from_public_bytes(self.raw).public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode("ascii")

    def verifies(self, signature: bytes, message: bytes) -> bool:
        """Whether `signature` is this key's Ed25519 signature of `message`."""
        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class SigningKey:
    """A private key and its public half."""

    private: Ed25519PrivateKey
    public: PublicKey

    def sign(self, message: bytes) -> bytes:
        """The 64-byte Ed25519 signature of `message`."""
        return self.private.sign(message)


def _write_new_key(path: Path) -> None:
    """Put a new key at `path` unless another process or thread got there first."""
    write_once(path, Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))


def read_key(path: Path) -> SigningKey:
    """The key in `path`; RuntimeError, in words an operator can act on, if it is no key."""
    try:
        private = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as error:
        raise RuntimeError(f"{path} holds no usable key ({error}); move it away to make "
                           "a new one, but signatures made with it will no longer match "
                           "the published key") from None
    if not isinstance(private, Ed25519PrivateKey):
        raise RuntimeError(f"{path} holds a key that is not Ed25519")
    raw = private.public_key().public_bytes(serialization.Encoding.Raw,
                                            serialization.PublicFormat.Raw)
    return SigningKey(private, PublicKey(raw))


def load_or_create(path: Path) -> SigningKey:
    """The key in `path`, made there (mode 0600) if there is none yet."""
    if not path.exists():
        _write_new_key(path)
    return read_key(path)


def instance_key(app: Flask, filename: str) -> SigningKey:
    """The app's key in instance/`filename`, made on first use, then kept in memory."""
    keys: dict[str, SigningKey] = app.extensions.setdefault("spotcheck_keys", {})
    if (key := keys.get(filename)) is None:
        with _loading:  # one thread of a worker makes or reads it; the rest wait
            if (key := keys.get(filename)) is None:
                key = keys[filename] = load_or_create(Path(app.instance_path) / filename)
    return key
