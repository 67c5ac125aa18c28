"""Damaged and hostile packages for the fuzz tests and bench/fuzz_packages.py (#14).

Two families. Damage on the way: bytes flipped, cut or appended, a member broken, dropped,
renamed or added. Hostile content signed by a trusted key (a county PC with a bug, a stolen
key): the header, a case document, the decisions or the catalog replaced by random JSON —
wrong types, huge or negative numbers, deep nesting — and signed again, so only the checks
after the signature stand between it and the database.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import zipfile
from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.packages import format as f
from core.packages.bag import BAG_INFO, BAGIT, PAYLOAD, TAG_FILES, TAG_MANIFEST, bag_info

Members = list[tuple[str, bytes]]


def read_members(data: bytes) -> tuple[Members, str | None]:
    """The members by the program's names, and the bag's folder (None for version 1)."""
    from core.packages.bag import PackageZip

    zf = PackageZip(io.BytesIO(data))
    return [(n, zf.read(n)) for n in zf.namelist()], zf.base


def write_members(members: Members, base: str | None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            raw = name if base is None else f"{base}/" + (name if name in TAG_FILES else PAYLOAD + name)
            zf.writestr(zipfile.ZipInfo(raw), data)
    return out.getvalue()


def sign(members: Members, key: Ed25519PrivateKey, kind: str, bag: bool) -> Members:
    """Manifest, signature (and for a bag its tag files) made again over the members as they are."""
    content = dict(members)
    skip = TAG_FILES if bag else f.CONTROL_MEMBERS
    payload = {n: d for n, d in content.items() if n not in skip}
    prefix = PAYLOAD if bag else ""
    manifest = f.render_manifest({prefix + n: hashlib.sha256(d).hexdigest() for n, d in payload.items()})
    header = content.get(f.HEADER, b"{}")
    signature = key.public_key().public_bytes_raw() + key.sign(f.signed_message(kind, header, manifest))
    if not bag:
        return [*payload.items(), (f.MANIFEST, manifest), (f.SIGNATURE, signature)]
    try:
        parsed = json.loads(header)
    except (ValueError, RecursionError):
        parsed = {}
    info = bag_info(
        parsed if isinstance(parsed, dict) else {}, f"{sum(map(len, payload.values()))}.{len(payload)}"
    )
    tags = {BAGIT: content.get(BAGIT, b""), f.MANIFEST: manifest, f.HEADER: header, f.SIGNATURE: signature}
    tags[BAG_INFO] = info
    tags[TAG_MANIFEST] = f.render_manifest({n: hashlib.sha256(d).hexdigest() for n, d in tags.items()})
    return [*payload.items(), *tags.items()]


def random_json(rng: random.Random, depth: int = 0) -> Any:
    """A JSON value of any shape, with the values that break careless code."""
    leaves: list[Callable[[], Any]] = [
        lambda: None, lambda: True, lambda: False, lambda: rng.randint(-(10**20), 10**20), lambda: -1, lambda: 0,
        lambda: 2**63, lambda: rng.random() * 1e308, lambda: "", lambda: "x" * rng.randint(1, 5000),
        lambda: "2024-13-45", lambda: "2024-06-01T08:00:00+08:00", lambda: "../../etc/passwd",
        lambda: "\u0000\ud7ff①²ｘ", lambda: "00000000-0000-4000-8000-000000000000",
    ]  # fmt: skip
    if depth > 3 or rng.random() < 0.5:
        return rng.choice(leaves)()
    if rng.random() < 0.5:
        return [random_json(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    keys = [
        "uuid",
        "status",
        "amount_fen",
        "approved_fen",
        "paid_fen",
        "paid_on",
        "case",
        "cases",
        "number",
        "x",
    ]
    return {rng.choice(keys): random_json(rng, depth + 1) for _ in range(rng.randint(0, 5))}


def deep(n: int = 100_000) -> bytes:
    return b"[" * n + b"]" * n


def hostile(members: Members, key: Ed25519PrivateKey, kind: str, bag: bool, rng: random.Random) -> Members:
    """One member's JSON changed at random and everything signed again with the trusted key."""
    content = dict(members)
    json_members = [n for n in content if n.endswith(".json")]
    name = rng.choice(json_members)
    choice = rng.random()
    if choice < 0.1:
        content[name] = deep() if rng.random() < 0.5 else b"\xff\xfe not json"
    else:
        try:
            doc = json.loads(content[name])
        except (ValueError, RecursionError):
            doc = {}
        content[name] = json.dumps(_change(doc, rng), ensure_ascii=False).encode("utf-8")
    return sign(list(content.items()), key, kind, bag)


def _change(doc: Any, rng: random.Random) -> Any:
    """Walk to a random place of the document and replace (or drop) what is there."""
    if not isinstance(doc, dict | list) or not doc or rng.random() < 0.2:
        return random_json(rng)
    if isinstance(doc, list):
        i = rng.randrange(len(doc))
        doc[i] = _change(doc[i], rng)
        return doc
    field = rng.choice(list(doc))
    if rng.random() < 0.15:
        del doc[field]
    else:
        doc[field] = _change(doc[field], rng)
    return doc


def damaged(data: bytes, rng: random.Random) -> bytes:
    """Damage on the way: flipped, cut or appended bytes, or a member broken, dropped or added."""
    kind = rng.choice(["flip", "cut", "append", "member", "drop", "extra", "rename"])
    if kind == "flip":
        out = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            out[rng.randrange(len(out))] = rng.randrange(256)
        return bytes(out)
    if kind == "cut":
        return data[: rng.randrange(len(data))]
    if kind == "append":
        return data + bytes(rng.randrange(256) for _ in range(rng.randint(1, 300)))
    members, base = read_members(data)
    i = rng.randrange(len(members))
    name, body = members[i]
    if kind == "member":
        flipped = bytearray(body or b"\0")
        flipped[rng.randrange(len(flipped))] ^= 1 + rng.randrange(255)
        members[i] = (name, bytes(flipped))
    elif kind == "drop":
        del members[i]
    elif kind == "extra":
        members.append((rng.choice(["cases/x.json", "attachments/zz", "../up", "header.json"]), body))
    else:
        members[i] = (name + rng.choice(["x", "/y", ".bak"]), body)
    return write_members(members, base)


def mutate(data: bytes, key: Ed25519PrivateKey, kind: str, rng: random.Random) -> bytes:
    """One bad package: half damaged on the way, half hostile content signed by the trusted key."""
    if rng.random() < 0.5:
        return damaged(data, rng)
    members, base = read_members(data)
    return write_members(hostile(members, key, kind, base is not None, rng), base)
