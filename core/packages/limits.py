"""How large a package the county takes in, checked before anything is written (#13).

A hostile or broken package could fill the county's disk with one huge "scan". The defaults
come from the town's own limits: a town never stores a scan over 8 MB
(core/attachments.MAX_STORED_BYTES), so no honest package carries one; a whole package is
capped at 2 GB, far above a 1,000-case batch (about 300 MB with two scans a case). Both are
settings of the county (package_setting rows, in MB), changed with `set_import_limits`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from core import audit
from core.attachments import MAX_STORED_BYTES
from core.packages.errors import PackageError
from core.packages.models import PackageSetting

MB = 1 << 20
ATTACHMENT_SETTING = "county_max_attachment_mb"
PACKAGE_SETTING = "county_max_package_mb"
DEFAULT_PACKAGE_BYTES = 2048 * MB


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
