"""The parts of the county's case view read from the case document: facts, the assessment with
its clauses, the materials checklist, scans, the roster, and suspected duplicate claims.

Each part speaks the officer's words; ids and codes of the catalog never reach a line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core.attachments import AttachmentStore
from core.cases.checklist import requirement, takes_original
from core.categories import ORGANISATION_TYPES, POPULATION_CATEGORIES
from core.identity import mask_id_number
from core.money import format_yuan
from core.packages.decisions import DECISION_LABELS
from core.packages.models import CountyOfficeKey, DuplicateFlag, ImportedCase
from core.policy import model as m
from core.policy.explain import DECISION_ZH

# A catalog's own texts (readings, notes) sometimes name a category or a subsidy by its id.
_CODE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")
OUTCOME_WORDS = {"pass": "符合", "fail": "不符合", "unknown": "待核实", "warn": "提示", "info": "说明"}


@dataclass(frozen=True)
class Item:
    label: str
    value: str


@dataclass(frozen=True)
class RuleLine:
    outcome: str  # 符合 / 不符合 / 待核实 / 提示 / 说明
    text: str
    clause: str  # the section of the document ("" when the rule cites none)
    clause_text: str


@dataclass(frozen=True)
class AssessmentPart:
    headline: str  # 符合条件，核算金额 500.00 元
    catalog: str  # the policy document and the catalog version the town assessed with
    rules: tuple[RuleLine, ...]
    notes: tuple[str, ...]  # missing facts and materials, conflicts, excluded roster rows, readings


@dataclass(frozen=True)
class MaterialLine:
    name: str
    requirement: str
    received: str  # 已收到 / 未收到
    original: str  # 原件已核验退回 / 原件未核验 / 不需原件
    copies: str
    scans: int


class ScanKind(StrEnum):
    IMAGE = "image"
    PDF = "pdf"
    OTHER = "other"


@dataclass(frozen=True)
class ScanLine:
    sha256: str  # to open the file; never shown
    filename: str
    material: str
    size: str
    kind: ScanKind
    available: bool  # the file is in the county's attachment store


@dataclass(frozen=True)
class RosterLine:
    row_no: int
    name: str
    id_masked: str
    categories: str
    facts: str


@dataclass(frozen=True)
class Claim:
    """One side of a suspected duplicate, as the officer compares them."""

    office: str
    case_number: str
    applicant: str
    id_masked: str
    subsidy: str
    amount: str
    application_date: str
    status: str


@dataclass(frozen=True)
class DuplicatePair:
    state: str  # 待核定 / 已核定：…
    this: Claim
    other: Claim


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def fact_text(fact: m.Fact, value: object) -> str:
    """A fact's value as the clerk typed it: choice labels, 元, dates, units."""
    if value is None or value == "":
        return "未填写"
    if fact.type == "bool":
        return "是" if value else "否"
    if fact.type == "choice":
        return next((c.label for c in fact.choices if c.value == value), "（目录中没有的选项）")
    if fact.type == "money" and isinstance(value, int):
        return f"{format_yuan(value)} 元"
    if fact.type == "date":
        try:
            return dt.date.fromisoformat(str(value)[:10]).isoformat()
        except ValueError:
            return str(value)
    if fact.type == "int":
        return f"{value} {fact.unit}".strip()
    return str(value)


def plain_words(text: str, catalog: m.Catalog | None) -> str:
    """`text` with the ids of categories, organisation types and subsidies put in words."""
    names = dict(POPULATION_CATEGORIES) | dict(ORGANISATION_TYPES)
    if catalog is not None:
        names |= {s.id: s.name for s in catalog.subsidies}
    return _CODE.sub(lambda found: names.get(found.group(0), "（程序内部名称）"), text)


def _clause(value: object) -> tuple[str, str]:
    clause = _dict(value)
    return str(clause.get("section") or ""), str(clause.get("text") or "")


def _rule(o: dict[str, Any], catalog: m.Catalog | None) -> RuleLine:
    words = plain_words(str(o["message_zh"]), catalog)
    return RuleLine(OUTCOME_WORDS.get(str(o.get("outcome")), "说明"), words, *_clause(o.get("clause")))


def _catalog_line(doc: dict[str, Any], catalog: m.Catalog | None) -> str:
    version = str(_dict(doc.get("case")).get("catalog_version") or "")
    if catalog is None:
        return "县局未安装站所核算时使用的政策目录。"
    number = f"（{catalog.document_number}）" if catalog.document_number else ""
    line = f"政策依据：{catalog.title}{number}，目录版本 {version or catalog.version}"
    if version and version != catalog.version:
        line += f"；县局现装的目录为版本 {catalog.version}"
    return line


def _names(subsidy: m.Subsidy | None, ids: object, kind: str) -> list[str]:
    if subsidy is None:
        return []
    if kind == "fact":
        known = {f.id: f.label for f in subsidy.facts}
    else:
        known = {x.id: x.name for x in subsidy.materials} | {g.id: g.label for g in subsidy.material_groups}
    return [known[i] for i in _list(ids) if i in known]


def _notes(a: dict[str, Any], subsidy: m.Subsidy | None, catalog: m.Catalog | None) -> list[str]:
    notes = []
    if facts := _names(subsidy, a.get("missing_facts"), "fact"):
        notes.append("还需填写：" + "、".join(facts))
    if materials := _names(subsidy, a.get("missing_materials"), "material"):
        notes.append("尚缺材料：" + "、".join(materials))
    notes += [
        f"与历史记录冲突：{_dict(c).get('message_zh')}"
        for c in _list(a.get("conflicts"))
        if _dict(c).get("message_zh")
    ]
    for e in map(_dict, _list(a.get("excluded"))):
        notes.append(f"花名册中不计入：{e.get('name', '')}（{'；'.join(map(str, _list(e.get('reasons'))))}）")
    for alt in map(_dict, _list(a.get("alternatives"))):
        notes.append(
            f"可选择享受的其他补贴：{alt.get('name', '')}，{DECISION_ZH.get(str(alt.get('decision')), '')}"
        )
    for r in map(_dict, _list(a.get("readings"))):
        notes.append(f"政策理解：{r.get('question', '')} 本程序的理解：{r.get('reading', '')}")
    return [plain_words(n, catalog) for n in notes]


def assessment_part(
    doc: dict[str, Any], catalog: m.Catalog | None, subsidy: m.Subsidy | None
) -> AssessmentPart:
    a = _dict(doc.get("assessment"))
    if not a:
        return AssessmentPart("站所没有核对结果。", _catalog_line(doc, catalog), (), ())
    amount = a.get("amount_fen")
    headline = DECISION_ZH.get(str(a.get("decision")), "核对结果不明")
    if isinstance(amount, int):
        headline += f"，核算金额 {format_yuan(amount)} 元"
    rules = tuple(_rule(o, catalog) for o in map(_dict, _list(a.get("trace"))) if o.get("message_zh"))
    return AssessmentPart(headline, _catalog_line(doc, catalog), rules, tuple(_notes(a, subsidy, catalog)))


def _scan_counts(doc: dict[str, Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for a in map(_dict, _list(doc.get("attachments"))):
        key = str(a.get("material_id") or "")
        counts[key] = counts.get(key, 0) + 1
    return counts


def material_lines(doc: dict[str, Any], subsidy: m.Subsidy | None) -> tuple[MaterialLine, ...]:
    if subsidy is None:
        return ()
    marks = {str(c.get("material_id")): c for c in map(_dict, _list(doc.get("checklist")))}
    groups = {g.id: g for g in subsidy.material_groups}
    counts = _scan_counts(doc)
    out = []
    for x in subsidy.materials:
        mark = marks.get(x.id, {})
        received = bool(mark.get("received"))
        if not takes_original(x):
            original = "不需原件"
        else:
            original = "原件已核验退回" if mark.get("original_seen") else "原件未核验"
        copies = f"{mark.get('copies_kept') or 0}份" if received else "—"
        out.append(MaterialLine(x.name, requirement(x, groups), "已收到" if received else "未收到", original,
                                copies, counts.get(x.id, 0)))  # fmt: skip
    return tuple(out)


def _size(size: object) -> str:
    n = size if isinstance(size, int) else 0
    return f"{n / 1048576:.1f} 兆字节" if n >= 1048576 else f"{max(1, round(n / 1024))} 千字节"


def _kind(media_type: object) -> ScanKind:
    text = str(media_type or "")
    if text.startswith("image/"):
        return ScanKind.IMAGE
    return ScanKind.PDF if text == "application/pdf" else ScanKind.OTHER


def scan_lines(
    doc: dict[str, Any], subsidy: m.Subsidy | None, store: AttachmentStore
) -> tuple[ScanLine, ...]:
    names = {x.id: x.name for x in subsidy.materials} if subsidy else {}
    out = []
    for a in map(_dict, _list(doc.get("attachments"))):
        sha = str(a.get("sha256") or "")
        material = (
            names.get(str(a.get("material_id")), "未指定材料") if a.get("material_id") else "未指定材料"
        )
        out.append(ScanLine(sha, str(a.get("filename") or "扫描件"), material, _size(a.get("size")),
                            _kind(a.get("media_type")), bool(sha) and store.path_for(sha).is_file()))  # fmt: skip
    return tuple(out)


def roster_lines(doc: dict[str, Any], subsidy: m.Subsidy | None) -> tuple[RosterLine, ...]:
    facts = subsidy.beneficiary.facts if subsidy and subsidy.beneficiary else ()
    out: list[RosterLine] = []
    for b in map(_dict, _list(doc.get("beneficiaries"))):
        values = _dict(b.get("facts"))
        cats = "、".join(
            POPULATION_CATEGORIES[c] for c in _list(b.get("categories")) if c in POPULATION_CATEGORIES
        )
        shown = "；".join(f"{f.label}：{fact_text(f, values.get(f.id))}" for f in facts)
        number = b.get("row_no")
        out.append(RosterLine(number if isinstance(number, int) else len(out) + 1, str(b.get("name") or ""),
                              mask_id_number(str(b.get("id_number") or "")), cats, shown))  # fmt: skip
    return tuple(out)


def office_names(session: Session) -> dict[str, str]:
    """Each office as 升平镇劳动保障事务所（533422101）, from the key allow-list."""
    names: dict[str, str] = {}
    for code, name in session.execute(
        select(CountyOfficeKey.office_code, CountyOfficeKey.office_name).order_by(CountyOfficeKey.id)
    ):
        names[code] = f"{name}（{code}）" if name else names.get(code, code)
    return names


def _claim(row: ImportedCase, offices: dict[str, str]) -> Claim:
    from core.packages.roster import subsidy_names

    case = _dict(_dict(row.document).get("case"))
    subsidy = subsidy_names().get(
        (str(case.get("catalog_id")), row.subsidy_id), "（县局未安装的政策目录中的补贴）"
    )
    status = DECISION_LABELS.get(row.status, "")
    decided = row.paid_fen if row.paid_fen is not None else row.approved_fen
    if decided is not None:
        status += f"，{format_yuan(decided)} 元"
    kind = _dict(_dict(row.document).get("applicant")).get("kind")
    return Claim(offices.get(row.office_code, row.office_code), row.case_number or "（未编号）", row.applicant_name,
                 row.id_number if kind == "organisation" else mask_id_number(row.id_number), subsidy,
                 f"{format_yuan(row.amount_fen)} 元", str(case.get("application_date") or ""), status)  # fmt: skip


def duplicate_pairs(
    session: Session, row: ImportedCase, offices: dict[str, str]
) -> tuple[DuplicatePair, ...]:
    flags = session.scalars(
        select(DuplicateFlag)
        .where(or_(DuplicateFlag.case_uuid == row.uuid, DuplicateFlag.other_uuid == row.uuid))
        .order_by(DuplicateFlag.id)
    )
    this = _claim(row, offices)
    out: list[DuplicatePair] = []
    for flag in flags:
        other_uuid = flag.other_uuid if flag.case_uuid == row.uuid else flag.case_uuid
        other = session.scalar(select(ImportedCase).where(ImportedCase.uuid == other_uuid))
        if other is not None:
            state = "待核定" if flag.status == "open" else f"已核定：{flag.resolution}"
            out.append(DuplicatePair(state, this, _claim(other, offices)))
    return tuple(out)
