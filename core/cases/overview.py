"""Read-only views of cases and subsidies for the screens: what a clerk sees before choosing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.cases.county_opinion import CountyOpinion, county_opinion
from core.cases.history import case_input
from core.cases.intake import checklist, subsidy_of
from core.cases.service import get_case
from core.cases.states import CaseStatus, status_label
from core.db.models import Attachment, AuditEvent, Case
from core.policy import model as m
from core.policy.assessment import Assessment
from core.policy.engine import assess
from core.policy.report_text import amount_zh, fact_labels, window_zh
from core.policy.service import get_catalog


@dataclass(frozen=True)
class SubsidyChoice:
    id: str
    name: str
    summary: str
    amount_rule: str
    deadlines: tuple[str, ...]
    in_period: bool
    period_note: str


def subsidy_choices(catalog_id: str, applicant_kind: str, on: dt.date) -> list[SubsidyChoice]:
    """The subsidies of the office's catalog that this kind of applicant can apply for."""
    catalog = get_catalog(catalog_id)
    params = {p.id: p for p in catalog.parameters}
    period = catalog.policy_period
    in_period = (period.start is None or on >= period.start) and (period.end is None or on <= period.end)
    note = "" if in_period else f"今天不在文件执行期内（{_period_zh(period)}），按事件日期判断是否仍可申请"
    out = []
    for s in catalog.subsidies:
        if s.applicant.kind != applicant_kind:
            continue
        labels = fact_labels(s.facts)
        out.append(
            SubsidyChoice(
                id=s.id,
                name=s.name,
                summary=s.summary,
                amount_rule=amount_zh(s.amount, labels, params),
                deadlines=tuple(window_zh(w, labels) for w in s.windows),
                in_period=in_period,
                period_note=note,
            )
        )
    return out


def _period_zh(period: m.PolicyPeriod) -> str:
    start = period.start.isoformat() if period.start else "文件未载明"
    end = period.end.isoformat() if period.end else "文件未规定截止日期"
    return f"{start} 至 {end}"


def preview(
    session: Session, case_id: int, facts: dict[str, m.FactValue], received: frozenset[str] | None = None
) -> Assessment:
    """Assess what is on the screen without saving it (facts and ticks not yet stored)."""
    case = get_case(session, case_id)
    catalog = get_catalog(case.catalog_id)
    base = case_input(session, case, catalog)
    changed = replace(
        base, facts=facts, materials_received=base.materials_received if received is None else received
    )
    return assess(catalog, case.subsidy_id, changed)


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    actor: str
    what: str


@dataclass(frozen=True)
class Scan:
    id: int
    filename: str
    sha256: str
    material_id: str | None
    material: str  # the material's name as the catalog words it, or "" when none was chosen
    added_at: dt.datetime  # local time


@dataclass(frozen=True)
class StatusReason:
    """Why the case is in its state, for the header: a withdrawal, a reverted or failed review."""

    label: str  # 撤回原因 / 所长撤销初审的原因 / 初审意见（不通过）
    text: str
    actor: str
    on: dt.date | None


@dataclass(frozen=True)
class CaseDetail:
    id: int
    uuid: str
    case_number: str | None
    status: str
    status_label: str
    applicant: str
    subsidy: m.Subsidy
    catalog_id: str
    application_date: dt.date
    amount_fen: int | None
    assessment: dict[str, object] | None
    review_note: str
    materials_due_on: dt.date | None
    attachments: tuple[Scan, ...]
    timeline: tuple[TimelineEntry, ...]
    status_reason: StatusReason | None = None
    county: CountyOpinion | None = None  # the county's decision, once a result package brought it
    version: int = 1  # what a decision taken from this view must still find (core/cases/versions.py)


_ACTIONS = {
    "create": "建立案件",
    "update": "修改",
    "checklist": "申请材料",
    "attach": "附加扫描件",
    "roster": "花名册",
    "county_result": "县局审核结果",
    "withdraw": "撤回案件",
    "revert_review": "撤销初审，退回“已受理”",
    "detach": "删除扫描件",
    "export": "上报县局",
    "recall": "从上报批次中撤回",
}
_FIELDS = {
    "amount_fen": "金额",
    "case_number": "受理编号",
    "review_note": "初审意见",
    "materials_due_on": "补齐材料期限",
    "accepted_on": "受理日期",
    "application_date": "申请日期",
    "event_date": "事件日期",
    "submitted_by": "申请方式",
    "handler_name": "经办人",
    "reviewed_by": "初审人",
    "reviewed_on": "初审日期",
    "note": "备注",
    "batch": "上报批次",
    "result_package": "县局结果包",
    "approved_fen": "核定金额",
    "paid_fen": "拨付金额",
    "paid_on": "拨付日期",
}
# Internal bookkeeping that a clerk does not need to read in the timeline.
_HIDDEN = {
    "catalog_id",
    "catalog_version",
    "catalog_hash",
    "person_id",
    "organisation_id",
    "subsidy_id",
    "rows",
}
_MONEY = {"amount_fen", "approved_fen", "paid_fen"}


def _value(key: str, value: object) -> str:
    if value in (None, ""):
        return "—"
    if key == "submitted_by":
        from core.policy.words import ON_BEHALF_ZH

        return "本人" if value == "self" else ON_BEHALF_ZH.get(str(value), str(value))
    if key in _MONEY and isinstance(value, int):
        from core.money import format_yuan

        return f"{format_yuan(value)} 元"
    return str(value)


def _material_change(key: str, new: object, names: dict[str, str]) -> str:
    material_id, _, part = key.partition(".")
    name = names.get(material_id, material_id)
    if part == "received":
        return f"{name}{'已收到' if new else '改为未收到'}"
    if part == "original_seen":
        return f"{name}{'原件已核验退回' if new else '原件未核验'}"
    return f"{name}留存{new}份"


def _fact_value(fact: m.Fact | None, value: object) -> str:
    if fact is not None and value is not None:
        if fact.type == "bool":
            return "是" if value else "否"
        if fact.type == "choice":
            return next((c.label for c in fact.choices if c.value == value), str(value))
        if fact.type == "money" and isinstance(value, int):
            return _value("amount_fen", value)
    return _value("", value)


def _facts_change(old: object, new: object, facts: Mapping[str, m.Fact]) -> list[str]:
    before = old if isinstance(old, dict) else {}
    after = new if isinstance(new, dict) else {}
    out = []
    for k in sorted(set(before) | set(after)):
        if before.get(k) != after.get(k):
            fact = facts.get(k)
            label = fact.label if fact else "其他事项"
            out.append(f"{label}：{_fact_value(fact, before.get(k))} → {_fact_value(fact, after.get(k))}")
    return out


# Corrections whose reason is read first: it says why the state moved.
_REASON_FIRST = {"withdraw", "revert_review", "recall"}


def _describe(
    action: str, changes: dict[str, list[object]], subsidy: m.Subsidy, facts: Mapping[str, m.Fact]
) -> str:
    """One audit event in the clerk's words; `facts` also holds those of the catalog's other
    subsidies, which a case keeps in its trail after its subsidy was changed."""
    names = {x.id: x.name for x in subsidy.materials}
    parts: list[str] = []
    items = list(changes.items())
    if action in _REASON_FIRST:
        items.sort(key=lambda item: item[0] != "reason")
    for key, (old, new) in items:
        if key in _HIDDEN or (key != "facts" and _value(key, old) == _value(key, new)):
            continue
        if action == "checklist":
            parts.append(_material_change(key, new, names))
        elif key == "status":
            parts.append(f"状态：{status_label(str(old)) if old else '—'} → {status_label(str(new))}")
        elif key == "facts":
            parts += _facts_change(old, new, facts)
        elif key == "attachment":  # added (new) or removed (old)
            parts.append(str(new or old))
        elif key == "material":  # beside the file it belongs to
            material = new or old
            label = f"（{names.get(str(material), '未指定材料')}）" if material else ""
            parts[-1:] = [(parts[-1] if parts else "") + label]
        elif key == "reason":
            parts.append(f"原因：{new}")
        elif key == "batch":
            parts.append(f"第{new}批")
        else:
            # A field without a word of its own is still told, never by its program name.
            parts.append(f"{_FIELDS.get(key, '其他')}：{_value(key, old)} → {_value(key, new)}")
    text = "；".join(p for p in parts if p)
    return _ACTIONS.get(action, "其他记录") + (f"：{text}" if text else "")


def _local(at: dt.datetime) -> dt.datetime:
    """Audit times are stored in UTC; the clerk reads local time."""
    return at.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)


def case_detail(session: Session, case_id: int) -> CaseDetail:
    case: Case = get_case(session, case_id)
    subsidy = subsidy_of(case)
    who = case.person.name if case.person else (case.organisation.name if case.organisation else "")
    events = audit.history(session, "case", case.uuid)
    catalog = get_catalog(case.catalog_id)
    facts = {f.id: f for s in catalog.subsidies for f in s.facts} | {f.id: f for f in subsidy.facts}
    return CaseDetail(
        id=case.id,
        uuid=case.uuid,
        case_number=case.case_number,
        status=case.status,
        status_label=status_label(case.status),
        applicant=who,
        subsidy=subsidy,
        catalog_id=case.catalog_id,
        application_date=case.application_date,
        amount_fen=case.amount_fen,
        assessment=case.assessment,
        review_note=case.review_note,
        materials_due_on=case.materials_due_on,
        attachments=tuple(case_scans(session, case.id, subsidy)),
        timeline=tuple(
            TimelineEntry(_local(e.at), e.actor, _describe(e.action, e.changes, subsidy, facts))
            for e in events
        ),
        status_reason=status_reason(case, events),
        county=county_opinion(case, events),
        version=case.version,
    )


def case_scans(session: Session, case_id: int, subsidy: m.Subsidy) -> list[Scan]:
    names = {x.id: x.name for x in subsidy.materials}
    files = session.scalars(select(Attachment).where(Attachment.case_id == case_id).order_by(Attachment.id))
    return [
        Scan(
            f.id,
            f.filename,
            f.sha256,
            f.material_id,
            names.get(f.material_id or "", ""),
            _local(f.created_at),
        )
        for f in files
    ]


_REASON_LABELS = {
    ("withdraw", CaseStatus.WITHDRAWN): "撤回原因",
    ("revert_review", CaseStatus.ACCEPTED): "所长撤销初审的原因",
}


def status_reason(case: Case, events: list[AuditEvent]) -> StatusReason | None:
    """The reason behind the case's present state, read from the review or the audit trail."""
    status = CaseStatus(case.status)
    if status == CaseStatus.REVIEW_FAILED:
        return StatusReason("初审意见（不通过）", case.review_note, case.reviewed_by, case.reviewed_on)
    last = next((e for e in reversed(events) if "status" in e.changes), None)
    label = _REASON_LABELS.get((last.action, status)) if last is not None else None
    if last is None or label is None:
        return None
    reason = last.changes.get("reason") or [None, ""]
    return StatusReason(label, str(reason[1] or ""), last.actor, _local(last.at).date())


__all__ = [
    "CaseDetail",
    "CountyOpinion",
    "Scan",
    "StatusReason",
    "SubsidyChoice",
    "TimelineEntry",
    "case_detail",
    "case_scans",
    "checklist",
    "preview",
    "subsidy_choices",
]
