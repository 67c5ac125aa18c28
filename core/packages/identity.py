"""Who this PC is in the package exchange, kept in the package_setting table.

At a town: the office's code (本所上报代码). It names the office at the county (allow-list, batch
numbering, file names): the 9-digit township division code (乡镇级区划代码). Codes stored before
the screen asked for 9 digits (6 to 20 letters or digits) keep working.

At the county: the county's name (e.g. 德钦县劳动就业管理局), printed on its key slip.
"""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from core import audit
from core.errors import ValidationError
from core.packages.errors import PackageError
from core.packages.models import PackageSetting

OFFICE_CODE = "office_code"
COUNTY_NAME = "county_name"
CODE_FIELD = "上报代码"
COUNTY_NAME_FIELD = "县局名称"
_CODE = re.compile(r"[0-9A-Za-z]{6,20}")
_TOWNSHIP_CODE = re.compile(r"[0-9]{9}")
# An input method in full-width mode types ５３３４…; they are the same digits.
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def check_office_code(code: str) -> str:
    """Any code an office may have been registered under (the county accepts older codes too)."""
    clean = code.strip()
    if not _CODE.fullmatch(clean):
        raise PackageError(
            "OFFICE_CODE_FORMAT",
            f"站所代码“{code}”格式不对：应为6至20位数字或字母，建议使用9位乡镇区划代码。",
        )
    return clean


def check_township_code(code: str, current: str | None = None) -> str:
    """The 9-digit township code a clerk types; the code already stored is accepted as it is."""
    clean = code.strip().translate(_FULL_WIDTH_DIGITS)
    if current is not None and clean == current:
        return clean
    if not clean:
        raise ValidationError(
            "OFFICE_CODE_EMPTY",
            CODE_FIELD,
            "请填写本所的上报代码：本乡镇的9位区划代码（如 533422101），不清楚的可向县局询问。",
        )
    if not _TOWNSHIP_CODE.fullmatch(clean):
        raise ValidationError(
            "OFFICE_CODE_FORMAT",
            CODE_FIELD,
            f"上报代码“{code.strip()}”不对：应为9位数字，即本乡镇的区划代码（如 533422101），请核对。",
        )
    return clean


def stored_office_code(session: Session) -> str | None:
    row = session.get(PackageSetting, OFFICE_CODE)
    return row.value if row else None


def get_office_code(session: Session) -> str:
    code = stored_office_code(session)
    if code is None:
        raise PackageError(
            "OFFICE_CODE_MISSING",
            "还没有设置本所的上报代码（本乡镇的9位区划代码，县局登记时使用）。"
            "请先在“设置 → 事务所设置”中填写后再导出批次。",
        )
    return code


def set_office_code(session: Session, code: str, actor: str) -> str:
    """Keep the office's code; a new one must be 9 digits (ValidationError names the field)."""
    return _store(session, OFFICE_CODE, check_township_code(code, stored_office_code(session)), actor)


def county_name(session: Session) -> str | None:
    row = session.get(PackageSetting, COUNTY_NAME)
    return row.value if row else None


def check_county_name(name: str) -> str:
    clean = name.strip()
    if not clean:
        raise ValidationError(
            "COUNTY_NAME_EMPTY", COUNTY_NAME_FIELD, "请填写县局名称，如“德钦县劳动就业管理局”。"
        )
    if len(clean) > 80:
        raise ValidationError("COUNTY_NAME_LONG", COUNTY_NAME_FIELD, "县局名称太长（最多80个字），请核对。")
    return clean


def set_county_name(session: Session, name: str, actor: str) -> str:
    return _store(session, COUNTY_NAME, check_county_name(name), actor)


def _store(session: Session, name: str, value: str, actor: str) -> str:
    row = session.get(PackageSetting, name)
    before = row.value if row else None
    if row is None:
        session.add(PackageSetting(name=name, value=value))
    else:
        row.value = value
    session.flush()
    if before != value:
        audit.record(session, actor, "update", "package_setting", name, {"value": [before, value]})
    return value
