"""How large a package the county takes in, checked before anything is written (#13).

A hostile or broken package could fill the county's disk with one huge "scan". The defaults
come from the town's own limits: a town never stores a scan over 8 MB
(core/attachments.MAX_STORED_BYTES), so no honest package carries one; a whole package is
capped at 2 GB, far above a 1,000-case batch (about 300 MB with two scans a case). Both are
settings of the county (package_setting rows, in MB), changed with `set_import_limits`.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from core import audit
from core.attachments import MAX_STORED_BYTES
from core.packages import format as f
from core.packages.errors import PackageError
from core.packages.models import PackageSetting

MB = 1 << 20
ATTACHMENT_SETTING = "county_max_attachment_mb"
PACKAGE_SETTING = "county_max_package_mb"
DEFAULT_PACKAGE_BYTES = 2048 * MB
Reject = Callable[..., Exception]  # (code, message[, member]) -> the exception to raise


@dataclass(frozen=True)
class ImportLimits:
    attachment_bytes: int = MAX_STORED_BYTES
    package_bytes: int = DEFAULT_PACKAGE_BYTES


def import_limits(session: Session) -> ImportLimits:
    def mb(name: str, default: int) -> int:
        row = session.get(PackageSetting, name)
        return int(row.value) * MB if row is not None and row.value.isdigit() else default

    return ImportLimits(mb(ATTACHMENT_SETTING, MAX_STORED_BYTES), mb(PACKAGE_SETTING, DEFAULT_PACKAGE_BYTES))


def set_import_limits(session: Session, attachment_mb: int, package_mb: int, actor: str) -> ImportLimits:
    """Change the caps (whole MB, at least 1; a package at least as large as one attachment)."""
    if not 1 <= attachment_mb <= package_mb <= 1 << 20:
        raise PackageError(
            "IMPORT_LIMITS_INVALID",
            "接收上限不对：单个附件至少 1 MB，整个数据包不小于单个附件，且不超过 1048576 MB。",
        )
    before = import_limits(session)
    for name, value in ((ATTACHMENT_SETTING, attachment_mb), (PACKAGE_SETTING, package_mb)):
        row = session.get(PackageSetting, name) or PackageSetting(name=name, value="")
        row.value = str(value)
        session.add(row)
    changes = {
        "attachment_mb": [before.attachment_bytes // MB, attachment_mb],
        "package_mb": [before.package_bytes // MB, package_mb],
    }
    audit.record(session, actor, "set_import_limits", "package_setting", "import_limits", changes)
    return ImportLimits(attachment_mb * MB, package_mb * MB)


def check_file_size(path: Path, limits: ImportLimits, reject: Reject) -> None:
    """A package file larger than the county takes in (checked before it is read or decrypted)."""
    try:
        size = path.stat().st_size
    except OSError:
        return  # _open_zip tells what is wrong with the path
    if size > limits.package_bytes:
        raise reject("PKG_TOO_LARGE", _too_large(path.name, size, limits.package_bytes))


def _too_large(name: str, size: int, cap: int) -> str:
    return (
        f"数据包 {name} 有 {size // MB} MB，超过县局接收上限 {cap // MB} MB，未导入。"
        "请核对是否为本县站所导出的数据包；确需接收的，请在县局设置中调高上限。"
    )


def check_sizes(zf: zipfile.ZipFile, limits: ImportLimits, reject: Reject) -> None:
    """What the members say they unpack to, before a byte of them is read (a zip bomb stops here)."""
    infos = [zf.getinfo(n) for n in zf.namelist()]
    total = sum(i.file_size for i in infos)
    if total > limits.package_bytes:
        raise reject("PKG_TOO_LARGE", _too_large(Path(zf.filename or "").name, total, limits.package_bytes))
    for name, info in zip(zf.namelist(), infos, strict=True):
        if name.startswith(f.ATTACHMENTS_DIR) and info.file_size > limits.attachment_bytes:
            raise reject(
                "PKG_ATTACHMENT_TOO_LARGE",
                f"数据包中的附件 {name} 有 {info.file_size // MB} MB，超过县局对单个附件的接收上限 "
                f"{limits.attachment_bytes // MB} MB，未导入。站所保存的扫描件不会超过 8 MB，请与该站所核对。",
                name,
            )
