"""Building a county catalog update: the current catalog file with the county's changes.

The result is a whole catalog file (docs/catalog-format.md "Catalog updates"): an extension of
the policy's validity appended to `policy_period.extensions`, the county's reading choices and
parameter values in `county`, or, for a structural change, a replacement file. It gets a new
version (the county's updates count on in a fourth part: 1.1.0 → 1.1.0.1 → 1.1.0.2) and must
load without a single error, and pass `core.policy.check` where the seed documents are at hand.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.policy import model as m
from core.policy.check import check_file, seeds_dir
from core.policy.errors import CatalogError
from core.policy.installed import newer, version_key
from core.policy.loader import read_catalog

ParameterValues = Mapping[str, int | Mapping[str, int]]


@dataclass(frozen=True)
class ExtensionInput:
    """The county's later notice that extends the policy: its number, date, issuer and words."""

    end: dt.date
    document_number: str
    issued_on: dt.date
    issuer: str
    section: str
    text: str


@dataclass(frozen=True)
class UpdateChanges:
    """What one update changes; None keeps what the current catalog has."""

    extension: ExtensionInput | None = None
    readings: Mapping[str, str] | None = None  # the whole choice: reading id -> alternative id
    parameters: ParameterValues | None = None  # the whole set of the county's values
    replacement: bytes | None = None  # a catalog file for a structural change

    @property
    def empty(self) -> bool:
        return self == UpdateChanges()


class UpdateRefused(Exception):
    """The update cannot be built: `problems` says why, in Chinese, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def next_version(version: str) -> str:
    parts = list(version_key(version))
    if len(parts) >= 4:
        parts[-1] += 1
    else:
        parts = [*parts, *([0] * (3 - len(parts))), 1]
    return ".".join(map(str, parts))


def catalog_bytes(raw: Mapping[str, Any]) -> bytes:
    """A catalog file as the county writes it: UTF-8, Chinese as is, two-space indent."""
    return (json.dumps(raw, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def build(current: m.Catalog, changes: UpdateChanges) -> tuple[bytes, m.Catalog]:
    """The updated catalog file and the catalog it loads as; UpdateRefused lists every problem."""
    raw = _base(current, changes)
    if changes.extension is not None:
        _extend(raw, changes.extension)
    county = dict(raw.get("county") or {})
    if changes.readings is not None:
        county["readings"] = dict(sorted(changes.readings.items()))
    if changes.parameters is not None:
        county["parameters"] = {k: _plain(v) for k, v in sorted(changes.parameters.items())}
    county = {k: v for k, v in county.items() if v}
    if county:
        raw["county"] = county
    else:
        raw.pop("county", None)
    data = catalog_bytes(raw)
    return data, checked(data, current.id)


def _base(current: m.Catalog, changes: UpdateChanges) -> dict[str, Any]:
    original = json.loads(Path(current.path).read_text(encoding="utf-8"))
    if changes.replacement is None:
        raw = copy.deepcopy(original)
        raw["version"] = next_version(current.version)
        return raw
    try:
        raw = json.loads(changes.replacement.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise UpdateRefused(["所选的目录文件不是有效的 JSON 文件（UTF-8）。"]) from None
    if not isinstance(raw, dict) or raw.get("id") != current.id:
        raise UpdateRefused([f"所选的目录文件不是“{current.short_name or current.title}”的目录。"])
    version = str(raw.get("version", ""))
    if not newer(version, current.version):
        raise UpdateRefused([f"所选目录文件的版本（{version}）应高于现用版本（{current.version}）。"])
    if "county" not in raw and "county" in original:  # the county's choices carry over
        raw["county"] = original["county"]
    return raw


def _extend(raw: dict[str, Any], ext: ExtensionInput) -> None:
    period = raw.setdefault("policy_period", {})
    clause = {"section": ext.section, "text": ext.text}
    entry = {"to": ext.end.isoformat(), "document_number": ext.document_number,
             "issued_on": ext.issued_on.isoformat(), "issuer": ext.issuer, "clause": clause}  # fmt: skip
    period["extensions"] = [*period.get("extensions", []), entry]


def _plain(value: int | Mapping[str, int]) -> int | dict[str, int]:
    return value if isinstance(value, int) else dict(sorted(value.items()))


def checked(data: bytes, catalog_id: str) -> m.Catalog:
    """Load the file as the program would, with the check command's verbatim test when possible."""
    with tempfile.TemporaryDirectory(prefix="catalog-update-") as folder:
        path = Path(folder) / f"{catalog_id}.json"
        path.write_bytes(data)
        seeds = seeds_dir() if seeds_dir().is_dir() else None
        errors = check_file(path, seeds)
        catalog, _ = read_catalog(path)
    if errors or catalog is None:
        raise UpdateRefused([_line(e) for e in errors] or ["目录文件无法读取。"])
    return catalog


def _line(e: CatalogError) -> str:
    return e.message_zh  # the field path is a program word; the message names the field
