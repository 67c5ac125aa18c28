"""Computing a subsidy's amount in integer fen from its amount rule.

Percent results are rounded half up to the fen, except where the rule says `"rounding":
"down"`: a ceiling ("不超过实际支出额50%") is taken on the sum and never passed by a fen. A missing fact or unset parameter raises
AmountUnknown (the decision becomes needs_info; the engine never invents a number).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from core.policy import model as m
from core.policy.case import ParameterValue
from core.policy.errors import CaseInputError


class AmountUnknown(Exception):
    def __init__(self, message_zh: str, facts: tuple[str, ...] = (), parameter: str = "") -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh
        self.facts = facts
        self.parameter = parameter


class AmountFail(Exception):
    """The amount rule itself rules the case out (no tier applies, zero denominator)."""

    def __init__(self, message_zh: str) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh


@dataclass
class AmountContext:
    facts: Mapping[str, m.FactValue]
    parameters: Mapping[str, ParameterValue]
    catalog_parameters: Mapping[str, m.Parameter]
    labels: Mapping[str, str]  # fact id -> label, for messages
    eligible_rows: int | None = None  # None while some roster rows are still unknown
    steps: list[str] = field(default_factory=list)


def yuan(fen: int) -> str:
    """500.00 元 style, exact (never via float)."""
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100:,}.{abs(fen) % 100:02d} 元"


def round_half_up(x: Fraction) -> int:
    return math.floor(x + Fraction(1, 2))


def compute(rule: m.AmountRule, ctx: AmountContext) -> int:
    result = _DISPATCH[type(rule)](rule, ctx)
    if rule.cap_fen is not None and result > rule.cap_fen:
        ctx.steps.append(f"超过上限，按上限{yuan(rule.cap_fen)}计")
        result = rule.cap_fen
    return result


def _int_fact(fact_id: str, ctx: AmountContext) -> int:
    value = ctx.facts.get(fact_id)
    if value is None:
        raise AmountUnknown(f"缺少“{ctx.labels.get(fact_id, fact_id)}”，无法计算金额。", (fact_id,))
    assert isinstance(value, int)
    return value


def _fixed(rule: m.FixedAmount, ctx: AmountContext) -> int:
    return rule.fen


def _units(units: tuple[m.Unit, ...], ctx: AmountContext) -> int:
    product = 1
    for unit in units:
        if unit.beneficiaries:
            if ctx.eligible_rows is None:
                raise AmountUnknown("花名册中有人员信息不全，无法确定符合条件的人数。")
            count = ctx.eligible_rows
        else:
            count = _int_fact(unit.fact or "", ctx)
            if unit.max is not None and count > unit.max:
                ctx.steps.append(
                    f"“{ctx.labels.get(unit.fact or '', unit.fact)}”{count}超过上限，按{unit.max}计"
                )
                count = unit.max
        product *= count
    return product


def _per_unit(rule: m.PerUnitAmount, ctx: AmountContext) -> int:
    return rule.fen * _units(rule.units, ctx)


def _actual_capped(rule: m.ActualCappedAmount, ctx: AmountContext) -> int:
    return min(_int_fact(rule.actual, ctx), rule.ceiling_fen)


def _per_day(rule: m.PerDayAmount, ctx: AmountContext) -> int:
    daily = rule.daily_fen
    if rule.daily_actual is not None:
        daily = min(daily, _int_fact(rule.daily_actual, ctx))
    total = _int_fact(rule.days, ctx) * daily
    if rule.total_cap_fen is not None:
        total = min(total, rule.total_cap_fen)
    return total


def _percent(rule: m.PercentAmount, ctx: AmountContext) -> int:
    exact = sum(_int_fact(f, ctx) for f in rule.base) * rule.percent / 100
    if rule.rounding == "down":
        return math.floor(exact)
    return round_half_up(exact)


def parameter_value(rule: m.ParameterAmount, ctx: AmountContext) -> int:
    """The office-entered value; a per-choice parameter may be keyed by its choice fact."""
    param = ctx.catalog_parameters[rule.parameter]
    raw = ctx.parameters.get(rule.parameter)
    if isinstance(raw, Mapping):
        choice = ctx.facts.get(param.fact or "")
        raw = raw.get(str(choice)) if choice is not None else None
    if raw is None:
        raise AmountUnknown(
            f"参数“{param.label}”尚未设定，请由县人社局按文件标准录入后再计算金额。", parameter=param.id
        )
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise CaseInputError(
            "CASE_PARAMETER_TYPE", f"参数“{param.label}”应为整数（分），现在是{raw!r}。", param.id
        )
    if param.ceiling_fen is not None and raw > param.ceiling_fen:
        # An invalid office setting is treated as not set: the case waits, nothing is invented.
        raise AmountUnknown(
            f"参数“{param.label}”录入为{yuan(raw)}，超过文件规定的上限{yuan(param.ceiling_fen)}，请县人社局改正后再计算金额。",
            parameter=param.id,
        )
    return raw


def _parameter(rule: m.ParameterAmount, ctx: AmountContext) -> int:
    return parameter_value(rule, ctx) * _units(rule.units, ctx)


def _tier_input(value: m.TierValue, ctx: AmountContext) -> Fraction:
    if value.fact is not None:
        return Fraction(_int_fact(value.fact, ctx))
    num, den = value.ratio or ("", "")
    n, d = _int_fact(num, ctx), _int_fact(den, ctx)
    if d == 0:
        raise AmountFail(f"“{ctx.labels.get(den, den)}”为0，无法计算比例。")
    return Fraction(n, d)


def _tiers(rule: m.TiersAmount, ctx: AmountContext) -> int:
    x = _tier_input(rule.value, ctx)
    for tier in rule.tiers:
        if tier.contains(x):
            ctx.steps.append(f"适用档次：{tier.label}")
            return compute(tier.rule, ctx)
    raise AmountFail(f"数值 {_show_fraction(x)} 不在任何补贴档次内。")


def _show_fraction(x: Fraction) -> str:
    if x.denominator == 1:
        return str(x.numerator)
    hundredths = round_half_up(x * 10000)  # percent with two decimals, exact
    return f"{x}（约{hundredths // 100}.{hundredths % 100:02d}%）"


def _choice(rule: m.ChoiceAmount, ctx: AmountContext) -> int:
    value = ctx.facts.get(rule.fact)
    if value is None:
        raise AmountUnknown(f"缺少“{ctx.labels.get(rule.fact, rule.fact)}”，无法计算金额。", (rule.fact,))
    for key, sub in rule.cases:
        if key == value:
            return compute(sub, ctx)
    raise AmountFail(f"“{ctx.labels.get(rule.fact, rule.fact)}”为“{value}”时文件未规定补贴标准。")


def _sum(rule: m.SumAmount, ctx: AmountContext) -> int:
    return sum(_all_parts(rule.parts, ctx))


def _min(rule: m.MinAmount, ctx: AmountContext) -> int:
    return min(_all_parts(rule.parts, ctx))


def _all_parts(parts: tuple[m.AmountRule, ...], ctx: AmountContext) -> list[int]:
    """Every part is tried so that all missing facts are named at once."""
    results: list[int] = []
    unknown: list[AmountUnknown] = []
    for part in parts:
        try:
            results.append(compute(part, ctx))
        except AmountUnknown as exc:
            unknown.append(exc)
    if unknown:
        facts = tuple(f for u in unknown for f in u.facts)
        raise AmountUnknown(
            "；".join(dict.fromkeys(u.message_zh for u in unknown)), facts, unknown[0].parameter
        )
    return results


def _multiply(rule: m.MultiplyAmount, ctx: AmountContext) -> int:
    return round_half_up(compute(rule.rule, ctx) * rule.percent / 100)


def _none(rule: m.NoAmount, ctx: AmountContext) -> int:
    return 0


def uses_fact(rule: m.AmountRule, fact_id: str) -> bool:
    """Whether the rule's result depends on the fact (as a unit, a tier value, a base ...)."""
    names: set[str] = set()
    if isinstance(rule, (m.PerUnitAmount, m.ParameterAmount)):
        names = {u.fact for u in rule.units if u.fact}
    elif isinstance(rule, m.ActualCappedAmount):
        names = {rule.actual}
    elif isinstance(rule, m.PerDayAmount):
        names = {rule.days, rule.daily_actual or ""}
    elif isinstance(rule, m.PercentAmount):
        names = set(rule.base)
    elif isinstance(rule, m.TiersAmount):
        names = {rule.value.fact or "", *(rule.value.ratio or ())}
        return fact_id in names or any(uses_fact(t.rule, fact_id) for t in rule.tiers)
    elif isinstance(rule, m.ChoiceAmount):
        return any(uses_fact(r, fact_id) for _, r in rule.cases)
    elif isinstance(rule, (m.SumAmount, m.MinAmount)):
        return any(uses_fact(r, fact_id) for r in rule.parts)
    elif isinstance(rule, m.MultiplyAmount):
        return uses_fact(rule.rule, fact_id)
    return fact_id in names


def pro_rata(amount: int, months: int, claimed: int) -> int:
    """An amount for `claimed` months cut to `months` of them, rounded down (never over)."""
    return amount * months // claimed if claimed > 0 else 0


_DISPATCH: dict[type, Callable[..., int]] = {
    m.FixedAmount: _fixed,
    m.PerUnitAmount: _per_unit,
    m.ActualCappedAmount: _actual_capped,
    m.PerDayAmount: _per_day,
    m.PercentAmount: _percent,
    m.ParameterAmount: _parameter,
    m.TiersAmount: _tiers,
    m.ChoiceAmount: _choice,
    m.SumAmount: _sum,
    m.MinAmount: _min,
    m.MultiplyAmount: _multiply,
    m.NoAmount: _none,
}
