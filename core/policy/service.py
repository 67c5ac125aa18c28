"""What main.py's subcommands call: `catalogs`, `catalog-report ID`, `assess CASE.json`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.policy import model as m
from core.policy.assessment import Assessment
from core.policy.case import case_from_document
from core.policy.engine import assess
from core.policy.errors import CaseInputError, CatalogError
from core.policy.installed import current_installed_dir, version_key
from core.policy.loader import catalog_dir, load_all

_cache: dict[str, tuple[tuple[tuple[str, int, int], ...], list[m.Catalog], list[CatalogError]]] = {}


@dataclass(frozen=True)
class CatalogSummary:
    id: str
    version: str
    short_name: str
    title: str
    document_number: str
    subsidies: int
    content_hash: str


def _fingerprint(folder: Path) -> tuple[tuple[str, int, int], ...]:
    return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.glob("*.json")))


def load_catalogs(directory: Path | None = None) -> tuple[list[m.Catalog], list[CatalogError]]:
    """All catalogs of the directory, re-read only when a file changed.

    Without a directory: the program's own catalogs, and those a county update installed in
    the data folder of the current use case (core/policy/installed.py); for each id the
    higher version applies.
    """
    if directory is not None:
        return _load_folder(directory)
    shipped, errors = _load_folder(catalog_dir())
    installed = current_installed_dir()
    if installed is None or not installed.is_dir():
        return shipped, errors
    extra, extra_errors = _load_folder(installed)
    return _merge(shipped, extra), errors + extra_errors


def _merge(shipped: list[m.Catalog], installed: list[m.Catalog]) -> list[m.Catalog]:
    chosen = {c.id: c for c in shipped}
    for c in installed:
        if c.id not in chosen or version_key(c.version) > version_key(chosen[c.id].version):
            chosen[c.id] = c
    return sorted(chosen.values(), key=lambda c: c.id)


def _load_folder(folder: Path) -> tuple[list[m.Catalog], list[CatalogError]]:
    key = str(folder)
    stamp = _fingerprint(folder) if folder.is_dir() else ()
    cached = _cache.get(key)
    if cached is None or cached[0] != stamp:
        catalogs, errors = load_all(folder) if folder.is_dir() else ([], [])
        _cache[key] = (stamp, catalogs, errors)
    return _cache[key][1], _cache[key][2]


def catalogs_by_id(directory: Path | None = None) -> dict[str, m.Catalog]:
    return {c.id: c for c in load_catalogs(directory)[0]}


def list_catalogs(directory: Path | None = None) -> tuple[list[CatalogSummary], list[CatalogError]]:
    """Summaries of the loadable catalogs, and the errors of those that failed to load."""
    catalogs, errors = load_catalogs(directory)
    rows = [
        CatalogSummary(
            c.id, c.version, c.short_name, c.title, c.document_number, len(c.subsidies), c.content_hash
        )
        for c in catalogs
    ]
    return rows, errors


def get_catalog(catalog_id: str, directory: Path | None = None) -> m.Catalog:
    catalog = catalogs_by_id(directory).get(catalog_id)
    if catalog is None:
        known = "、".join(catalogs_by_id(directory)) or "（无）"
        raise CaseInputError(
            "CASE_UNKNOWN_CATALOG", f"找不到政策目录“{catalog_id}”。已安装的目录：{known}。", "catalog"
        )
    return catalog


def catalog_report(catalog_id: str, fmt: str = "markdown", directory: Path | None = None) -> str:
    from core.policy.report import render_report

    return render_report(get_catalog(catalog_id, directory), fmt)


def assess_document(doc: Mapping[str, Any], directory: Path | None = None) -> Assessment:
    """Assess a JSON case document; raises CaseInputError for a case that cannot be read."""
    catalogs = catalogs_by_id(directory)
    catalog_id, subsidy_id, case = case_from_document(doc, catalogs)
    return assess(catalogs[catalog_id], subsidy_id, case)


def forget_cached(folder: Path) -> None:
    """Read `folder` again next time (after installing a file there, whatever its timestamps)."""
    _cache.pop(str(folder), None)
