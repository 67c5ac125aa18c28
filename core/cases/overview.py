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
    "checklist": "材料清单",
    "attach": "附加扫描件",
    "roster": "花名册",
}
_FIELDS = {
    "status": "状态",
    "facts": "申请信息",
    "amount_fen": "金额（分）",
    "case_number": "受理编号",
    "review_note": "初审意见",
    "materials_due_on": "补齐材料期限",
    "accepted_on": "受理日期",
}


def _describe(action: str, changes: dict[str, list[object]]) -> str:
    parts = []
    for key, (old, new) in changes.items():
        if key == "status":
            parts.append(f"状态：{status_label(str(old)) if old else '—'} → {status_label(str(new))}")
        elif key in _FIELDS and key != "facts":
            parts.append(f"{_FIELDS[key]}：{old if old not in (None, '') else '—'} → {new}")
        elif key == "facts":
            parts.append("申请信息已更新")
        else:
            parts.append(f"{key}：{old} → {new}")
    return f"{_ACTIONS.get(action, action)}：" + "；".join(parts[:6])


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
        timeline=tuple(TimelineEntry(e.at, e.actor, _describe(e.action, e.changes)) for e in events),
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
