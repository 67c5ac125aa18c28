"""Helpers that damage packages the way a careless copy or an attacker would.

Members are handled by the names used inside the program (`cases/<uuid>.json`, `header.json`),
for both formats: a BagIt bag (version 2, core/packages/bag.py) is read through PackageZip and
written back as a bag, in a folder named after the new file.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.packages import format as f
from core.packages.bag import BAG_INFO, BAGIT, PAYLOAD, TAG_FILES, TAG_MANIFEST, bag_info, open_package
from core.packages.keys import raw_public

Members = list[tuple[str, bytes]]


def members_of(path: Path) -> Members:
    with open_package(path) as zf:
        return [(name, zf.read(name)) for name in zf.namelist()]


def is_bag(members: Members) -> bool:
    return any(n == BAGIT for n, _ in members)


def write_zip(path: Path, members: Members) -> Path:
    base = path.name.removesuffix(".zip") + "/"
    bag = is_bag(members)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for name, data in members:
            raw = name if not bag else base + (name if name in TAG_FILES else PAYLOAD + name)
            zf.writestr(zipfile.ZipInfo(raw), data)
    return path


def flip_middle(data: bytes) -> bytes:
    i = len(data) // 2
    return data[:i] + bytes([data[i] ^ 0xFF]) + data[i + 1 :]


def replace(members: Members, name: str, data: bytes) -> Members:
    return [(n, data if n == name else d) for n, d in members]


def resign(members: Members, key: Ed25519PrivateKey, **header_changes: object) -> Members:
    """Change the header and sign again with `key`, as someone holding that key could.

    The manifest (and for a bag, bag-info.txt and the tag manifest) is made again from the
    members, so only the signature and the content checks stand between it and the county.
    """
    content = dict(members)
    header = json.loads(content[f.HEADER])
    header.update(header_changes)
    content[f.HEADER] = f.canonical_json(header)
    if not is_bag(members):
        payload = {n: d for n, d in content.items() if n not in f.CONTROL_MEMBERS}
        manifest = f.render_manifest({n: hashlib.sha256(d).hexdigest() for n, d in payload.items()})
        signature = key.sign(f.signed_message(f.KIND_BATCH, content[f.HEADER], manifest))
        return [
            *payload.items(),
            (f.MANIFEST, manifest),
            (f.SIGNATURE, raw_public(key.public_key()) + signature),
        ]
    payload = {n: d for n, d in content.items() if n not in TAG_FILES}
    manifest = f.render_manifest({PAYLOAD + n: hashlib.sha256(d).hexdigest() for n, d in payload.items()})
    signature = key.sign(f.signed_message(f.KIND_BATCH, content[f.HEADER], manifest))
    oxum = f"{sum(len(d) for d in payload.values())}.{len(payload)}"
    tags = {
        BAGIT: content[BAGIT],
        f.MANIFEST: manifest,
        f.HEADER: content[f.HEADER],
        f.SIGNATURE: raw_public(key.public_key()) + signature,
        BAG_INFO: bag_info(header, oxum),
    }
    tags[TAG_MANIFEST] = f.render_manifest({n: hashlib.sha256(d).hexdigest() for n, d in tags.items()})
    return [*payload.items(), *tags.items()]
