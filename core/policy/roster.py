"""Roster subsidies: which rows (persons) count, and why the others are excluded."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from core.categories import with_groups
from core.policy import model as m
from core.policy.assessment import Conflict, Excluded, Outcome, RuleOutcome
from core.policy.conditions import Env, evaluate
from core.policy.limits import LimitInput, check_limit


@dataclass
class RosterResult:
    eligible: int = 0
    unknown: list[str] = field(default_factory=list)  # rows lacking information, with the facts
    excluded: list[Excluded] = field(default_factory=list)
    outcomes: list[RuleOutcome] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    limit_hits: dict[str, list[str]] = field(default_factory=dict)  # limit id -> row messages
    capped: dict[str, list[str]] = field(default_factory=dict)  # duration cap id -> rows paid fewer months
    warned: dict[str, list[str]] = field(default_factory=dict)  # warn-effect condition id -> rows
    # One entry per eligible row: the month facts a duration cap reduced for it (empty: as claimed).
    row_months: list[dict[str, int]] = field(default_factory=list)


def assess_roster(rule: m.BeneficiaryRule, inp: LimitInput) -> RosterResult:
    result = RosterResult()
    limits = [x for x in inp.subsidy.limits if x.scope == "beneficiary"]
    for index, row in enumerate(inp.case.beneficiaries):
        who = f"第{index + 1}行 {row.name}"
        months: dict[str, int] = {}
        fails, missing = _row(rule, limits, dataclasses.replace(inp, row=row), result, who, months)
        if fails:
            result.excluded.append(Excluded(row.id_number, row.name, tuple(fails)))
        elif missing:
            result.unknown.append(f"{who}缺少{'、'.join(sorted(missing))}")
        else:
            result.eligible += 1
            result.row_months.append(months)
    result.outcomes.append(_summary(rule, result, len(inp.case.beneficiaries)))
    result.outcomes.extend(_warned(rule, result))
    result.outcomes.extend(_limit_outcomes(limits, result))
    if rule.min_count is not None:
        result.outcomes.append(_min_count(rule, result))
    return result


def _row(
    rule: m.BeneficiaryRule,
    limits: list[m.Limit],
    inp: LimitInput,
    result: RosterResult,
    who: str,
    months: dict[str, int],
) -> tuple[list[str], set[str]]:
    row = inp.row
    assert row is not None
    fails: list[str] = []
    categories = with_groups(row.categories)
    if rule.categories and not categories & set(rule.categories):
        fails.append("不属于文件规定的人员类别")
    env = Env(inp.facts(), inp.case.application_date, categories, row.id_number)
    for cond in rule.eligibility:
        verdict = evaluate(cond.test, env)
        if verdict is False and cond.effect == "warn":
            result.warned.setdefault(cond.id, []).append(who)
        elif verdict is False:
            fails.append(f"不符合：{cond.label}")
    for limit in limits:
        res = check_limit(limit, inp, row.id_number)
        if res.outcome.outcome in ("fail", "warn"):
            result.limit_hits.setdefault(limit.id, []).append(f"{who}{res.outcome.message_zh}")
            result.conflicts.extend(res.conflicts)
        if res.outcome.outcome == "fail":
            fails.append(res.outcome.message_zh)
        if res.months_allowed is not None and limit.fact:
            # A duration cap pays this person for the months left, not the months claimed.
            months[limit.fact] = min(months.get(limit.fact, res.months_allowed), res.months_allowed)
            result.capped.setdefault(limit.id, []).append(f"{who}{res.outcome.message_zh}")
            result.conflicts.extend(res.conflicts)
    for fact in rule.facts:
        if fact.required and fact.required_when is None and fact.id not in row.facts:
            env.missing.add(fact.id)
    labels = {f.id: f.label for f in (*inp.subsidy.facts, *rule.facts)}
    return fails, {labels.get(x, x) for x in env.missing}


def _warned(rule: m.BeneficiaryRule, r: RosterResult) -> list[RuleOutcome]:
    """One warning per warn-effect row condition that some rows do not meet."""
    out = []
    for cond in rule.eligibility:
        rows = r.warned.get(cond.id)
        if rows:
            text = f"{'、'.join(rows)}不符合：{cond.label}（仅提示，不影响计发）。"
            out.append(RuleOutcome(cond.id, "beneficiary", "warn", text, cond.clause))
    return out


def _limit_outcomes(limits: list[m.Limit], r: RosterResult) -> list[RuleOutcome]:
    """One line per roster limit that hit: `warn` for warn effects, `info` for exclusions and caps."""
    out = []
    for limit in limits:
        hits = r.limit_hits.get(limit.id, []) + r.capped.get(limit.id, [])
        if hits:
            outcome: Outcome = "warn" if limit.effect == "warn" else "info"
            out.append(RuleOutcome(limit.id, "limit", outcome, "；".join(hits), limit.clause))
        else:
            out.append(
                RuleOutcome(limit.id, "limit", "pass", f"花名册人员均未超出：{limit.label}。", limit.clause)
            )
    return out


def _summary(rule: m.BeneficiaryRule, r: RosterResult, total: int) -> RuleOutcome:
    text = f"{rule.label}共{total}人，符合条件{r.eligible}人，不符合{len(r.excluded)}人"
    if total == 0:
        return RuleOutcome(
            "beneficiaries", "beneficiary", "unknown", f"请录入{rule.label}花名册。", rule.clause
        )
    if r.unknown:
        return RuleOutcome(
            "beneficiaries",
            "beneficiary",
            "unknown",
            f"{text}，信息不全{len(r.unknown)}人：{'；'.join(r.unknown)}。",
            rule.clause,
        )
    if r.eligible == 0:
        return RuleOutcome(
            "beneficiaries",
            "beneficiary",
            "fail",
            f"{text}，没有符合条件的人员，不能享受本补贴。",
            rule.clause,
        )
    return RuleOutcome("beneficiaries", "beneficiary", "info", text + "。", rule.clause)


def _min_count(rule: m.BeneficiaryRule, r: RosterResult) -> RuleOutcome:
    need = rule.min_count or 0
    if r.eligible >= need:
        return RuleOutcome(
            "beneficiary_min_count",
            "beneficiary",
            "pass",
            f"符合条件的{rule.label}{r.eligible}人，达到至少{need}人的要求。",
            rule.clause,
        )
    if r.eligible + len(r.unknown) >= need:
        return RuleOutcome(
            "beneficiary_min_count",
            "beneficiary",
            "unknown",
            f"符合条件的{rule.label}目前{r.eligible}人，补全信息后才能判断是否达到{need}人。",
            rule.clause,
        )
    return RuleOutcome(
        "beneficiary_min_count",
        "beneficiary",
        "fail",
        f"符合条件的{rule.label}只有{r.eligible}人，不足文件要求的{need}人。",
        rule.clause,
    )
