"""Where backups live and how one is described: the set folders, their manifest, the listing.

A backup target is a folder (the data folder's `backups/`, or a second one on a USB stick or
another disk) holding:

    backup-20261202-173000/        one backup set: a snapshot of the database at that moment
        manifest.json              what it holds (date, case count, sizes, hashes, encryption)
        subsidydesk.db             the database (subsidydesk.db.enc when encrypted)
        policies/                  the catalogs installed from county updates (signed, not personal)
    scans/aa/<sha256>              the scans, content-addressed and shared by every set
    scans-<key id>/aa/<sha256>     the same, encrypted with the backup password's key

A set is written under `.backup-….partial` and renamed to its final name only after it was
verified (core/backups/write.py), so every folder listed here was verified when written; a
folder left by a killed backup keeps its hidden name, is never listed and is removed by the
next backup. Not in a set: the signing keys (keys/, backed up on their own with their password,
docs/keys.md), the log, the operator chosen on this PC. The migration copies the program makes at start-up (`subsidydesk-…-before-….db`,
core/db/migrate.py) share the data folder's `backups/` and are not sets.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import SubsidyDeskError

FORMAT = "subsidydesk-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DB_PLAIN = "subsidydesk.db"
DB_SEALED = "subsidydesk.db.enc"
PLAIN_SCANS = "scans"
SET_PREFIX = "backup-"
PARTIAL_SUFFIX = ".partial"
PRIMARY_DIRNAME = "backups"  # inside the data folder, beside the migration copies
CHUNK = 1 << 20
_SET_NAME = re.compile(r"backup-\d{8}-\d{6}(-\d+)?")
_SHA = re.compile(r"[0-9a-f]{64}")
_SCAN_FOLDER = re.compile(r"scans(-[0-9a-f]{12})?")  # never a path out of the target

KIND_AUTO = "auto"
KIND_MANUAL = "manual"
KIND_SAFETY = "safety"
KIND_LABELS = {KIND_AUTO: "自动备份", KIND_MANUAL: "手动备份", KIND_SAFETY: "恢复前的安全备份"}


class BackupError(SubsidyDeskError):
    """A backup could not be made, or a backup cannot be restored; nothing was changed."""


@dataclass(frozen=True)
class BackupInfo:
    """One verified backup set, as its manifest describes it."""

    path: Path  # the set folder
    created_at: dt.datetime  # local time, naive (as the office clock showed it)
    kind: str
    case_count: int
    size: int  # bytes of the set's database file plus the scans it names
    scan_count: int
    encrypted: bool
    office_name: str
    office_code: str
    schema: str
    manifest: dict[str, Any]

    @property
    def target(self) -> Path:
        return self.path.parent

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, "备份")

    @property
    def database_file(self) -> Path:
        return self.path / str(self.manifest["database"]["file"])

    @property
    def scan_folder(self) -> Path:
        return self.target / str(self.manifest["scans"]["folder"])

    @property
    def scan_hashes(self) -> list[str]:
        return list(self.manifest["scans"]["files"])


def primary_target(data_dir: Path) -> Path:
    return data_dir / PRIMARY_DIRNAME


def is_sha256(name: str) -> bool:
    return bool(_SHA.fullmatch(name))


def scan_path(folder: Path, sha256: str) -> Path:
    return folder / sha256[:2] / sha256


def read_manifest(set_dir: Path) -> dict[str, Any]:
    """The manifest of a set folder; BackupError when it is not one of our backups."""
    try:
        doc = json.loads((set_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        raise not_a_backup(set_dir) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise not_a_backup(set_dir)
    if doc.get("version") != FORMAT_VERSION:
        raise BackupError(
            "BACKUP_FORMAT_NEWER",
            f"备份 {set_dir.name} 由更新版本的 SubsidyDesk 制作（格式第{doc.get('version')}版），"
            "本程序无法恢复它。请安装最新版本的程序后再恢复。",
        )
    return doc


def not_a_backup(set_dir: Path) -> BackupError:
    return BackupError(
        "BACKUP_NOT_OURS",
        f"“{set_dir}”不是 SubsidyDesk 的备份（缺少或无法读取备份说明文件 {MANIFEST}），没有做任何改动。"
        "请选择备份位置中名为“backup-日期-时间”的文件夹。",
    )


def damaged(set_dir: Path, what: str) -> BackupError:
    return BackupError(
        "BACKUP_DAMAGED",
        f"备份 {set_dir.name} 已损坏（{what}），不能用来恢复，没有做任何改动。请选择另一个备份。",
    )


def info_from(set_dir: Path, doc: dict[str, Any]) -> BackupInfo:
    """A BackupInfo from a manifest; BackupError when a field is missing or of the wrong kind."""
    try:
        db, scans, office = doc["database"], doc["scans"], doc.get("office") or {}
        files = scans["files"]
        if not isinstance(files, list) or not all(isinstance(f, str) and is_sha256(f) for f in files):
            raise ValueError("scan names")
        if str(db["file"]) not in (DB_PLAIN, DB_SEALED) or not _SCAN_FOLDER.fullmatch(str(scans["folder"])):
            raise ValueError("file names")
        if not isinstance(db["sha256"], str) or not is_sha256(db["sha256"]):
            raise ValueError("checksum")
        return BackupInfo(
            path=set_dir,
            created_at=dt.datetime.fromisoformat(str(doc["created_at"])),
            kind=str(doc["kind"]),
            case_count=_count(doc["case_count"]),
            size=_count(db["size"]) + _count(scans["bytes"]),
            scan_count=len(files),
            encrypted=doc.get("encryption") is not None,
            office_name=str(office.get("name", "")),
            office_code=str(office.get("code", "")),
            schema=str(doc["schema"]),
            manifest=doc,
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        raise damaged(set_dir, "备份说明文件内容不完整") from None


def _count(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError("not a count")
    return value


def set_folders(target: Path) -> list[Path]:
    """The finished set folders of a target, newest first; [] when the target is not there."""
    try:
        entries = [p for p in target.iterdir() if _SET_NAME.fullmatch(p.name) and p.is_dir()]
    except OSError:
        return []
    return sorted(entries, key=lambda p: _sort_key(p.name), reverse=True)


def _sort_key(name: str) -> tuple[str, int]:
    """backup-YYYYMMDD-HHMMSS[-N]: the time, then the serial of sets made in the same second."""
    stamp = name[len(SET_PREFIX) : len(SET_PREFIX) + 15]
    serial = name[len(SET_PREFIX) + 16 :]
    return stamp, int(serial or 0)


def list_sets(target: Path) -> list[BackupInfo]:
    """Every readable set of a target, newest first; a damaged manifest is left out, not fatal."""
    found = []
    for folder in set_folders(target):
        with contextlib.suppress(BackupError):
            found.append(info_from(folder, read_manifest(folder)))
    return found


def stored_file_sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            sha.update(chunk)
    return sha.hexdigest()


def check_stored(info: BackupInfo) -> None:
    """What can be checked without the password: every file there, the database's bytes as
    written. BackupError (damaged) otherwise."""
    db = info.manifest["database"]
    try:
        if stored_file_sha256(info.database_file) != db["sha256"]:
            raise damaged(info.path, "数据库文件与备份时的校验值不符")
    except OSError:
        raise damaged(info.path, "数据库文件缺失或无法读取") from None
    for sha in info.scan_hashes:
        if not scan_path(info.scan_folder, sha).is_file():
            raise damaged(info.path, f"缺少扫描件 {sha[:12]}…")


def newest_verified_backup(data_dir: Path) -> BackupInfo | None:
    """The newest backup of this data folder that is whole, on any target; None when there is none.

    For the damaged-database check at start-up: it points the office to this backup. Each set
    was verified when it was written; here its files are checked again against the hashes its
    manifest records (no password needed), and a damaged set is passed over for an older one.
    """
    from core.backups.config import load_config

    targets = [primary_target(data_dir), *load_config(data_dir).second_targets]
    sets = sorted((info for t in targets for info in list_sets(t)), key=lambda i: i.created_at, reverse=True)
    for info in sets:
        try:
            check_stored(info)
        except BackupError:
            continue
        return info
    return None


def remove_partials(target: Path) -> list[Path]:
    """Remove the hidden folders killed backups left in a target; returns what was removed."""
    removed = []
    try:
        leftovers = [
            p for p in target.iterdir() if p.name.startswith(".") and p.name.endswith(PARTIAL_SUFFIX)
        ]
    except OSError:
        return []
    for path in leftovers:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed
