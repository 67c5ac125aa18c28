"""Catalogs installed from county updates: `<data folder>/policies/`, beside the shipped ones.

A county update installs a newer version of a catalog into the data folder; the program's own
files (resources/policies/) are never overwritten. For each catalog id the higher version
wins, shipped or installed, so a later program release that ships a newer version takes over.

Which data folder's catalogs apply is the one the current use case works on: core/app's
unit of work and reading set it (`using_data_folder`) for their duration, so every
`core.policy.service.get_catalog` inside them sees that office's catalogs, in any thread.
Outside them, the data folder the program opened applies (`set_process_data_folder`, from
core/app/storage.open_data).
Kept free of heavy imports: the main window's banner reads the files' dates with it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

INSTALLED_DIRNAME = "policies"
REPLACED_DIRNAME = "replaced"  # earlier installed versions, kept for the record

_installed: ContextVar[Path | None] = ContextVar("installed_catalogs", default=None)
# The data folder this program opened (one window per data folder): what applies outside a
# use case's unit of work (the wizard's subsidy list, the first window's names).
_process_dir: Path | None = None
_DIGITS = re.compile(r"\d+")


def installed_dir(data_dir: Path) -> Path:
    return data_dir / INSTALLED_DIRNAME


@contextmanager
def using_data_folder(data_dir: Path) -> Iterator[None]:
    """Within the block, the catalogs installed in `data_dir` apply (nested blocks stack)."""
    token = _installed.set(installed_dir(data_dir))
    try:
        yield
    finally:
        _installed.reset(token)


def set_process_data_folder(data_dir: Path | None) -> None:
    global _process_dir
    _process_dir = installed_dir(data_dir) if data_dir is not None else None


def process_data_folder() -> Path | None:
    return _process_dir.parent if _process_dir is not None else None


def current_installed_dir() -> Path | None:
    """The installed catalogs that apply here: the use case's data folder, else the program's."""
    return _installed.get() or _process_dir


def version_key(version: str) -> tuple[int, ...]:
    """'1.1.0.2' -> (1, 1, 0, 2): versions compare by their numbers, part by part."""
    return tuple(int(x) for x in _DIGITS.findall(version)) or (0,)


def newer(a: str, b: str) -> bool:
    """Is version `a` later than version `b`?"""
    return version_key(a) > version_key(b)


def read_head(path: Path) -> dict[str, Any] | None:
    """A catalog file's JSON without the checks (id, version, dates); None if unreadable."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return raw if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None


def effective_files(shipped: Path, data_dir: Path | None) -> dict[str, Path]:
    """For each catalog id, the file of its highest version among shipped and installed files."""
    found: dict[str, tuple[tuple[int, ...], Path]] = {}
    folders = [shipped] + ([installed_dir(data_dir)] if data_dir is not None else [])
    for folder in folders:
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            head = read_head(path)
            if head is None:
                continue
            key = version_key(str(head.get("version", "")))
            if head["id"] not in found or key > found[head["id"]][0]:
                found[head["id"]] = (key, path)
    return {cid: path for cid, (_, path) in found.items()}


def effective_file(shipped: Path, data_dir: Path | None, catalog_id: str) -> Path | None:
    """The file of the highest version of one catalog (a file is named by its catalog's id)."""
    best: tuple[tuple[int, ...], Path] | None = None
    folders = [shipped] + ([installed_dir(data_dir)] if data_dir is not None else [])
    for path in (folder / f"{catalog_id}.json" for folder in folders):
        head = read_head(path) if path.is_file() else None
        if head is None or head["id"] != catalog_id:
            continue
        key = version_key(str(head.get("version", "")))
        if best is None or key > best[0]:
            best = (key, path)
    return best[1] if best else None
