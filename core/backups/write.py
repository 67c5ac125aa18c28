"""Writing one backup set to a target: scans first, then the database, verified, then renamed.

Order, so that a kill or a power cut at any moment leaves nothing that looks like a backup and
is not one: new scans go into the target's shared scan folder (each under a temporary name,
fsynced, renamed: a half-copied scan never carries a scan's name); the database and the manifest
go into the hidden `.backup-….partial` folder; the database is read back, decrypted if sealed,
checked (integrity_check, opened by the program, the case count as recorded) and the new scans
re-hashed; only then is the folder renamed to `backup-…` and the target fsynced. Scans left by
a killed backup are named by their content, so they are whole, and the next backup uses them.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from core.backups import crypt
from core.backups.crypt import BackupKey
from core.backups.layout import (
    CHUNK,
    DB_PLAIN,
    DB_SEALED,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    PARTIAL_SUFFIX,
    PLAIN_SCANS,
    SET_PREFIX,
    BackupError,
    BackupInfo,
    damaged,
    info_from,
    is_sha256,
    scan_path,
    stored_file_sha256,
)
from core.backups.snapshot import CheckFailed, Facts, check_database

Progress = Callable[[int], None]  # bytes done since the last call


@dataclass(frozen=True)
class Source:
    """What one backup run copies to every target: the snapshot and the scan store."""

    snapshot: Path
    facts: Facts
    scans: Path  # the data folder's attachments/
    created_at: dt.datetime
    kind: str
    policies: Path | None = None  # the catalogs installed from county updates (small, not personal)

    def policy_files(self) -> list[Path]:
        folder = self.policies
        if folder is None or not folder.is_dir():
            return []
        return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))

    def scan_files(self) -> list[str]:
        """Every scan in the store (also the county's imported ones), by content hash."""
        if not self.scans.is_dir():
            return []
        return sorted(p.name for p in self.scans.glob("??/*") if is_sha256(p.name) and p.is_file())


def fsync_directory(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_set(
    target: Path, source: Source, key: BackupKey | None, scratch: Path, progress: Progress | None = None
) -> BackupInfo:
    """Write, verify and publish one set in `target`; BackupError (nothing published) otherwise."""
    target.mkdir(parents=True, exist_ok=True)
    name = _free_name(target, source.created_at)
    partial = target / f".{name}{PARTIAL_SUFFIX}"
    partial.mkdir()
    try:
        scan_folder = target / (PLAIN_SCANS if key is None else f"{PLAIN_SCANS}-{key.key_id}")
        hashes = source.scan_files()
        new = _copy_scans(source.scans, scan_folder, hashes, key, progress)
        manifest = _write_database(partial, source, key, progress)
        manifest["policies"] = _copy_policies(source, partial / POLICIES)
        manifest["scans"] = {
            "folder": scan_folder.name,
            "files": hashes,
            "bytes": sum(scan_path(scan_folder, h).stat().st_size for h in hashes),
        }
        _write_json(partial / MANIFEST, manifest)
        info = info_from(partial, manifest)
        verify_set(info, key, scratch, new)
        final = target / name
        os.replace(partial, final)
        fsync_directory(target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return info_from(final, manifest)


def _free_name(target: Path, at: dt.datetime) -> str:
    base = SET_PREFIX + at.strftime("%Y%m%d-%H%M%S")
    name, serial = base, 1
    while (target / name).exists():
        serial += 1
        name = f"{base}-{serial}"
    return name


def _copy_scans(
    store: Path, folder: Path, hashes: Iterable[str], key: BackupKey | None, progress: Progress | None
) -> list[str]:
    """Copy the scans the target does not have yet; returns the hashes copied now."""
    copied = []
    for sha in hashes:
        dest = scan_path(folder, sha)
        if dest.exists():
            continue  # content-addressed: a scan with this name is this scan
        src = scan_path(store, sha)
        _write_file(dest, lambda out, src=src: _copy_stream(src, out, key))  # type: ignore[misc]
        copied.append(sha)
        if progress:
            progress(src.stat().st_size)
    return copied


def _copy_stream(src: Path, out: BinaryIO, key: BackupKey | None) -> None:
    with src.open("rb") as fh:
        if key is None:
            shutil.copyfileobj(fh, out, CHUNK)
        else:
            crypt.seal(fh, out, key)


def _write_file(dest: Path, fill: Callable[[BinaryIO], None]) -> None:
    """Write through a temporary name in the same folder: fsync, rename, fsync the folder."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=PARTIAL_SUFFIX, dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            fill(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_directory(dest.parent)


POLICIES = "policies"


def _copy_policies(source: Source, dest: Path) -> dict[str, str]:
    """The installed catalog updates, by path under policies/ and sha256 (checked at restore)."""
    copied = {}
    for path in source.policy_files():
        assert source.policies is not None
        relative = path.relative_to(source.policies).as_posix()
        data = path.read_bytes()

        def fill(out: BinaryIO, data: bytes = data) -> None:
            out.write(data)

        _write_file(dest / relative, fill)
        copied[relative] = hashlib.sha256(data).hexdigest()
    return copied


def _write_database(
    partial: Path, source: Source, key: BackupKey | None, progress: Progress | None
) -> dict[str, Any]:
    dest = partial / (DB_PLAIN if key is None else DB_SEALED)
    _write_file(dest, lambda out: _copy_stream(source.snapshot, out, key))
    if progress:
        progress(source.snapshot.stat().st_size)
    facts = source.facts
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "created_at": source.created_at.isoformat(timespec="seconds"),
        "kind": source.kind,
        "case_count": facts.case_count,
        "office": {"name": facts.office_name, "code": facts.office_code},
        "schema": facts.schema,
        "database": {
            "file": dest.name,
            "size": dest.stat().st_size,
            "sha256": stored_file_sha256(dest),
            "plain_size": source.snapshot.stat().st_size,
        },
        "encryption": None if key is None else key.describe(),
    }


def _write_json(path: Path, doc: dict[str, Any]) -> None:
    data = json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")

    def fill(out: BinaryIO) -> None:
        out.write(data)

    _write_file(path, fill)


def verify_set(
    info: BackupInfo, key: BackupKey | None, scratch: Path, scans: Iterable[str] | None = None
) -> Facts:
    """Read the set back as a restore would: the database checked, the given scans re-hashed
    (all of them when None). BackupError (damaged, or the wrong password) otherwise.

    The database is decrypted into `scratch`, a folder on the PC's own disk: a plain copy is
    never written to the stick, even for a moment."""
    from core.backups.layout import check_stored

    check_stored(info)
    expected = Facts(info.case_count, info.office_name, info.office_code, info.schema)
    with tempfile.TemporaryDirectory(prefix=".verify-", dir=scratch) as tmp:
        plain = Path(tmp) / DB_PLAIN
        open_plain(info.database_file, plain, key, info.path)
        try:
            facts = check_database(plain, expected)
        except CheckFailed as exc:
            raise damaged(info.path, str(exc)) from None
    checked_policies(info)
    for sha in info.scan_hashes if scans is None else scans:
        if read_scan_sha256(scan_path(info.scan_folder, sha), key) != sha:
            raise damaged(info.path, f"扫描件 {sha[:12]}… 的内容与校验值不符")
    return facts


def checked_policies(info: BackupInfo) -> dict[str, bytes]:
    """The installed catalog updates the set holds, each re-hashed: {path under policies/: bytes}."""
    listed = info.manifest.get("policies") or {}
    if not isinstance(listed, dict):
        raise damaged(info.path, "已安装的政策目录清单不完整")
    found = {}
    for relative, sha in listed.items():
        parts = Path(str(relative)).parts
        if (
            not parts
            or any(p in ("", ".", "..") or p.startswith(".") for p in parts)
            or Path(relative).is_absolute()
        ):
            raise damaged(info.path, "已安装的政策目录清单不完整")
        try:
            data = (info.path / POLICIES / relative).read_bytes()
        except OSError:
            raise damaged(info.path, f"缺少已安装的政策目录 {relative}") from None
        if hashlib.sha256(data).hexdigest() != sha:
            raise damaged(info.path, f"已安装的政策目录 {relative} 与校验值不符")
        found[str(relative)] = data
    return found


def open_plain(stored: Path, plain: Path, key: BackupKey | None, set_dir: Path) -> None:
    """The stored database as a plain file at `plain` (decrypted when sealed)."""
    if key is None:
        shutil.copyfile(stored, plain)
        return
    try:
        with stored.open("rb") as src, plain.open("wb") as out:
            crypt.unseal(src, out, key)
    except crypt.WrongKey:
        raise wrong_password(set_dir) from None


def read_scan_sha256(path: Path, key: BackupKey | None) -> str:
    if key is None:
        return stored_file_sha256(path)
    try:
        return hashlib.sha256(crypt.unseal_bytes(path, key)).hexdigest()
    except crypt.WrongKey:
        return ""


def wrong_password(set_dir: Path) -> BackupError:
    return BackupError(
        "BACKUP_WRONG_PASSWORD",
        f"备份 {set_dir.name} 无法解密：备份密码不对，或文件已被改动。请输入制作这个备份时的备份密码。",
    )


def space_message(target: Path, exc: OSError, needed: int) -> str:
    """The clerk's words for a write that failed on the target."""
    if exc.errno == errno.ENOSPC:
        return f"备份位置 {target} 空间不足：这次备份约需 {max(1, needed // 1048576)} MB，请清理空间或换一个位置。"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"备份位置 {target} 不能写入（只读或没有权限），请检查U盘的写保护开关或文件夹权限。"
    return f"无法写入备份位置 {target}（{exc.strerror or '读写错误'}），请检查U盘或磁盘后再试。"
