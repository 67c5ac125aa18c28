"""Limits against the applicant's history (docs/catalog-format.md "limit").

Only accepted, approved and paid grants count. Grants of another catalog do not count: a
limit is a rule of its own document. A grant's year is its event date's year (`year_of:
event`, falling back to its application date) or its application date's year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from core.policy import model as m
from core.policy.amounts import yuan
from core.policy.assessment import Conflict, Outcome, RuleOutcome
from core.policy.case import BeneficiaryRow, CaseInput, HistoryGrant
from core.policy.vocab import COUNTING_STATUSES


@dataclass
class LimitResult:
    outcome: RuleOutcome
    conflicts: list[Conflict] = field(default_factory=list)
    amount_fen: int | None = None  # the amount after an amount_per_year cap
    months_allowed: int | None = None  # max_duration_months with effect "cap"


@dataclass(frozen=True)
class LimitInput:
    catalog_id: str
    subsidy: m.Subsidy
    case: CaseInput
    event_date: dt.date | None
    amount_fen: int | None
    names: dict[str, str]  # subsidy id -> name
    row: BeneficiaryRow | None = None  # the roster row a beneficiary-scope limit is checked for

    def facts(self) -> dict[str, m.FactValue]:
        return {**self.case.facts, **(self.row.facts if self.row else {})}


def grants_for(limit: m.Limit, inp: LimitInput, who: str) -> list[HistoryGrant]:
    by_applicant = limit.scope == "applicant"
    own = inp.case.applicant.id_number
    return [
        g
        for g in inp.case.history
        if g.status in COUNTING_STATUSES
        and g.subsidy in limit.subsidies
        and (not g.catalog or g.catalog == inp.catalog_id)
        and (g.applicant if by_applicant else g.person) == who
        and _whose(limit, g, own)
    ]


def _whose(limit: m.Limit, g: HistoryGrant, own: str) -> bool:
    if limit.applicants == "same":
        return g.applicant == own
    if limit.applicants == "others":
        return g.applicant != own
    return True


def check_limit(limit: m.Limit, inp: LimitInput, who: str) -> LimitResult:
    return _DISPATCH[limit.kind](limit, inp, grants_for(limit, inp, who))


def _year(limit: m.Limit, inp: LimitInput) -> int | None:
    if limit.year_of == "application":
        return inp.case.application_date.year
    day = inp.event_date or (inp.case.application_date if inp.subsidy.event_fact is None else None)
    return day.year if day else None


def grant_year(g: HistoryGrant, year_of: str) -> int | None:
    first, second = (
        (g.application_date, g.event_date) if year_of == "application" else (g.event_date, g.application_date)
    )
    day = first or second
    return day.year if day else None


def _effect(limit: m.Limit) -> Outcome:
    """What a breach of the limit does: the catalog report words each effect the same way."""
    return "warn" if limit.effect == "warn" else "fail"


def _outcome(limit: m.Limit, outcome: Outcome, message: str) -> RuleOutcome:
    return RuleOutcome(limit.id, "limit", outcome, f"{message}（{limit.label}）", limit.clause)


_STATUS_ZH = {"accepted": "已受理", "approved": "已审核通过", "paid": "已拨付"}


def _describe(g: HistoryGrant, inp: LimitInput, limit: m.Limit | None = None) -> str:
    day = g.event_date or g.application_date
    parts = [day.isoformat() if day else "日期不详", _STATUS_ZH.get(g.status, g.status)]
    by_person = limit is None or limit.scope != "applicant"
    if by_person and g.applicant and g.person and g.applicant != g.person:
        # The person is on an organisation's roster: the money went to the organisation.
        parts.append("由单位申报，本人在其花名册中")
    elif g.amount_fen:
        parts.append(yuan(g.amount_fen))
    return f"{inp.names.get(g.subsidy, g.subsidy)}（{'，'.join(parts)}）"


def _conflicts(limit: m.Limit, grants: list[HistoryGrant], inp: LimitInput) -> list[Conflict]:
    return [Conflict(limit.id, g, f"与已有的{_describe(g, inp, limit)}冲突") for g in grants]


def _count(limit: m.Limit, inp: LimitInput, grants: list[HistoryGrant], year: int | None) -> LimitResult:
    allowed = limit.max or 0
    if len(grants) < allowed:
        return LimitResult(_outcome(limit, "pass", f"已享受{len(grants)}次，未超过{allowed}次"))
    held = "、".join(_describe(g, inp, limit) for g in grants)
    span = f"{year}年内" if year is not None else ""
    message = f"{span}已享受{held}，已达到{allowed}次的上限"
    return LimitResult(_outcome(limit, _effect(limit), message), _conflicts(limit, grants, inp))


def _per_year(limit: m.Limit, inp: LimitInput, grants: list[HistoryGrant]) -> LimitResult:
    year = _year(limit, inp)
    if year is None:
        return LimitResult(_outcome(limit, "unknown", "缺少事件日期，无法判断所属年度"))
    return _count(limit, inp, [g for g in grants if grant_year(g, limit.year_of) == year], year)


def _lifetime(limit: m.Limit, inp: LimitInput, grants: list[HistoryGrant]) -> LimitResult:
    return _count(limit, inp, grants, None)


def _amount_per_year(limit: m.Limit, inp: LimitInput, grants: list[HistoryGrant]) -> LimitResult:
    year = _year(limit, inp)
    if year is None:
        return LimitResult(_outcome(limit, "unknown", "缺少事件日期，无法判断所属年度"))
    in_year = [g for g in grants if grant_year(g, limit.year_of) == year]
    remaining = max(0, (limit.max_fen or 0) - sum(g.amount_fen for g in in_year))
    used = f"{year}年已享受{yuan((limit.max_fen or 0) - remaining)}，剩余额度{yuan(remaining)}"
    if inp.amount_fen is None or inp.amount_fen <= remaining:
        return LimitResult(_outcome(limit, "pass", used), amount_fen=inp.amount_fen)
    conflicts = _conflicts(limit, in_year, inp)
    if limit.effect == "cap" and remaining > 0:
        return LimitResult(
            _outcome(limit, "info", f"{used}，本次金额由{yuan(inp.amount_fen)}减为{yuan(remaining)}"),
            conflicts,
            remaining,
        )
    outcome: Outcome = "warn" if limit.effect == "warn" else "fail"
    return LimitResult(
        _outcome(limit, outcome, f"{used}，本次{yuan(inp.amount_fen)}超出额度"), conflicts, inp.amount_fen
    )


def _exclusive(limit: m.Limit, inp: LimitInput, grants: list[HistoryGrant]) -> LimitResult:
    others = [g for g in grants if g.subsidy != inp.subsidy.id]
    if not others:
        return LimitResult(_outcome(limit, "pass", "未享受与本补贴互斥的其他补贴"))
    held = "、".join(_describe(g, inp, limit) for g in others)
    conflicts = _conflicts(limit, others, inp)
    this = yuan(inp.amount_fen) if inp.amount_fen is not None else "金额待定"
    if limit.mode == "choose_one" and limit.effect == "warn":
        message = f"已享受{held}；本补贴核定{this}。两者只能选其一，请记录申请人的选择"
        return LimitResult(_outcome(limit, "warn", message), conflicts)
    if limit.mode == "choose_one":
        message = f"已享受{held}，已选择了另一类；只能享受其中一类，不得同时或交叉享受，本补贴（核定{this}）不予受理"
        return LimitResult(_outcome(limit, "fail", message), conflicts)
    return LimitResult(_outcome(limit, _effect(limit), f"已享受{held}，不能同时享受本补贴"), conflicts)


def _duration(limit: m.Limit, inp: LimitInput, grants: list[HistoryGrant]) -> LimitResult:
    """Months of this claim against the cap, after the months granted before.

    Months granted before are those of the history (this office's earlier cases) or the number
    the clerk entered (`earlier_fact`, which may include grants elsewhere), whichever is more.
    """
    facts = inp.facts()
    months = facts.get(limit.fact or "")
    if not isinstance(months, int):
        return LimitResult(_outcome(limit, "unknown", f"缺少“{limit.fact}”，无法核对累计期限"))
    if limit.per_year:
        year = _year(limit, inp)
        if year is None:
            return LimitResult(_outcome(limit, "unknown", "缺少事件日期，无法判断所属年度"))
        grants = [g for g in grants if grant_year(g, limit.year_of) == year]
    entered = facts.get(limit.earlier_fact or "")
    earlier = max(sum(g.months or 0 for g in grants), entered if isinstance(entered, int) else 0)
    allowed = max(0, (limit.months or 0) - earlier)
    span = "本年度" if limit.per_year else ""
    total = f"{span}此前已享受{earlier}个月，本次{months}个月，上限{limit.months}个月"
    if months <= allowed:
        return LimitResult(_outcome(limit, "pass", total))
    conflicts = _conflicts(limit, [g for g in grants if g.months], inp)
    if limit.effect == "cap" and allowed > 0:
        message = f"{total}，超出的{months - allowed}个月不予计算，本次按剩余的{allowed}个月计"
        return LimitResult(_outcome(limit, "info", message), conflicts, months_allowed=allowed)
    if limit.effect == "cap":
        return LimitResult(
            _outcome(limit, "fail", f"{total}，已享受满{limit.months}个月，不能再享受"), conflicts
        )
    outcome: Outcome = "warn" if limit.effect == "warn" else "fail"
    return LimitResult(_outcome(limit, outcome, f"{total}，超过上限"), conflicts)


_DISPATCH = {
    "count_per_year": _per_year,
    "count_lifetime": _lifetime,
    "amount_per_year": _amount_per_year,
    "exclusive": _exclusive,
    "max_duration_months": _duration,
}
