"""The copy of every exported batch kept in <data_dir>/batches/, to write a batch again.

A stick gets lost, or the county's PC cannot read it: the clerk writes the same batch again
from 上报 → 上报批次. The copy is the verified plain zip, also for a sealed batch (sealing it
again gives the county the very same package inside). Before it leaves the PC the copy is
verified again against the batch's record (signature, every member, the manifest's hash and the
key's fingerprint), so a damaged copy is never handed over; what was written is read back.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import zipfile
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from core.packages import format as f
from core.packages.bag import open_package
from core.packages.errors import PackageError
from core.packages.keys import AllowedKey, AllowList, fingerprint
from core.packages.models import Batch
from core.packages.sealed import SUFFIX, file_sha256, seal_file
from core.packages.verify import verify_package
from core.packages.writer import fsync_directory, partial_path

KEPT_DIRNAME = "batches"


def kept_path(data_dir: Path, office_code: str, number: int) -> Path:
    return data_dir / KEPT_DIRNAME / f.package_file_name(f.KIND_BATCH, office_code, number)


def copy_file(source: Path, target: Path) -> None:
    """Copy through a hidden partial name, fsync, then rename: never half a package under its name."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_path(target)
    try:
        with source.open("rb") as src, partial.open("wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    fsync_directory(target.parent)


def keep_copy(plain: Path, data_dir: Path, office_code: str, number: int) -> tuple[Path | None, list[str]]:
    """Keep the verified package; a failure here is told, not fatal (the stick has the package)."""
    target = kept_path(data_dir, office_code, number)
    try:
        copy_file(plain, target)
    except OSError as exc:
        return None, [
            f"本机未能留存这一批数据包的副本（{exc.strerror or exc}）。U盘上的数据包不受影响；"
            "以后如需重新写入这一批，请保管好U盘上的文件。"
        ]
    return target, []


def _missing(batch: Batch) -> PackageError:
    return PackageError(
        "BATCH_COPY_MISSING",
        f"本机没有留存第{batch.number}批数据包的副本（这一批导出时本程序还不留存副本，或副本已被删除），"
        f"无法重新写入。请找到当初写入这一批的U盘，把其中的文件“{batch.file_name}”复制到新的U盘。",
    )


def _damaged(batch: Batch, why: str) -> PackageError:
    return PackageError(
        "BATCH_COPY_DAMAGED",
        f"本机留存的第{batch.number}批数据包副本已损坏（{why}），不能再交给县局。"
        f"请找到当初写入这一批的U盘，把其中的文件“{batch.file_name}”复制到新的U盘。",
    )


def signing_key(path: Path) -> bytes:
    """The public key a package names in its signature (checked against the record before use)."""
    try:
        with open_package(path) as zf:
            return zf.read(f.SIGNATURE)[:32]
    except (OSError, KeyError, zipfile.BadZipFile) as exc:
        raise PackageError("BATCH_COPY_DAMAGED", f"数据包副本无法读取：{exc}") from exc


def check_copy(data_dir: Path, batch: Batch) -> Path:
    """The kept copy of `batch`, verified to be exactly what was exported."""
    path = kept_path(data_dir, batch.office_code, batch.number)
    if not path.is_file():
        raise _missing(batch)
    try:
        raw = signing_key(path)
    except PackageError:
        raise _damaged(batch, "文件不完整") from None
    if fingerprint(raw) != batch.key_fingerprint:
        raise _damaged(batch, "签名密钥与导出记录不符")
    own = AllowedKey(batch.office_code, raw, dt.datetime.min)
    result = verify_package(path, AllowList([own]), {}, allow_gap=True)
    if not result.ok:
        raise _damaged(batch, result.message)
    if result.manifest_sha256 != batch.manifest_sha256 or result.header.get("number") != batch.number:
        raise _damaged(batch, "内容与导出记录不符")
    return path


def write_again(data_dir: Path, batch: Batch, folder: Path, seal_to: X25519PublicKey | None) -> Path:
    """Write the batch's package into `folder` once more, under its first name; read it back."""
    if not folder.is_dir():
        raise PackageError(
            "EXPORT_FOLDER_MISSING", f"找不到文件夹 {folder}，请检查U盘是否插好，或重新选择文件夹。"
        )
    source = check_copy(data_dir, batch)
    sealed = batch.file_name.endswith(SUFFIX)
    if sealed and seal_to is None:
        raise PackageError(
            "COUNTY_ENCRYPTION_KEY_MISSING",
            f"第{batch.number}批是加密上报的，但本机已没有县局的加密公钥。"
            "请在“上报 → 导入县局公钥”中导入县局的加密公钥文件后再写入。",
        )
    target = folder / batch.file_name
    try:
        if seal_to is not None and sealed:
            written = seal_file(source, target, seal_to)
            ok = file_sha256(target) == written
        else:
            copy_file(source, target)
            ok = file_sha256(target) == file_sha256(source)
    except OSError as exc:
        target.unlink(missing_ok=True)
        raise PackageError(
            "BATCH_WRITE_FAILED", f"写入 {folder} 失败（{exc.strerror or exc}），请换一个U盘或文件夹再试。"
        ) from exc
    if not ok:
        target.unlink(missing_ok=True)
        raise PackageError(
            "BATCH_READBACK_FAILED", "写入后读回的内容与本机留存的不同。文件已删除，请换一个U盘再试。"
        )
    return target
