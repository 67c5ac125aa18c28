"""Read what a document needs from the database into the plain records of `sheets.py`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import Case, CaseMaterial, Office, OfficeDay
from core.money import format_yuan
from core.policy import model as m
from core.policy.conditions import Env
from core.policy.materials import missing_materials, required_materials
from core.policy.service import get_catalog
from core.printing.deadline import notice_deadline
from core.printing.errors import PrintingError
from core.printing.fingerprint import case_content_hash
from core.printing.roster_layout import roster_layout
from core.printing.sheets import (
    FORM_ZH,
    ApplicantInfo,
    CaseSheet,
    FactLine,
    MaterialLine,
    MissingItem,
    OfficeInfo,
    RefusalReason,
    Roster,
    RosterRow,
    zh_date,
)

_CHUNK = 500
ACCOUNT_ZH = {"social_security_card": "社保卡", "bank_card": "银行卡", "huinong_passbook": "惠农一折通"}


# ---------------------------------------------------------------- values as printed


def typed_fact(fact: m.Fact, raw: Any) -> m.FactValue | None:
    """A stored (JSON) fact value as the engine sees it: dates are stored as ISO strings."""
    if raw is None:
        return None
    if fact.type == "date" and isinstance(raw, str):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            return None
    return raw


def fact_text(fact: m.Fact, raw: Any, with_unit: bool = True) -> str:
    """A fact value for paper: dates in Chinese, money in 元 with two decimals, choices by label."""
    value = typed_fact(fact, raw)
    if value is None:
        return ""
    if fact.type == "date" and isinstance(value, dt.date):
        return zh_date(value)
    if fact.type == "money" and isinstance(value, int):
        return format_yuan(value) + (" 元" if with_unit else "")
    if fact.type == "bool":
        return "是" if value else "否"
    if fact.type == "choice":
        return next((c.label for c in fact.choices if c.value == value), str(value))
    if fact.type == "int" and with_unit:
        return f"{value}{fact.unit}"
    return str(value)


def fact_cell(fact: m.Fact, raw: Any) -> tuple[str, object]:
    """A fact for a spreadsheet (core.spreadsheet.CellKind, value): dates as dates, money as fen,
    counts as numbers; yes/no and choices as the words the paper shows."""
    value = typed_fact(fact, raw)
    if fact.type == "date":
        return "date", value if isinstance(value, dt.date) else None
    if fact.type == "money":
        return "money", value if isinstance(value, int) and not isinstance(value, bool) else None
    if fact.type == "int":
        return "int", value if isinstance(value, int) and not isinstance(value, bool) else None
    return "text", fact_text(fact, raw, with_unit=False)


def typed_facts(subsidy: m.Subsidy, stored: Mapping[str, Any]) -> dict[str, m.FactValue]:
    out: dict[str, m.FactValue] = {}
    for f in subsidy.facts:
        value = typed_fact(f, stored.get(f.id))
        if value is not None:
            out[f.id] = value
    return out


# ---------------------------------------------------------------- one case


def _office(session: Session, office_id: int) -> OfficeInfo:
    office = session.get(Office, office_id)
    if office is None:
        return OfficeInfo(name="劳动保障事务所")
    return OfficeInfo(office.name, office.town, office.phone, office.county_code)


def applicant_info(case: Case) -> ApplicantInfo:
    if case.person is not None:
        p = case.person
        account = f"{ACCOUNT_ZH.get(p.account_kind, p.account_kind)} {p.account_number}".strip()
        return ApplicantInfo(
            "person",
            p.name,
            p.id_number,
            p.sex,
            p.phone,
            p.registered_town,
            p.registered_village,
            account=account,
        )
    org = case.organisation
    if org is None:
        raise PrintingError("PRINT_NO_APPLICANT", f"案件 {case.id} 没有申请人，无法打印。")
    account = f"{org.bank_name} {org.bank_account}".strip()
    return ApplicantInfo(
        "organisation",
        org.name,
        org.uscc,
        phone=org.phone,
        town=org.town,
        address=org.address,
        representative=org.legal_representative,
        account=account,
    )


def get_case_or_fail(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise PrintingError(
            "PRINT_CASE_NOT_FOUND", f"找不到编号为 {case_id} 的案件，请核对案件编号（案件列表中的“序号”）。"
        )
    return case


def resolve_case(session: Session, ref: str) -> int:
    """A case by its id (as in the case list) or by its 受理编号 (case number)."""
    ref = ref.strip()
    if ref.isdigit() and session.get(Case, int(ref)) is not None:
        return int(ref)
    found = session.scalars(select(Case.id).where(Case.case_number == ref)).first()
    if found is None:
        raise PrintingError("PRINT_CASE_NOT_FOUND", f"找不到案件“{ref}”，请核对案件序号或受理编号。")
    return found


def subsidy_of(case: Case) -> tuple[m.Catalog, m.Subsidy]:
    catalog = get_catalog(case.catalog_id)
    subsidy = catalog.subsidy(case.subsidy_id)
    if subsidy is None:
        raise PrintingError(
            "PRINT_UNKNOWN_SUBSIDY",
            f"政策目录“{catalog.short_name or catalog.id}”中已没有补贴“{case.subsidy_id}”，无法按目录打印该案件。",
        )
    return catalog, subsidy


def material_lines(subsidy: m.Subsidy, states: Mapping[str, CaseMaterial]) -> tuple[MaterialLine, ...]:
    groups = {g.id: g.label for g in subsidy.material_groups}
    lines = []
    for mat in subsidy.materials:
        st = states.get(mat.id)
        condition = mat.condition_label or ("" if mat.required else "如有")
        lines.append(
            MaterialLine(
                mat.id,
                mat.name,
                mat.form,
                mat.copies,
                mat.original_returned,
                groups.get(mat.group) if mat.group else None,
                condition,
                bool(st and st.received),
                bool(st and st.original_seen),
                st.copies_kept if st else 0,
            )
        )
    return tuple(lines)


def missing_items(subsidy: m.Subsidy, received: frozenset[str], env: Env) -> tuple[MissingItem, ...]:
    """Everything still missing; an any-of group is one item listing its members."""
    needed = required_materials(subsidy, env)
    by_id = {mat.id: mat for mat in subsidy.materials}
    groups = {g.id: g for g in subsidy.material_groups}
    items = []
    for key in missing_materials(subsidy, received, env):
        if key in groups:
            members = tuple(x.name for x in needed if x.group == key)
            items.append(MissingItem(groups[key].label, members))
        elif key in by_id:
            mat = by_id[key]
            form = FORM_ZH.get(mat.form, mat.form) + (f" {mat.copies}份" if mat.copies > 1 else "")
            items.append(MissingItem(mat.name, (), form))
    return tuple(items)


def office_days(session: Session) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    days = list(session.scalars(select(OfficeDay)))
    return (
        frozenset(d.day for d in days if d.kind == "holiday"),
        frozenset(d.day for d in days if d.kind == "workday"),
    )


def load_case_sheet(session: Session, case_id: int, today: dt.date | None = None) -> CaseSheet:
    case = get_case_or_fail(session, case_id)
    catalog, subsidy = subsidy_of(case)
    applicant = applicant_info(case)
    states = {
        r.material_id: r for r in session.scalars(select(CaseMaterial).where(CaseMaterial.case_id == case.id))
    }
    received = frozenset(k for k, r in states.items() if r.received)
    facts = typed_facts(subsidy, case.facts)
    categories = frozenset(case.person.category_codes) if case.person else frozenset()
    env = Env(facts, case.application_date, categories, applicant.id_number if applicant.is_person else "")
    holidays, workdays = office_days(session)
    return CaseSheet(
        office=_office(session, case.office_id),
        case_id=case.id,
        case_uuid=case.uuid,
        case_number=case.case_number or "",
        status=case.status,
        application_date=case.application_date,
        accepted_on=case.accepted_on,
        catalog_title=catalog.title,
        document_number=catalog.document_number,
        subsidy_id=subsidy.id,
        subsidy_name=subsidy.name,
        applicant=applicant,
        facts=tuple(FactLine(f.id, f.label, fact_text(f, case.facts.get(f.id))) for f in subsidy.facts),
        amount_fen=case.amount_fen,
        materials=material_lines(subsidy, states),
        missing=missing_items(subsidy, received, env),
        deadline=notice_deadline(case.materials_due_on, subsidy, facts, holidays, workdays),
        handler_name=case.handler_name,
        submitted_by=case.submitted_by,
        clerk=case.created_by,
        content_hash=case_content_hash(
            case.uuid, case.subsidy_id, applicant.id_number, case.facts, case.amount_fen
        ),
        printed_on=today or dt.date.today(),
        catalog_issuer=catalog.issuer,
        decision=str((case.assessment or {}).get("decision") or ""),
        refusal_reasons=refusal_reasons(case.assessment),
        review_note=case.review_note,
        reviewed_by=case.reviewed_by,
        reviewed_on=case.reviewed_on,
        readings=applied_readings_zh(case.assessment),
    )


def applied_readings_zh(assessment: Mapping[str, Any] | None) -> tuple[str, ...]:
    """Each county-decided reading the stored assessment applied, and whose choice it was."""
    rows = (assessment or {}).get("applied_readings") or ()
    return tuple(
        f"{r.get('question', '')}采用“{r.get('alternative_label', '')}”"
        + ("（县人社局尚未选择，按目录默认）" if r.get("by_default") else "（县人社局确定）")
        for r in rows
        if isinstance(r, Mapping)
    )


def refusal_reasons(assessment: Mapping[str, Any] | None) -> tuple[RefusalReason, ...]:
    """Every rule of the stored assessment that failed, in the engine's order, with its clause."""
    trace = (assessment or {}).get("trace")
    out = []
    for o in trace if isinstance(trace, list) else []:
        if not isinstance(o, dict) or o.get("outcome") != "fail":
            continue
        found = o.get("clause")
        clause: dict[str, Any] = found if isinstance(found, dict) else {}
        section, text = str(clause.get("section") or ""), str(clause.get("text") or "")
        out.append(RefusalReason(str(o.get("message_zh") or ""), section, text))
    return tuple(out)


# ---------------------------------------------------------------- rosters


def load_roster(
    session: Session,
    case_ids: Sequence[int],
    batch_label: str = "",
    public: bool = False,
    today: dt.date | None = None,
) -> Roster:
    """The 花名册 (or 公示 list) of the given cases, which must all be for one subsidy."""
    if not case_ids:
        raise PrintingError("PRINT_ROSTER_EMPTY", "花名册中没有案件，请先选择要列入花名册的案件。")
    wanted = list(dict.fromkeys(case_ids))
    found: dict[int, Case] = {}
    for start in range(0, len(wanted), _CHUNK):  # old SQLite builds allow 999 parameters
        chunk = wanted[start : start + _CHUNK]
        found.update((c.id, c) for c in session.scalars(select(Case).where(Case.id.in_(chunk))))
    missing = [str(i) for i in wanted if i not in found]
    if missing:
        raise PrintingError("PRINT_CASE_NOT_FOUND", f"找不到这些案件：{'、'.join(missing)}，请核对案件序号。")
    cases = [found[i] for i in wanted]
    return roster_from_cases(cases, _office(session, cases[0].office_id), batch_label, public, today)


def roster_from_cases(
    cases: Sequence[Case],
    office: OfficeInfo,
    batch_label: str = "",
    public: bool = False,
    today: dt.date | None = None,
) -> Roster:
    kinds = {(c.catalog_id, c.subsidy_id) for c in cases}
    if len(kinds) != 1:
        raise PrintingError(
            "PRINT_ROSTER_MIXED",
            "一份花名册只能列同一政策目录、同一补贴的案件；所选案件涉及："
            + "、".join(sorted(f"{c}/{s}" for c, s in kinds))
            + "。请按补贴分别打印。",
        )
    catalog, subsidy = subsidy_of(cases[0])
    layout = roster_layout(catalog, subsidy)
    facts = [f for fid in layout.facts if (f := subsidy.fact(fid)) is not None]
    ordered = sorted(cases, key=lambda c: (c.case_number or "~", c.id))
    return Roster(
        title=layout.title,
        office=office,
        subsidy_name=subsidy.name,
        fact_labels=tuple(f.label + ("（元）" if f.type == "money" else "") for f in facts),
        rows=tuple(_roster_row(c, facts) for c in ordered),
        batch_label=batch_label,
        printed_on=today or dt.date.today(),
        public=public,
        fact_kinds=tuple(fact_cell(f, None)[0] for f in facts),
    )


def _roster_row(case: Case, facts: Sequence[m.Fact]) -> RosterRow:
    values = tuple(fact_text(f, case.facts.get(f.id), with_unit=False) for f in facts)
    cells = tuple(fact_cell(f, case.facts.get(f.id))[1] for f in facts)
    number = case.case_number or f"草稿{case.id}"
    if case.person is not None:
        p = case.person
        return RosterRow(
            p.name,
            p.sex,
            p.id_number,
            p.registered_village,
            values,
            case.amount_fen,
            number,
            fact_cells=cells,
        )
    org = case.organisation
    assert org is not None  # the schema's one_applicant constraint
    return RosterRow(
        org.name,
        "",
        org.uscc,
        org.town,
        values,
        case.amount_fen,
        f"单位申请 {number}",
        False,
        fact_cells=cells,
    )
