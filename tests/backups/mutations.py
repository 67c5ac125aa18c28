"""Damaged and foreign backup sets for the fuzzing of restore (tests/backups/test_fuzz_restore.py,
bench/fuzz_backups.py): bytes flipped or cut in each file, files removed, the manifest broken or
with any field replaced, a damaged database whose checksum was forged to match."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from core.backups.layout import MANIFEST, stored_file_sha256

ODD_VALUES: list[Any] = [None, -1, 0, 2**70, "", "x" * 300, [], {}, [1, 2], True, 1.5, "../../etc", "../x"]


def _flip(path: Path, rng: random.Random) -> None:
    data = bytearray(path.read_bytes())
    if not data:
        path.write_bytes(rng.randbytes(rng.randrange(1, 64)))
        return
    for _ in range(rng.randrange(1, 8)):
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    path.write_bytes(bytes(data))


def _cut(path: Path, rng: random.Random) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: rng.randrange(len(data) + 1)])


def _files(set_dir: Path, manifest: dict[str, Any]) -> list[Path]:
    scans = set_dir.parent / str(manifest["scans"]["folder"])
    return [set_dir / manifest["database"]["file"], *(scans / s[:2] / s for s in manifest["scans"]["files"])]


def _leaves(doc: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(doc, dict):
        return [p for k, v in doc.items() for p in _leaves(v, (*path, k))] or [path]
    if isinstance(doc, list):
        return [p for i, v in enumerate(doc) for p in _leaves(v, (*path, i))] or [path]
    return [path]


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> None:
    for key in path[:-1]:
        doc = doc[key]
    if path:
        doc[path[-1]] = value


def mutate(set_dir: Path, rng: random.Random) -> str:
    """Damage the set in place; returns the kind of damage (for the bench's counts)."""
    manifest = json.loads((set_dir / MANIFEST).read_text(encoding="utf-8"))
    files = [f for f in _files(set_dir, manifest) if f.exists()]
    kind = rng.choice(
        ["flip", "cut", "remove", "manifest-bytes", "manifest-field", "forged", "deep", "drop-key"]
    )
    if kind in ("flip", "cut", "remove"):
        target = rng.choice(files)
        if kind == "flip":
            _flip(target, rng)
        elif kind == "cut":
            _cut(target, rng)
        else:
            target.unlink()
    elif kind == "manifest-bytes":
        (_flip if rng.random() < 0.5 else _cut)(set_dir / MANIFEST, rng)
    elif kind == "deep":
        (set_dir / MANIFEST).write_text("[" * 100_000 + "]" * 100_000)
    else:
        if kind == "manifest-field":
            _set(manifest, rng.choice(_leaves(manifest)), rng.choice(ODD_VALUES))
        elif kind == "drop-key":
            path = rng.choice(_leaves(manifest))
            if path:
                parent: Any = manifest
                for key in path[:-1]:
                    parent = parent[key]
                del parent[path[-1]]
        else:  # the database damaged, and its checksum made to match
            db = set_dir / manifest["database"]["file"]
            _flip(db, rng)
            manifest["database"]["sha256"] = stored_file_sha256(db)
        (set_dir / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    return kind
