"""Read-only views of cases and subsidies for the screens: what a clerk sees before choosing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.cases.history import case_input
from core.cases.intake import checklist, subsidy_of
from core.cases.service import get_case
from core.cases.states import status_label
from core.db.models import Attachment, Case
from core.policy import model as m
from core.policy.assessment import Assessment
from core.policy.engine import assess
from core.policy.report_text import amount_zh, window_zh
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
        labels = {f.id: f.label for f in s.facts}
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
    attachments: tuple[tuple[str, str], ...]
    timeline: tuple[TimelineEntry, ...]


_ACTIONS = {
    "create": "建立案件",
    "update": "修改",
    "checklist": "申请材料",
    "attach": "附加扫描件",
    "roster": "花名册",
    "county_result": "县局审核结果",
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
}
# Internal bookkeeping that a clerk does not need to read in the timeline.
_HIDDEN = {"catalog_id", "catalog_version", "person_id", "organisation_id", "subsidy_id", "rows"}


def _value(key: str, value: object) -> str:
    if value in (None, ""):
        return "—"
    if key == "submitted_by":
        from core.policy.words import ON_BEHALF_ZH

        return "本人" if value == "self" else ON_BEHALF_ZH.get(str(value), str(value))
    if key == "amount_fen" and isinstance(value, int):
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


def _facts_change(old: object, new: object, subsidy: m.Subsidy) -> list[str]:
    before = old if isinstance(old, dict) else {}
    after = new if isinstance(new, dict) else {}
    out = []
    for k in sorted(set(before) | set(after)):
        if before.get(k) != after.get(k):
            fact = subsidy.fact(k)
            label = fact.label if fact else k
            out.append(f"{label}：{_fact_value(fact, before.get(k))} → {_fact_value(fact, after.get(k))}")
    return out


def _describe(action: str, changes: dict[str, list[object]], subsidy: m.Subsidy) -> str:
    names = {x.id: x.name for x in subsidy.materials}
    parts: list[str] = []
    for key, (old, new) in changes.items():
        if key in _HIDDEN or (key != "facts" and _value(key, old) == _value(key, new)):
            continue
        if action == "checklist":
            parts.append(_material_change(key, new, names))
        elif key == "status":
            parts.append(f"状态：{status_label(str(old)) if old else '—'} → {status_label(str(new))}")
        elif key == "facts":
            parts += _facts_change(old, new, subsidy)
        elif key == "attachment":
            parts.append(str(new))
        elif key == "material":
            parts.append(f"（{names.get(str(new), '未指定材料')}）" if new else "")
        else:
            parts.append(f"{_FIELDS.get(key, key)}：{_value(key, old)} → {_value(key, new)}")
    text = "；".join(p for p in parts if p)
    return f"{_ACTIONS.get(action, action)}" + (f"：{text}" if text else "")


def _local(at: dt.datetime) -> dt.datetime:
    """Audit times are stored in UTC; the clerk reads local time."""
    return at.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)


def case_detail(session: Session, case_id: int) -> CaseDetail:
    case: Case = get_case(session, case_id)
    subsidy = subsidy_of(case)
    who = case.person.name if case.person else (case.organisation.name if case.organisation else "")
    events = audit.history(session, "case", case.uuid)
    files = session.scalars(select(Attachment).where(Attachment.case_id == case.id).order_by(Attachment.id))
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
        attachments=tuple((f.filename, f.sha256) for f in files),
        timeline=tuple(
            TimelineEntry(_local(e.at), e.actor, _describe(e.action, e.changes, subsidy)) for e in events
        ),
    )


__all__ = [
    "CaseDetail",
    "SubsidyChoice",
    "TimelineEntry",
    "case_detail",
    "checklist",
    "preview",
    "subsidy_choices",
]
