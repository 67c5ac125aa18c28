"""One backup run: one snapshot of the database, written to every target, each told apart.

The data folder's own `backups/` is always written (it guards against mistakes and a damaged
file); a second target (a USB stick, another disk) guards against a dead disk. A second target
that is not there (the stick not plugged in) or cannot be written is reported in the run's
outcome, never raised: the backup to the other target still counts.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from core.backups.config import load_config
from core.backups.crypt import BackupKey
from core.backups.layout import BackupError, BackupInfo, primary_target, remove_partials
from core.backups.rotation import rotate
from core.backups.snapshot import CheckFailed, check_database, take_snapshot
from core.backups.write import Progress, Source, space_message, write_set
from core.db.engine import DB_FILENAME
from core.instance import InstanceLock
from core.policy.installed import INSTALLED_DIRNAME

TARGET_LOCK = ".subsidydesk-backup.lock"
RUN_LOCK = "subsidydesk.backup.lock"  # one backup or restore at a time per data folder
SNAPSHOT_PREFIX = ".backup-work-"
LOCK_WAIT_S = 30.0


@dataclass(frozen=True)
class TargetOutcome:
    target: Path
    info: BackupInfo | None  # the set written, None when this target failed
    problem: str = ""  # why not, in Chinese


@dataclass(frozen=True)
class BackupRun:
    created_at: dt.datetime
    case_count: int
    outcomes: list[TargetOutcome] = field(default_factory=list)

    @property
    def written(self) -> list[BackupInfo]:
        return [o.info for o in self.outcomes if o.info is not None]

    @property
    def problems(self) -> list[str]:
        return [o.problem for o in self.outcomes if o.problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def make_backup(
    data_dir: Path, kind: str, now: dt.datetime | None = None, progress: Progress | None = None
) -> BackupRun:
    """Back the data folder up to each target; BackupError only when no snapshot could be taken."""
    with run_lock(data_dir):
        return backup_locked(data_dir, kind, now, progress)


@contextlib.contextmanager
def run_lock(data_dir: Path) -> Iterator[None]:
    """One backup or restore at a time in a data folder (a window and a command-line job)."""
    lock = InstanceLock(data_dir, RUN_LOCK)
    if not lock.acquire(wait_s=LOCK_WAIT_S):
        raise BackupError("BACKUP_BUSY", "另一个 SubsidyDesk 程序正在备份或恢复这个数据文件夹，请稍后再试。")
    with lock:
        remove_snapshots(data_dir)
        yield


def backup_locked(
    data_dir: Path,
    kind: str,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    primary_only: bool = False,
) -> BackupRun:
    """make_backup, for a caller that holds run_lock: a restore's safety backup, which goes to
    the data folder's target only and rotates nothing (the set being restored must stay)."""
    now = (now or dt.datetime.now()).replace(microsecond=0)
    config = load_config(data_dir)
    primary = primary_target(data_dir)
    primary.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=SNAPSHOT_PREFIX, dir=data_dir) as tmp:
        snapshot = Path(tmp) / DB_FILENAME
        try:
            facts = take_snapshot(data_dir / DB_FILENAME, snapshot)
        except OSError as exc:
            raise BackupError("BACKUP_NO_SPACE", space_message(data_dir, exc, _size(data_dir))) from exc
        except (sqlite3.DatabaseError, UnicodeDecodeError):  # the latter: SQLite quoting a damaged name
            raise source_damaged(data_dir) from None
        try:
            check_database(snapshot, facts)  # the full check before each backup
        except CheckFailed:
            raise source_damaged(data_dir) from None
        source = Source(snapshot, facts, data_dir / "attachments", now, kind, data_dir / INSTALLED_DIRNAME)
        targets = [primary] if primary_only else [primary, *config.second_targets]
        outcomes = [_to_target(t, source, config.key, Path(tmp), progress, not primary_only) for t in targets]
    return BackupRun(now, facts.case_count, outcomes)


def source_damaged(data_dir: Path) -> BackupError:
    return BackupError(
        "BACKUP_SOURCE_DAMAGED",
        f"数据库文件 {data_dir / DB_FILENAME} 已损坏（完整性检查未通过），不能再用它做备份，以免覆盖好的备份。"
        "请用最近一次完好的备份恢复（设置 → 备份与恢复），或联系县局技术人员。",
    )


def remove_snapshots(data_dir: Path) -> None:
    """Snapshots left in the data folder by a killed backup or restore (run under RUN_LOCK)."""
    for leftover in data_dir.glob(SNAPSHOT_PREFIX + "*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _to_target(
    target: Path,
    source: Source,
    key: BackupKey | None,
    scratch: Path,
    progress: Progress | None,
    rotating: bool,
) -> TargetOutcome:
    if not target.is_dir():  # the data folder's own target was made above: a second one is missing
        return TargetOutcome(
            target, None, f"备份位置 {target} 不存在（U盘没有插上，或盘符变了），这次没有备份到那里。"
        )
    lock = InstanceLock(target, TARGET_LOCK)
    try:
        if not lock.acquire(wait_s=LOCK_WAIT_S):
            return TargetOutcome(
                target, None, f"备份位置 {target} 正由另一个 SubsidyDesk 程序备份，这次没有备份到那里。"
            )
        with lock:
            remove_partials(target)
            info = write_set(target, source, key, scratch, progress)
            if rotating:
                rotate(target)
    except BackupError as exc:
        return TargetOutcome(target, None, exc.message_zh)
    except OSError as exc:
        return TargetOutcome(target, None, space_message(target, exc, _needed(source)))
    return TargetOutcome(target, info)


def _size(data_dir: Path) -> int:
    try:
        return (data_dir / DB_FILENAME).stat().st_size
    except OSError:
        return 0


def _needed(source: Source) -> int:
    return source.snapshot.stat().st_size + sum(p.stat().st_size for p in source.scans.glob("??/*"))


def free_bytes(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None
