"""Optional encryption of a package to the county: X25519 + HKDF-SHA256 + ChaCha20-Poly1305.

Used when a package travels over a network or the office wants the stick unreadable if lost.
The signature inside the zip is unchanged; encryption only hides the content.

    magic (8) | ephemeral X25519 public key (32) | chunks

Each chunk is up to 1 MiB of the zip, sealed with a nonce of (counter, last-chunk flag), so
chunks cannot be reordered, dropped or cut off at the end without failing authentication.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from core.packages.errors import PackageRejected
from core.packages.keys import raw_public
from core.packages.writer import CHUNK, fsync_directory, partial_path

MAGIC = b"SDSEAL1\n"
SUFFIX = ".sealed"
_TAG = 16


def is_sealed(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(len(MAGIC)) == MAGIC


def _key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    hkdf = HKDF(hashes.SHA256(), 32, salt=ephemeral + recipient, info=b"SubsidyDesk sealed package v1")
    return hkdf.derive(shared)


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def _chunks(src: BinaryIO, size: int) -> Iterator[tuple[bytes, bool]]:
    """Chunks of a stream, each with whether it is the last (there is always one, maybe empty)."""
    current = src.read(size)
    while True:
        following = src.read(size)
        yield current, not following
        if not following:
            return
        current = following


def seal_file(source: Path, target: Path, recipient: X25519PublicKey) -> str:
    """Encrypt `source` to `target` atomically; returns the sha256 of what was written."""
    ephemeral = X25519PrivateKey.generate()
    eph_raw, rec_raw = raw_public(ephemeral.public_key()), raw_public(recipient)
    aead = ChaCha20Poly1305(_key(ephemeral.exchange(recipient), eph_raw, rec_raw))
    partial = partial_path(target)
    sha = hashlib.sha256()
    try:
        with source.open("rb") as src, partial.open("wb") as out:
            for data in (MAGIC + eph_raw,):
                out.write(data)
                sha.update(data)
            for counter, (chunk, last) in enumerate(_chunks(src, CHUNK)):
                sealed = aead.encrypt(_nonce(counter, last), chunk, MAGIC + eph_raw)
                out.write(sealed)
                sha.update(sealed)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    fsync_directory(target.parent)
    return sha.hexdigest()


def open_sealed(source: Path, target: Path, key: X25519PrivateKey) -> None:
    """Decrypt a sealed package for verification; any change to the file is refused."""
    with source.open("rb") as src, target.open("wb") as out:
        head = src.read(len(MAGIC) + 32)
        if head[: len(MAGIC)] != MAGIC or len(head) != len(MAGIC) + 32:
            raise _refused(source)
        try:
            eph = X25519PublicKey.from_public_bytes(head[len(MAGIC) :])
            shared = key.exchange(eph)
        except ValueError:  # a low-order point (such as all zeros): no key can open it
            raise _refused(source) from None
        aead = ChaCha20Poly1305(_key(shared, head[len(MAGIC) :], raw_public(key.public_key())))
        try:
            for counter, (chunk, last) in enumerate(_chunks(src, CHUNK + _TAG)):
                out.write(aead.decrypt(_nonce(counter, last), chunk, head))
        except InvalidTag:
            target.unlink(missing_ok=True)
            raise _refused(source) from None


def _refused(source: Path) -> PackageRejected:
    return PackageRejected(
        "PKG_SEALED_INVALID",
        f"加密数据包 {source.name} 无法解密：文件被改动、不完整，或不是加密给本县局的。请让报送方重新拷贝。",
    )


def file_sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            sha.update(chunk)
    return sha.hexdigest()
