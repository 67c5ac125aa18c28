"""This office's code in the package exchange (本所上报代码), kept in the package_setting table.

The code names the office at the county (allow-list, batch numbering, file names). Use the
9-digit township division code (乡镇级区划代码) where the county has not assigned another.
"""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from core import audit
from core.packages.errors import PackageError
from core.packages.models import PackageSetting

OFFICE_CODE = "office_code"
_CODE = re.compile(r"[0-9A-Za-z]{6,20}")


def check_office_code(code: str) -> str:
    clean = code.strip()
    if not _CODE.fullmatch(clean):
        raise PackageError(
            "OFFICE_CODE_FORMAT",
            f"站所代码“{code}”格式不对：应为6至20位数字或字母，建议使用9位乡镇区划代码。",
        )
    return clean


def get_office_code(session: Session) -> str:
    row = session.get(PackageSetting, OFFICE_CODE)
    if row is None:
        raise PackageError(
            "OFFICE_CODE_MISSING",
            "还没有设置本所的上报代码（县局登记时使用的代码，一般为9位乡镇区划代码）。请先设置后再导出批次。",
        )
    return row.value


def set_office_code(session: Session, code: str, actor: str) -> str:
    clean = check_office_code(code)
    row = session.get(PackageSetting, OFFICE_CODE)
    before = row.value if row else None
    if row is None:
        session.add(PackageSetting(name=OFFICE_CODE, value=clean))
    else:
        row.value = clean
    session.flush()
    if before != clean:
        audit.record(session, actor, "update", "package_setting", OFFICE_CODE, {"value": [before, clean]})
    return clean
