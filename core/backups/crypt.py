"""Encrypted backups: a key from the password (scrypt), files sealed with ChaCha20-Poly1305.

The AEAD is the one of the packages (core/packages/sealed.py), in the same chunked layout:

    magic (8) | file salt (16) | chunks of up to 1 MiB, each sealed with the nonce
                                 (counter, last-chunk flag) and the header as associated data

so chunks cannot be reordered, dropped or cut off without failing authentication. Each file's
key is HKDF(backup key, file salt): nonces restart at zero in every file without ever being
reused under one key. The backup key is scrypt(password, salt); the salt and scrypt's
parameters are written into every encrypted set's manifest, so the password alone restores a
set on a new PC after the old disk died.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

MAGIC = b"SDBAK01\n"
_SALT = 16
_TAG = 16
CHUNK = 1 << 20
# scrypt's interactive-login parameters raised once: about 0.1 s and 64 MiB on an office PC.
SCRYPT_N = 1 << 16
SCRYPT_R = 8
SCRYPT_P = 1


class WrongKey(Exception):
    """The file does not open with this key: another password, or changed bytes."""


@dataclass(frozen=True)
class BackupKey:
    key: bytes  # 32 bytes
    salt: bytes
    n: int = SCRYPT_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P

    @property
    def key_id(self) -> str:
        """Names the folder of scans sealed with this key; says nothing about the key itself."""
        return hmac.new(self.key, b"SubsidyDesk backup key id", hashlib.sha256).hexdigest()[:12]

    def describe(self) -> dict[str, object]:
        """What a manifest records so that the password can derive the key again."""
        return {
            "aead": "ChaCha20-Poly1305",
            "kdf": "scrypt",
            "salt": self.salt.hex(),
            "n": self.n,
            "r": self.r,
            "p": self.p,
            "key_id": self.key_id,
        }


def derive(
    password: str, salt: bytes | None = None, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P
) -> BackupKey:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    salt = salt if salt is not None else os.urandom(16)
    key = Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(password.encode("utf-8"))
    return BackupKey(key, salt, n, r, p)


def key_from_manifest(password: str, enc: dict[str, object]) -> BackupKey:
    """The key a set was sealed with, from its manifest's parameters; WrongKey when they are not ours."""
    try:
        n, r, p = (int(str(enc[k])) for k in ("n", "r", "p"))
        salt = bytes.fromhex(str(enc["salt"]))
        # A manifest from a stick is not trusted: scrypt's memory (128·n·r bytes) stays bounded.
        if enc.get("kdf") != "scrypt" or not (1 < n <= 1 << 17) or not (0 < r <= 16) or not (0 < p <= 4):
            raise ValueError("parameters")
        key = derive(password, salt, n, r, p)
    except (KeyError, ValueError, TypeError, MemoryError):
        raise WrongKey from None
    if not hmac.compare_digest(key.key_id, str(enc.get("key_id", ""))):
        raise WrongKey
    return key


def _file_key(key: BackupKey, file_salt: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(hashes.SHA256(), 32, salt=file_salt, info=b"SubsidyDesk backup file v1").derive(key.key)


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def _chunks(src: BinaryIO, size: int) -> Iterator[tuple[bytes, bool]]:
    current = src.read(size)
    while True:
        following = src.read(size)
        yield current, not following
        if not following:
            return
        current = following


def seal(src: BinaryIO, out: BinaryIO, key: BackupKey) -> None:
    """Encrypt the stream `src` into `out` (the caller makes the write atomic)."""
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    header = MAGIC + os.urandom(_SALT)
    aead = ChaCha20Poly1305(_file_key(key, header[len(MAGIC) :]))
    out.write(header)
    for counter, (chunk, last) in enumerate(_chunks(src, CHUNK)):
        out.write(aead.encrypt(_nonce(counter, last), chunk, header))


def unseal(src: BinaryIO, out: BinaryIO, key: BackupKey) -> None:
    """Decrypt `src` into `out`; WrongKey when any byte was changed or the key is another's."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    header = src.read(len(MAGIC) + _SALT)
    if len(header) != len(MAGIC) + _SALT or not header.startswith(MAGIC):
        raise WrongKey
    aead = ChaCha20Poly1305(_file_key(key, header[len(MAGIC) :]))
    try:
        for counter, (chunk, last) in enumerate(_chunks(src, CHUNK + _TAG)):
            out.write(aead.decrypt(_nonce(counter, last), chunk, header))
    except InvalidTag:
        raise WrongKey from None


def unseal_bytes(path: Path, key: BackupKey) -> bytes:
    import io

    out = io.BytesIO()
    with path.open("rb") as src:
        unseal(src, out, key)
    return out.getvalue()
