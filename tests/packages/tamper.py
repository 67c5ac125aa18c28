"""Helpers that damage packages the way a careless copy or an attacker would."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.packages import format as f
from core.packages.keys import raw_public


def members_of(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as zf:
        return [(name, zf.read(name)) for name in zf.namelist()]


def write_zip(path: Path, members: list[tuple[str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for name, data in members:
            zf.writestr(zipfile.ZipInfo(name), data)
    return path


def flip_middle(data: bytes) -> bytes:
    i = len(data) // 2
    return data[:i] + bytes([data[i] ^ 0xFF]) + data[i + 1 :]


def replace(members: list[tuple[str, bytes]], name: str, data: bytes) -> list[tuple[str, bytes]]:
    return [(n, data if n == name else d) for n, d in members]


def resign(
    members: list[tuple[str, bytes]], key: Ed25519PrivateKey, **header_changes: object
) -> list[tuple[str, bytes]]:
    """Change the header and sign again with `key`, as someone holding that key could."""
    content = dict(members)
    header = json.loads(content[f.HEADER])
    header.update(header_changes)
    content[f.HEADER] = f.canonical_json(header)
    payload = {n: d for n, d in content.items() if n not in f.CONTROL_MEMBERS}
    import hashlib

    manifest = f.render_manifest({n: hashlib.sha256(d).hexdigest() for n, d in payload.items()})
    signature = key.sign(f.signed_message(f.KIND_BATCH, content[f.HEADER], manifest))
    return [*payload.items(), (f.MANIFEST, manifest), (f.SIGNATURE, raw_public(key.public_key()) + signature)]
