"""One imported case as the county officer reads it: frozen views built from the case document.

The document (content.py) holds the town's program words: fact ids, choice values, material
ids, field names. Everything here is turned into the officer's words with the catalog the case
was assessed under (labels, choice labels, material names, clauses); what cannot be named is
left out, never shown raw. Persons' ID numbers and accounts are masked; the full ones are
shown only on request (core/app/county.reveal_numbers, audited).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from core.categories import ACCOUNT_KINDS, ORGANISATION_TYPES, POPULATION_CATEGORIES
from core.identity import mask_id_number
from core.money import format_yuan
from core.packages.county_cards import (
    AssessmentPart,
    Claim,
    DuplicatePair,
    Item,
    MaterialLine,
    RosterLine,
    ScanLine,
    assessment_part,
    duplicate_pairs,
    fact_text,
    material_lines,
    office_names,
    roster_lines,
    scan_lines,
)
from core.packages.county_history import HistoryLine, TownHistory, county_lines, local_time
from core.packages.county_query import CountyCaseRow
from core.packages.decisions import DECISION_LABELS, get_imported_case
from core.packages.history_check import warnings as history_warnings
from core.packages.models import ImportedCase, ImportedPackage
from core.policy import model as m
from core.policy.words import ON_BEHALF_ZH

__all__ = [
    "ApplicantPart",
    "AssessmentPart",
    "Claim",
    "CountyCaseView",
    "DuplicatePair",
    "HistoryLine",
    "Item",
    "MaterialLine",
    "RosterLine",
    "ScanLine",
    "county_case_view",
]


@dataclass(frozen=True)
class ApplicantPart:
    kind: str  # 个人 / 单位
    name: str
    number_label: str  # 身份证号 / 统一社会信用代码
    number: str  # masked for a person
    items: tuple[Item, ...]
    masked: bool  # a full number or account can be shown on request


@dataclass(frozen=True)
class CountyCaseView:
    row: CountyCaseRow  # status, amounts and what may be decided, as in the list
    title: str  # 张三 — 一次性求职补贴
    office: str  # 升平镇劳动保障事务所（533422101）
    summary: tuple[Item, ...]
    decision: tuple[Item, ...]
    applicant: ApplicantPart
    facts: tuple[Item, ...]
    assessment: AssessmentPart
    materials: tuple[MaterialLine, ...]
    scans: tuple[ScanLine, ...]
    roster_label: str  # who the roster lists, e.g. 被介绍就业人员; "" for a person's case
    roster: tuple[RosterLine, ...]
    town_history: tuple[HistoryLine, ...]
    county_history: tuple[HistoryLine, ...]
    duplicates: tuple[DuplicatePair, ...]
    uuid: str  # shown only in the small 案件标识 line
    # A break in the carried history, a self-review (core/packages/history_check.py); shown in red.
    warnings: tuple[str, ...] = ()


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _date(value: object) -> str:
    try:
        return dt.date.fromisoformat(str(value)[:10]).isoformat() if value else ""
    except ValueError:
        return ""


def _mask_account(number: str) -> str:
    return number if len(number) <= 4 else "*" * (len(number) - 4) + number[-4:]


def _items(pairs: list[tuple[str, str]]) -> tuple[Item, ...]:
    return tuple(Item(label, value) for label, value in pairs if value)


def applicant_part(doc: dict[str, Any]) -> ApplicantPart:
    a = _dict(doc.get("applicant"))
    if a.get("kind") == "organisation":
        account = _text(a.get("bank_account"))
        items = [
            ("单位类型", ORGANISATION_TYPES.get(_text(a.get("org_type")), "")),
            ("法定代表人", _text(a.get("legal_representative"))),
            ("所在镇", _text(a.get("town"))),
            ("地址", _text(a.get("address"))),
            ("联系电话", _text(a.get("phone"))),
            ("开户银行", _text(a.get("bank_name"))),
            ("银行账号", _mask_account(account)),
        ]
        return ApplicantPart("单位", _text(a.get("name")), "统一社会信用代码", _text(a.get("uscc")),
                             _items(items), bool(account))  # fmt: skip
    categories = [str(c) for c in a.get("categories") or () if isinstance(c, str)]
    items = [
        ("性别", _text(a.get("sex"))),
        ("出生日期", _date(a.get("birth_date"))),
        ("户籍", _text(a.get("registered_town")) + _text(a.get("registered_village"))),
        ("联系电话", _text(a.get("phone"))),
        ("人员类别", "、".join(POPULATION_CATEGORIES[c] for c in categories if c in POPULATION_CATEGORIES)),
        ("收款账户", ACCOUNT_KINDS.get(_text(a.get("account_kind")), "")),
        ("收款账号", _mask_account(_text(a.get("account_number")))),
    ]
    return ApplicantPart("个人", _text(a.get("name")), "身份证号", mask_id_number(_text(a.get("id_number"))),
                         _items(items), True)  # fmt: skip


def fact_items(doc: dict[str, Any], subsidy: m.Subsidy | None) -> tuple[Item, ...]:
    if subsidy is None:
        return (Item("申请信息", "县局未安装该案件所用的政策目录，无法显示各项信息，请更新政策目录。"),)
    facts = _dict(doc.get("facts"))
    return tuple(
        Item(f.label, fact_text(f, facts.get(f.id))) for f in subsidy.facts if f.id in facts or f.required
    )


def _submitted(case: dict[str, Any]) -> str:
    way = _text(case.get("submitted_by")) or "self"
    return "本人申请" if way == "self" else f"由{ON_BEHALF_ZH.get(way, '他人')}代为申请"


def _review(case: dict[str, Any]) -> str:
    if not case.get("reviewed_by"):
        return ""
    note = _text(case.get("review_note"))
    return f"{case['reviewed_by']}，{_date(case.get('reviewed_on'))}" + (f"：{note}" if note else "")


def _summary(
    row: ImportedCase, doc: dict[str, Any], package: ImportedPackage | None, subsidy: str
) -> tuple[Item, ...]:
    case = _dict(doc.get("case"))
    batch = (
        f"第{package.batch_number}批，{_local(package.imported_at)}由{package.imported_by}导入"
        if package
        else ""
    )
    return _items([
        ("受理编号", row.case_number),
        ("补贴项目", subsidy),
        ("申请日期", _date(case.get("application_date"))),
        ("受理日期", _date(case.get("accepted_on"))),
        ("申请方式", _submitted(case)),
        ("经办人", _text(case.get("handler_name"))),
        ("初审", _review(case)),
        ("备注", _text(case.get("note"))),
        ("申请金额", f"{format_yuan(row.amount_fen)} 元"),
        ("上报批次", batch),
    ])  # fmt: skip


def _local(at: dt.datetime | None) -> str:
    local = local_time(at.isoformat()) if at else None
    return f"{local:%Y-%m-%d %H:%M}" if local else ""


def _decision(row: ImportedCase, listed: CountyCaseRow) -> tuple[Item, ...]:
    def yuan(fen: int | None) -> str:
        return f"{format_yuan(fen)} 元" if fen is not None else ""

    if row.told_in is not None:
        told = f"已随第{row.told_in}号结果包告知站所，不能再更正"
    elif row.status != "received":
        told = "尚未告知站所：生成结果包之前可以更正"
    else:
        told = ""
    by = f"{row.decided_by}，{_local(row.decided_at)}" if row.decided_at and row.status != "received" else ""
    flags = len(listed.open_flags)
    duplicate = f"有{flags}件疑似重复申报待核定：请在“重复申报”中对照，再作出核定" if flags else ""
    return _items([
        ("站所核算金额", yuan(listed.assessed_fen)),
        ("重复申报", duplicate),
        ("县局决定", DECISION_LABELS.get(row.status, "")),
        ("核定金额", yuan(row.approved_fen)),
        ("拨付金额", yuan(row.paid_fen)),
        ("拨付日期", row.paid_on.isoformat() if row.paid_on else ""),
        ("理由或说明", row.decision_reason),
        ("决定人", by),
        ("结果包", told),
    ])  # fmt: skip


def _subsidy(catalog: m.Catalog | None, subsidy_id: str) -> m.Subsidy | None:
    return catalog.subsidy(subsidy_id) if catalog else None


def _catalog(catalog_id: str) -> m.Catalog | None:
    from core.errors import SubsidyDeskError
    from core.policy.service import get_catalog

    try:
        return get_catalog(catalog_id)
    except SubsidyDeskError:
        return None


def county_case_view(session: Session, attachments_root: Any, row: CountyCaseRow) -> CountyCaseView:
    """Everything the officer reads about one imported case (the list row gives its status)."""
    from core.attachments import AttachmentStore

    case = get_imported_case(session, row.uuid)
    doc = _dict(case.document)
    catalog = _catalog(_text(_dict(doc.get("case")).get("catalog_id")))
    subsidy = _subsidy(catalog, case.subsidy_id)
    name = subsidy.name if subsidy else "（县局未安装的政策目录中的补贴）"
    offices = office_names(session)

    def subsidy_name(subsidy_id: str) -> str:  # the town may have changed the case's subsidy
        found = _subsidy(catalog, subsidy_id)
        return found.name if found else "另一项补贴"

    history = TownHistory(subsidy, subsidy_name, fact_text)
    return CountyCaseView(
        row=row,
        title=f"{case.applicant_name} — {name}",
        office=offices.get(case.office_code, case.office_code),
        summary=_summary(case, doc, session.get(ImportedPackage, case.package_id), name),
        decision=_decision(case, row),
        applicant=applicant_part(doc),
        facts=fact_items(doc, subsidy),
        assessment=assessment_part(doc, catalog, subsidy),
        materials=material_lines(doc, subsidy),
        scans=scan_lines(doc, subsidy, AttachmentStore(attachments_root)),
        roster_label=subsidy.beneficiary.label if subsidy and subsidy.beneficiary else "",
        roster=roster_lines(doc, subsidy),
        town_history=history.lines(doc.get("history")),
        county_history=county_lines(session, case.uuid, DECISION_LABELS),
        duplicates=duplicate_pairs(session, case, offices),
        uuid=case.uuid,
        warnings=history_warnings(doc, case.uuid),
    )
