"""Amount rules, tests and windows described in words, for the catalog report."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from core.policy import model as m
from core.policy.amounts import yuan
from core.policy.vocab import OP_ZH
from core.policy.words import categories_zh

_WINDOW_EFFECT = {"reject": "逾期不予受理", "warn": "仅提示，不影响受理"}


def fraction_zh(x: Fraction) -> str:
    if x.denominator == 1:
        return str(x.numerator)
    return f"{x.numerator}/{x.denominator}"


def percent_zh(x: Fraction) -> str:
    return f"{fraction_zh(x)}%"


def date_ref_zh(ref: m.DateRef, labels: dict[str, str]) -> str:
    return "申请日期" if ref.fact is None else f"“{labels.get(ref.fact, ref.fact)}”"


def test_zh(test: m.Test, labels: dict[str, str]) -> str:
    """A test as a sentence: “劳动合同期限” 不低于 12."""
    if isinstance(test, m.FactTest):
        name = f"“{labels.get(test.fact, test.fact)}”"
        if test.other_fact is not None:
            return f"{name} {OP_ZH[test.op]} “{labels.get(test.other_fact, test.other_fact)}”"
        if test.op in ("is_true", "is_false"):
            return f"{name} {OP_ZH[test.op]}"
        return f"{name} {OP_ZH[test.op]} {_value_zh(test.value)}"
    if isinstance(test, m.RatioTest):
        num, den = labels.get(test.numerator, test.numerator), labels.get(test.denominator, test.denominator)
        return f"“{num}”÷“{den}” {OP_ZH[test.op]} {fraction_zh(test.value)}"
    if isinstance(test, m.CategoriesTest):
        return f"属于以下类别之一：{categories_zh(test.categories)}"
    if isinstance(test, (m.AgeTest, m.MonthsBetweenTest)):
        return _number_test_zh(test, labels)
    if isinstance(test, m.NotTest):
        return f"并非（{test_zh(test.part, labels)}）"
    joiner = "，并且" if isinstance(test, m.AllTest) else "，或者"
    return "（" + joiner.join(test_zh(t, labels) for t in test.parts) + "）"


def _number_test_zh(test: m.AgeTest | m.MonthsBetweenTest, labels: dict[str, str]) -> str:
    if isinstance(test, m.AgeTest):
        subject = f"按{date_ref_zh(test.on, labels)}计算的周岁年龄"
    else:
        start, end = date_ref_zh(test.start, labels), date_ref_zh(test.end, labels)
        subject = f"从{start}到{end}的整月数"
    if test.op == "between":
        return f"{subject}在 {test.value[0]} 至 {test.value[1]} 之间（含两端）"
    return f"{subject} {OP_ZH[test.op]} {test.value[0]}"


def _value_zh(value: object) -> str:
    if isinstance(value, tuple):
        return "、".join(_value_zh(v) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def fact_labels(facts: Iterable[m.Fact]) -> dict[str, str]:
    """Each fact's label, and each choice's as "fact=value" (choice values are program words)."""
    facts = tuple(facts)
    labels = {f.id: f.label for f in facts}
    labels.update({f"{f.id}={ch.value}": ch.label for f in facts for ch in f.choices})
    return labels


def unit_zh(unit: m.Unit, labels: dict[str, str]) -> str:
    if unit.beneficiaries:
        return "符合条件的人数"
    text = f"“{labels.get(unit.fact or '', unit.fact)}”"
    return text + (f"（最多按{unit.max}计）" if unit.max is not None else "")


def amount_zh(rule: m.AmountRule, labels: dict[str, str], params: dict[str, m.Parameter]) -> str:
    text = _amount_core(rule, labels, params)
    if rule.cap_fen is not None:
        text += f"，最高 {yuan(rule.cap_fen)}"
    return text


def _amount_core(rule: m.AmountRule, labels: dict[str, str], params: dict[str, m.Parameter]) -> str:
    sub = lambda r: amount_zh(r, labels, params)  # noqa: E731 - short local alias
    units = lambda us: "".join(f" × {unit_zh(u, labels)}" for u in us)  # noqa: E731
    if isinstance(rule, m.FixedAmount):
        return f"固定金额 {yuan(rule.fen)}"
    if isinstance(rule, m.PerUnitAmount):
        return f"{yuan(rule.fen)}{units(rule.units)}"
    if isinstance(rule, m.ActualCappedAmount):
        return f"按“{labels.get(rule.actual, rule.actual)}”实际金额，不超过 {yuan(rule.ceiling_fen)}"
    if isinstance(rule, m.PerDayAmount):
        daily = f"每天 {yuan(rule.daily_fen)}"
        if rule.daily_actual:
            daily += f"（实际每日“{labels.get(rule.daily_actual, rule.daily_actual)}”较低时按实际）"
        cap = f"，总额不超过 {yuan(rule.total_cap_fen)}" if rule.total_cap_fen is not None else ""
        return f"{daily} × “{labels.get(rule.days, rule.days)}”{cap}"
    if isinstance(rule, m.PercentAmount):
        base = "＋".join(f"“{labels.get(b, b)}”" for b in rule.base)
        base = f"（{base}）合计" if len(rule.base) > 1 else base
        rounding = "向下取整到分，不超过该比例" if rule.rounding == "down" else "四舍五入到分"
        return f"{base}的 {percent_zh(rule.percent)}（{rounding}）"
    if isinstance(rule, m.ParameterAmount):
        param = params.get(rule.parameter)
        name = param.label if param else rule.parameter
        return f"参数“{name}”（由县人社局录入）{units(rule.units)}"
    if isinstance(rule, m.TiersAmount):
        return "分档计算，见下表"
    if isinstance(rule, m.ChoiceAmount):
        # Choice values are program words: the report shows the choice's own label.
        cases = "；".join(f"选“{labels.get(f'{rule.fact}={key}', key)}”时：{sub(r)}" for key, r in rule.cases)
        return f"按“{labels.get(rule.fact, rule.fact)}”区分：{cases}"
    if isinstance(rule, m.SumAmount):
        return "以下各项之和：" + "；".join(sub(r) for r in rule.parts)
    if isinstance(rule, m.MinAmount):
        return "以下各项中较低者：" + "；".join(sub(r) for r in rule.parts)
    if isinstance(rule, m.MultiplyAmount):
        return f"（{sub(rule.rule)}）× {percent_zh(rule.percent)}"
    assert isinstance(rule, m.NoAmount)
    return f"不经办发放资金{('：' + rule.note) if rule.note else ''}"


def bound_zh(tier: m.Tier) -> str:
    low = (
        "" if tier.min is None else f"{fraction_zh(tier.min)}{'（含）' if tier.min_inclusive else '（不含）'}"
    )
    high = (
        "" if tier.max is None else f"{fraction_zh(tier.max)}{'（含）' if tier.max_inclusive else '（不含）'}"
    )
    if low and high:
        return f"{low} 至 {high}"
    return f"{low} 以上" if low else f"{high} 以下"


def window_zh(w: m.Window, labels: dict[str, str]) -> str:
    event = f"“{labels.get(w.event or '', w.event)}”"
    if w.kind == "after_event":
        start = f"{event}当天" if w.open_months == 0 else f"{event}后第{w.open_months}个月期满的次日"
        text = f"{start}起，至{event}后{w.close_months}个月期满之日止（遇休息日、节假日顺延）"
    elif w.kind == "by_year_end":
        text = f"不迟于{event}当年{w.month_day[0]}月{w.month_day[1]}日（遇休息日、节假日顺延）"
    elif w.kind == "deadline":
        text = f"不迟于 {w.date.isoformat() if w.date else '?'}（遇休息日、节假日顺延）"
    else:
        text = "在每年" + "、".join(f"{x}月" for x in w.months) + "申报"
    return f"{text}；{_WINDOW_EFFECT.get(w.effect, w.effect)}"
