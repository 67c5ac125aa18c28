"""Applicants: persons (by 身份证号) and organisations (by 统一社会信用代码).

Every save validates the whole input first, collecting each problem with its field, and
writes the change and its audit event in one transaction: nothing is half-saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.applicant_types import OrganisationInput, PersonInput
from core.categories import ACCOUNT_KINDS, ORGANISATION_TYPES, POPULATION_CATEGORIES
from core.db.models import Organisation, Person, PersonCategory
from core.errors import InvalidInput, NotFoundError, ValidationError
from core.identity import parse_id_number, validate_bank_card, validate_phone, validate_uscc
from core.pinyin import sort_key


def _collect(errors: list[ValidationError], check: Callable[[], Any]) -> Any:
    try:
        return check()
    except ValidationError as exc:
        errors.append(exc)
        return None


def _required_name(value: str, field_name: str, max_len: int) -> ValidationError | None:
    text = value.strip()
    if not text:
        return ValidationError("NAME_EMPTY", field_name, f"请填写{field_name}。")
    if len(text) > max_len:
        return ValidationError("NAME_TOO_LONG", field_name, f"{field_name}最多{max_len}个字，请核对。")
    return None


def validate_person(data: PersonInput) -> dict[str, Any]:
    """Check every field; return clean column values or raise InvalidInput listing all problems."""
    errors: list[ValidationError] = []
    if err := _required_name(data.name, "姓名", 40):
        errors.append(err)
    info = _collect(errors, lambda: parse_id_number(data.id_number))
    phone = _collect(errors, lambda: validate_phone(data.phone)) if data.phone.strip() else ""
    unknown = [c for c in data.categories if c not in POPULATION_CATEGORIES]
    if unknown:
        errors.append(
            ValidationError("CATEGORY_UNKNOWN", "人员类别", f"未知的人员类别：{'、'.join(unknown)}。")
        )
    account = _validate_account(data, errors)
    if errors:
        raise InvalidInput(errors)
    return {
        "name": data.name.strip(),
        "id_number": info.number,
        "id_last4": info.number[-4:],
        "birth_date": info.birth_date,
        "sex": info.sex,
        "registered_town": data.registered_town.strip(),
        "registered_village": data.registered_village.strip(),
        "phone": phone,
        "account_kind": data.account_kind,
        "account_number": account,
        "categories": sorted(set(data.categories)),
    }


def _validate_account(data: PersonInput, errors: list[ValidationError]) -> str:
    number = data.account_number.strip()
    if not number:
        return ""
    if data.account_kind not in ACCOUNT_KINDS:
        errors.append(
            ValidationError(
                "ACCOUNT_KIND", "账户类型", "填写了账号时，请选择账户类型（社保卡、银行卡或惠农一折通）。"
            )
        )
        return number
    if data.account_kind == "huinong_passbook":
        # 惠农一折通 passbook numbers follow each rural bank's own rules; no check digit is common.
        if not number.isdigit():
            errors.append(ValidationError("ACCOUNT_CHARS", "账号", "惠农一折通账号只能是数字，请核对。"))
        return number
    return _collect(errors, lambda: validate_bank_card(number, field="账号")) or number


def _person_row(p: Person) -> dict[str, Any]:
    return {
        "name": p.name,
        "id_number": p.id_number,
        "registered_town": p.registered_town,
        "registered_village": p.registered_village,
        "phone": p.phone,
        "account_kind": p.account_kind,
        "account_number": p.account_number,
        "categories": p.category_codes,
    }


def create_person(session: Session, data: PersonInput, actor: str) -> Person:
    clean = validate_person(data)
    existing = session.scalar(select(Person).where(Person.id_number == clean["id_number"]))
    if existing is not None:
        raise InvalidInput(
            [
                ValidationError(
                    "ID_DUPLICATE",
                    "身份证号",
                    f"身份证号 {clean['id_number']} 已登记为“{existing.name}”，请在列表中查找并编辑该人员，不要重复登记。",
                )
            ]
        )
    categories = clean.pop("categories")
    person = Person(**clean, name_pinyin=sort_key(clean["name"]))
    person.categories = [PersonCategory(category=c) for c in categories]
    session.add(person)
    session.flush()
    audit.record(session, actor, "create", "person", person.id_number, audit.diff({}, _person_row(person)))
    return person


def update_person(session: Session, person_id: int, data: PersonInput, actor: str) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFoundError("PERSON_NOT_FOUND", "要修改的人员不存在，可能已被删除，请刷新列表。")
    clean = validate_person(data)
    if clean["id_number"] != person.id_number:
        clash = session.scalar(select(Person.id).where(Person.id_number == clean["id_number"]))
        if clash is not None:
            raise InvalidInput(
                [ValidationError("ID_DUPLICATE", "身份证号", "该身份证号已属于另一位登记人员，请核对。")]
            )
    before = _person_row(person)
    categories = clean.pop("categories")
    for key, value in clean.items():
        setattr(person, key, value)
    person.name_pinyin = sort_key(person.name)
    if sorted(categories) != person.category_codes:
        person.categories = [PersonCategory(category=c) for c in categories]
    session.flush()
    changes = audit.diff(before, _person_row(person))
    if changes:
        audit.record(session, actor, "update", "person", person.id_number, changes)
    return person


def validate_organisation(data: OrganisationInput) -> dict[str, Any]:
    errors: list[ValidationError] = []
    if err := _required_name(data.name, "单位名称", 100):
        errors.append(err)
    uscc = _collect(errors, lambda: validate_uscc(data.uscc))
    if data.org_type and data.org_type not in ORGANISATION_TYPES:
        errors.append(ValidationError("ORG_TYPE_UNKNOWN", "单位类型", "请从列表中选择单位类型。"))
    phone = _collect(errors, lambda: validate_phone(data.phone)) if data.phone.strip() else ""
    account = data.bank_account.strip()
    if account and not account.replace("-", "").isdigit():
        errors.append(
            ValidationError("ACCOUNT_CHARS", "基本账户账号", "基本账户账号只能是数字，请核对开户许可证。")
        )
    errors += _too_long(data)
    if errors:
        raise InvalidInput(errors)
    return {
        "name": data.name.strip(),
        "uscc": uscc,
        "org_type": data.org_type,
        "legal_representative": data.legal_representative.strip(),
        "town": data.town.strip(),
        "address": data.address.strip(),
        "phone": phone,
        "bank_name": data.bank_name.strip(),
        "bank_account": account,
    }


_ORGANISATION_FIELDS = (
    "name",
    "uscc",
    "org_type",
    "legal_representative",
    "town",
    "address",
    "phone",
    "bank_name",
    "bank_account",
)


def _organisation_row(org: Organisation) -> dict[str, Any]:
    return {k: getattr(org, k) for k in _ORGANISATION_FIELDS}


def _uscc_taken(session: Session, uscc: str, other_than: int | None = None) -> None:
    stmt = select(Organisation.name).where(Organisation.uscc == uscc)
    if other_than is not None:
        stmt = stmt.where(Organisation.id != other_than)
    holder = session.scalar(stmt)
    if holder is not None:
        raise InvalidInput(
            [
                ValidationError(
                    "USCC_DUPLICATE",
                    "统一社会信用代码",
                    f"该统一社会信用代码已登记为“{holder}”，请在单位列表中查找该单位，不要重复登记。",
                )
            ]
        )


# The other fields of an organisation and their room in the database (models.Organisation).
_ORGANISATION_LENGTHS = (
    ("legal_representative", "法定代表人", 40),
    ("town", "所在镇", 40),
    ("address", "地址", 200),
    ("bank_name", "基本账户开户行", 80),
    ("bank_account", "基本账户账号", 40),
)


def _too_long(data: OrganisationInput) -> list[ValidationError]:
    return [
        ValidationError("FIELD_TOO_LONG", label, f"{label}最多{limit}个字，请核对。")
        for key, label, limit in _ORGANISATION_LENGTHS
        if len(str(getattr(data, key)).strip()) > limit
    ]


def create_organisation(session: Session, data: OrganisationInput, actor: str) -> Organisation:
    clean = validate_organisation(data)
    _uscc_taken(session, clean["uscc"])
    org = Organisation(**clean, name_pinyin=sort_key(clean["name"], person=False))
    session.add(org)
    session.flush()
    audit.record(session, actor, "create", "organisation", org.uscc, audit.diff({}, clean))
    return org


def update_organisation(
    session: Session, organisation_id: int, data: OrganisationInput, actor: str
) -> Organisation:
    """Correct an organisation: every field checked again, the change audited with old and new values."""
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise NotFoundError("ORGANISATION_NOT_FOUND", "要修改的单位不存在，可能已被删除，请刷新列表。")
    clean = validate_organisation(data)
    if clean["uscc"] != org.uscc:
        _uscc_taken(session, clean["uscc"], other_than=org.id)
    before = _organisation_row(org)
    for key, value in clean.items():
        setattr(org, key, value)
    org.name_pinyin = sort_key(org.name, person=False)
    session.flush()
    changes = audit.diff(before, _organisation_row(org))
    if changes:
        audit.record(session, actor, "update", "organisation", org.uscc, changes)
    return org


def find_person_by_id_number(session: Session, id_number: str) -> Person | None:
    return session.scalar(select(Person).where(Person.id_number == id_number.strip().upper()))
