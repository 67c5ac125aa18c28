"""Which sets a target keeps: 7 daily, 4 weekly, 12 monthly, and the last safety backups.

Counted in days, weeks and months that have a backup (not calendar days back from today), so
an office closed over the Spring Festival does not come back to find its older backups gone.
The newest set of each such day, ISO week and month is kept; so is the newest set of all, and
the three newest safety backups made before a restore (they hold what the restore replaced).
A set is removed by renaming it to a hidden name first, so a kill never leaves a half-deleted
folder that still looks like a backup. Scans no kept set names are removed last.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Hashable
from pathlib import Path

from core.backups.layout import KIND_SAFETY, PARTIAL_SUFFIX, BackupInfo, is_sha256, list_sets

DAILY, WEEKLY, MONTHLY, SAFETY = 7, 4, 12, 3


def to_keep(sets: list[BackupInfo]) -> set[Path]:
    newest_first = sorted(sets, key=lambda i: i.created_at, reverse=True)
    keep = {i.path for i in newest_first[:1]}
    keep |= _newest_per(newest_first, lambda i: i.created_at.date(), DAILY)
    keep |= _newest_per(newest_first, lambda i: i.created_at.isocalendar()[:2], WEEKLY)
    keep |= _newest_per(newest_first, lambda i: (i.created_at.year, i.created_at.month), MONTHLY)
    keep |= {i.path for i in [s for s in newest_first if s.kind == KIND_SAFETY][:SAFETY]}
    return keep


def _newest_per(
    newest_first: list[BackupInfo], period: Callable[[BackupInfo], Hashable], count: int
) -> set[Path]:
    seen: dict[Hashable, Path] = {}
    for info in newest_first:
        key = period(info)
        if key not in seen:
            if len(seen) == count:
                break
            seen[key] = info.path
    return set(seen.values())


def rotate(target: Path) -> list[Path]:
    """Remove the sets past the rotation and the scans no remaining set names; returns the sets removed."""
    sets = list_sets(target)
    keep = to_keep(sets)
    removed = []
    for info in sets:
        if info.path not in keep:
            doomed = info.path.with_name(f".{info.path.name}.removing{PARTIAL_SUFFIX}")
            info.path.rename(doomed)
            shutil.rmtree(doomed, ignore_errors=True)
            removed.append(info.path)
    if removed:
        _remove_unnamed_scans(target, [i for i in sets if i.path in keep])
    return removed


def _remove_unnamed_scans(target: Path, kept: list[BackupInfo]) -> None:
    named = {(i.manifest["scans"]["folder"], sha) for i in kept for sha in i.scan_hashes}
    for folder in target.glob("scans*"):
        for path in folder.glob("??/*"):
            if is_sha256(path.name) and (folder.name, path.name) not in named:
                path.unlink(missing_ok=True)
