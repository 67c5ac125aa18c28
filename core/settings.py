"""The office this installation serves, and its chosen policy catalog."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.db.models import Office
from core.errors import InvalidInput, ValidationError
from core.identity import validate_phone
from core.settings_types import OfficeInput


def get_office(session: Session) -> Office | None:
    return session.scalar(select(Office).order_by(Office.id).limit(1))


def validate_office(data: OfficeInput) -> dict[str, object]:
    errors: list[ValidationError] = []
    code = data.county_code.strip()
    if not (len(code) == 6 and code.isdigit()):
        errors.append(
            ValidationError(
                "COUNTY_CODE", "县级行政区划代码", "县级行政区划代码是6位数字（如千阳县为610328），请核对。"
            )
        )
    if not data.town.strip():
        errors.append(ValidationError("TOWN_EMPTY", "镇名称", "请填写本所所在的镇（乡）名称。"))
    if not data.name.strip():
        errors.append(
            ValidationError("OFFICE_NAME_EMPTY", "事务所名称", "请填写事务所名称，如“水沟镇劳动保障事务所”。")
        )
    phone = ""
    if data.phone.strip():
        try:
            phone = validate_phone(data.phone, field="办公电话")
        except ValidationError as exc:
            errors.append(exc)
    if errors:
        raise InvalidInput(errors)
    return {
        "county_code": code,
        "town": data.town.strip(),
        "name": data.name.strip(),
        "phone": phone,
        "catalog_id": data.catalog_id,
    }


def save_office(session: Session, data: OfficeInput, actor: str) -> Office:
    """Create the office on first start, or update it; audited either way."""
    clean = validate_office(data)
    office = get_office(session)
    before: dict[str, object] = {}
    if office is None:
        office = Office(**clean)
        session.add(office)
    else:
        before = {k: getattr(office, k) for k in clean}
        for k, v in clean.items():
            setattr(office, k, v)
    session.flush()
    changes = audit.diff(before, clean)
    if changes:
        audit.record(session, actor, "create" if not before else "update", "office", str(office.id), changes)
    return office
