"""Restoring a backup set: checked whole first, the current state backed up, then swapped in.

1. The set is read and checked as a whole before anything is touched: its manifest, the
   password, the database (integrity_check, opened by the program, the case count), every scan
   re-hashed, the office it belongs to. Any failure is a BackupError and nothing has changed.
2. A safety backup of the current state goes to the data folder's own target (a damaged
   current database, which cannot be backed up, is moved aside under backups/ instead).
3. The scans the data folder lacks are copied into its store (content-addressed: adding one
   changes nothing that was there).
4. The checked database, brought to this program's schema, replaces the current file in one
   atomic rename, after the current file was checkpointed out of WAL mode so that no -wal file
   of the old database is ever applied to the new one. Killed at any moment, the next start
   finds the old database whole or the restored one whole.
5. The folder is opened again as the program opens it and the case count compared.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from core.backups import crypt
from core.backups.config import load_config
from core.backups.crypt import BackupKey
from core.backups.layout import (
    KIND_SAFETY,
    BackupError,
    BackupInfo,
    damaged,
    info_from,
    primary_target,
    read_manifest,
    scan_path,
)
from core.backups.run import SNAPSHOT_PREFIX, backup_locked, run_lock
from core.backups.snapshot import CheckFailed, Facts, check_database, read_facts
from core.backups.write import (
    Progress,
    _write_file,
    checked_policies,
    fsync_directory,
    open_plain,
    read_scan_sha256,
)
from core.db.engine import DB_FILENAME, open_database
from core.db.migrate import _known_revisions, upgrade_to_head
from core.policy.installed import INSTALLED_DIRNAME

# Called with the checked candidate file, already at this program's schema, before it is
# swapped in: core/app writes the restore's audit event into it there.
BeforeSwap = Callable[[Path], None]


@dataclass(frozen=True)
class RestoreReport:
    restored: BackupInfo
    case_count: int
    safety: BackupInfo | None  # the backup of what was replaced
    set_aside: Path | None  # a damaged current database moved aside instead
    scans_added: int


def load_set(set_dir: Path) -> BackupInfo:
    """The set at `set_dir`, or BackupError saying why it is not a backup this program restores."""
    info = info_from(set_dir, read_manifest(set_dir))
    if info.schema not in _known_revisions():
        raise BackupError(
            "BACKUP_TOO_NEW",
            f"备份 {set_dir.name} 由更新版本的 SubsidyDesk 制作，本程序无法恢复它。请安装最新版本的程序后再恢复。",
        )
    return info


def key_for(data_dir: Path, info: BackupInfo, password: str | None) -> BackupKey | None:
    """The key a set was sealed with: this PC's, or the one the password derives."""
    enc = info.manifest.get("encryption")
    if not isinstance(enc, dict):
        return None
    stored = load_config(data_dir).key
    if stored is not None and stored.key_id == enc.get("key_id"):
        return stored
    if not password:
        raise BackupError(
            "BACKUP_PASSWORD_NEEDED",
            f"备份 {info.path.name} 是加密的：请输入制作这个备份时设置的备份密码。",
        )
    try:
        return crypt.key_from_manifest(password, enc)
    except crypt.WrongKey:
        raise BackupError(
            "BACKUP_WRONG_PASSWORD",
            f"备份密码不对，无法打开备份 {info.path.name}。请输入制作这个备份时的备份密码。",
        ) from None


def check_office(data_dir: Path, info: BackupInfo) -> None:
    """A backup of another office is refused when this folder already belongs to an office."""
    try:
        current = read_facts(data_dir / DB_FILENAME)
    except (sqlite3.DatabaseError, OSError, UnicodeDecodeError):
        return  # no usable current database: nothing it could be confused with
    same_code = not current.office_code or not info.office_code or current.office_code == info.office_code
    same_name = not current.office_name or not info.office_name or current.office_name == info.office_name
    if not (same_code and same_name):
        raise BackupError(
            "BACKUP_OTHER_OFFICE",
            f"备份 {info.path.name} 是“{info.office_name or info.office_code}”的备份，"
            f"不是本所（{current.office_name or current.office_code}）的，不能恢复到这里，没有做任何改动。",
        )


def restore(
    data_dir: Path,
    set_dir: Path,
    password: str | None = None,
    before_swap: BeforeSwap | None = None,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> RestoreReport:
    """Restore `set_dir` into `data_dir`. The caller has closed its own connections to the file."""
    info = load_set(set_dir)
    key = key_for(data_dir, info, password)
    check_office(data_dir, info)
    with run_lock(data_dir), tempfile.TemporaryDirectory(prefix=SNAPSHOT_PREFIX, dir=data_dir) as tmp:
        work = Path(tmp)
        candidate = _checked_candidate(info, key, work, progress)
        policies = checked_policies(info)
        upgrade_to_head(candidate)
        if before_swap is not None:
            before_swap(candidate)
        single_file(candidate)
        safety, aside = _keep_current(data_dir, now)
        added = _add_scans(info, key, data_dir / "attachments", progress)
        _add_policies(policies, data_dir / INSTALLED_DIRNAME)
        _swap_in(candidate, data_dir / DB_FILENAME)
    db = open_database(data_dir)
    try:
        count = read_facts(db.path).case_count
    finally:
        db.close()
    return RestoreReport(info, count, safety, aside, added)


def _checked_candidate(
    info: BackupInfo, key: BackupKey | None, work: Path, progress: Progress | None
) -> Path:
    from core.backups.layout import check_stored

    check_stored(info)
    folder = work / "candidate"
    folder.mkdir()
    candidate = folder / DB_FILENAME
    open_plain(info.database_file, candidate, key, info.path)
    try:
        expected = Facts(info.case_count, info.office_name, info.office_code, info.schema)
        check_database(candidate, expected, every_row=True)
    except CheckFailed as exc:
        raise damaged(info.path, str(exc)) from None
    for sha in info.scan_hashes:
        path = scan_path(info.scan_folder, sha)
        if read_scan_sha256(path, key) != sha:
            raise damaged(info.path, f"扫描件 {sha[:12]}… 的内容与校验值不符")
        if progress:
            progress(path.stat().st_size)
    single_file(candidate)
    return candidate


def single_file(path: Path) -> None:
    """Out of WAL mode, so the file holds everything and no -wal is left beside it."""
    con = sqlite3.connect(str(path), timeout=3)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        if con.execute("PRAGMA journal_mode=DELETE").fetchone()[0].lower() != "delete":
            raise sqlite3.OperationalError("database is locked")
    finally:
        con.close()


def _keep_current(data_dir: Path, now: dt.datetime | None) -> tuple[BackupInfo | None, Path | None]:
    current = data_dir / DB_FILENAME
    if not current.exists():
        return None, None
    try:
        run = backup_locked(data_dir, KIND_SAFETY, now, primary_only=True)
    except BackupError as exc:
        if exc.code != "BACKUP_SOURCE_DAMAGED":
            raise
        return None, _set_aside(data_dir, now)
    if not run.written:
        raise BackupError(
            "BACKUP_SAFETY_FAILED",
            "恢复前没能先备份当前数据（" + "；".join(run.problems) + "），没有做任何改动。",
        )
    try:
        single_file(current)
    except sqlite3.OperationalError:
        raise BackupError(
            "BACKUP_DB_IN_USE",
            "数据库正被另一个程序使用（另一个 SubsidyDesk 窗口或命令行任务），不能恢复。请关闭它们后再试，没有做任何改动。",
        ) from None
    return run.written[0], None


def _set_aside(data_dir: Path, now: dt.datetime | None) -> Path:
    """A damaged current database cannot be backed up: its files are moved aside, kept whole."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    aside = primary_target(data_dir) / f"subsidydesk-{stamp}-damaged"
    aside.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        path = data_dir / (DB_FILENAME + suffix)
        if path.exists():
            shutil.copyfile(path, aside / path.name)
    for suffix in ("-wal", "-shm"):  # never to be applied to the restored file
        (data_dir / (DB_FILENAME + suffix)).unlink(missing_ok=True)
    return aside


def _add_scans(info: BackupInfo, key: BackupKey | None, store: Path, progress: Progress | None) -> int:
    added = 0
    for sha in info.scan_hashes:
        dest = scan_path(store, sha)
        if dest.exists() and read_scan_sha256(dest, None) == sha:
            continue
        _write_file(dest, lambda out, sha=sha: _copy_plain(scan_path(info.scan_folder, sha), out, key))  # type: ignore[misc]
        added += 1
    return added


def _copy_plain(src: Path, out: BinaryIO, key: BackupKey | None) -> None:
    with src.open("rb") as fh:
        if key is None:
            shutil.copyfileobj(fh, out, 1 << 20)
        else:
            crypt.unseal(fh, out, key)


def _add_policies(found: dict[str, bytes], folder: Path) -> None:
    """Catalog versions the data folder lacks; a newer one installed since stays (the higher wins)."""
    for relative, data in found.items():
        dest = folder / relative
        if dest.exists():
            continue

        def fill(out: BinaryIO, data: bytes = data) -> None:
            out.write(data)

        _write_file(dest, fill)


def _swap_in(candidate: Path, current: Path) -> None:
    for suffix in ("-wal", "-shm"):  # the old file is out of WAL mode: these are empty leftovers
        (current.parent / (current.name + suffix)).unlink(missing_ok=True)
    os.replace(candidate, current)
    fsync_directory(current.parent)


__all__ = ["RestoreReport", "load_set", "restore"]
