"""Reading amount rules (docs/catalog-format.md, "amount rule"), checking tiers at load."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from core.policy import model as m
from core.policy import vocab as v
from core.policy.parse_rules import RuleReader
from core.policy.reader import join

_COMMON = ("kind", "label", "clause", "cap_fen")
_KINDS = (
    "fixed",
    "per_unit",
    "actual_capped",
    "per_day",
    "percent",
    "parameter",
    "tiers",
    "choice",
    "sum",
    "min",
    "multiply",
    "none",
)
Raw = dict[str, Any]


def parse_clause(rr: RuleReader, raw: object, path: str) -> m.Clause | None:
    if raw is None:
        return None
    d = rr.r.obj(raw, path, ("section", "text"), ("section", "text"))
    if d is None:
        return None
    text = rr.r.text(d, "text", path)
    if not text.strip():
        rr.r.error(join(path, "text"), "CATALOG_MISSING", "条款原文 text 不能为空，请从文件中逐字复制。")
    return m.Clause(rr.r.text(d, "section", path), text)


def parse_amount(rr: RuleReader, raw: object, path: str) -> m.AmountRule | None:
    if not isinstance(raw, dict):
        rr.r.error(path, "CATALOG_SCHEMA", "金额规则应为对象 {...}。")
        return None
    kind = rr.r.enum(raw, "kind", path, _KINDS, "")
    if not kind:
        return None
    allowed, required, build = _PARSERS[kind]
    if rr.r.obj(raw, path, (*_COMMON, *allowed), required) is None:
        return None
    common = {
        "label": rr.r.text(raw, "label", path),
        "clause": parse_clause(rr, raw.get("clause"), join(path, "clause")),
        "cap_fen": rr.r.integer(raw, "cap_fen", path),
    }
    return build(rr, raw, path, common)


def _fen(rr: RuleReader, d: Raw, key: str, path: str) -> int:
    value = rr.r.integer(d, key, path)
    if value is not None and value < 0:
        rr.r.error(join(path, key), "CATALOG_BAD_VALUE", "金额不能为负数。")
    return value or 0


def _fixed(rr: RuleReader, d: Raw, path: str, c: dict[str, Any]) -> m.AmountRule:
    return m.FixedAmount(fen=_fen(rr, d, "fen", path), **c)


def _units(rr: RuleReader, d: Raw, path: str) -> tuple[m.Unit, ...]:
    units: list[m.Unit] = []
    for p, raw in rr.r.items(d, "units", path, required=True):
        u = rr.r.obj(raw, p, ("fact", "max", "beneficiaries"))
        if u is None:
            continue
        if "beneficiaries" in u:
            rr.r.enum(u, "beneficiaries", p, ("eligible",), "eligible")
            if not rr.roster:
                rr.r.error(p, "CATALOG_NO_ROSTER", "按人数计算需要该补贴定义 beneficiary（花名册）。")
            units.append(m.Unit(beneficiaries=True))
            continue
        fact = rr.fact_ref(u.get("fact"), join(p, "fact"), ("int",))
        units.append(m.Unit(fact=fact, max=rr.r.integer(u, "max", p)))
    return tuple(units)


def _per_unit(rr: RuleReader, d: Raw, path: str, c: dict[str, Any]) -> m.AmountRule:
    return m.PerUnitAmount(fen=_fen(rr, d, "fen", path), units=_units(rr, d, path), **c)


def _actual_capped(rr: RuleReader, d: Raw, path: str, c: dict[str, Any]) -> m.AmountRule:
    actual = rr.fact_ref(d.get("actual"), join(path, "actual"), ("money",)) or ""
    return m.ActualCappedAmount(actual=actual, ceiling_fen=_fen(rr, d, "ceiling_fen", path), **c)


def _per_day(rr: RuleReader, d: Raw, path: str, c: dict[str, Any]) -> m.AmountRule:
    days = rr.fact_ref(d.get("days"), join(path, "days"), ("int",)) or ""
    daily_actual = None
    if d.get("daily_actual") is not None:
        daily_actual = rr.fact_ref(d["daily_actual"], join(path, "daily_actual"), ("money",))
    return m.PerDayAmount(
        days=days,
        daily_fen=_fen(rr, d, "daily_fen", path),
        total_cap_fen=rr.r.integer(d, "total_cap_fen", path),
        daily_actual=daily_actual,
        **c,
    )


def _percent(rr: RuleReader, d: Raw, path: str, c: dict[str, Any]) -> m.AmountRule:
    """`base` is one money fact or a list of them, summed before the percent is taken."""
    raw = d.get("base")
    names = raw if isinstance(raw, list) and raw else [raw]
    base = tuple(
        rr.fact_ref(x, join(path, "base") if len(names) == 1 else join(join(path, "base"), i), ("money",))
        or ""
        for i, x in enumerate(names)
    )
    return m.PercentAmount(
        base=base,
        percent=rr.r.fraction(d, "percent", path) or Fraction(0),
        rounding=rr.r.enum(d, "rounding", path, v.ROUNDINGS, "half_up"),
        **c,
    )


def _parameter(rr: RuleReader, d: Raw, path: str, c: dict[str, Any]) -> m.AmountRule:
    pid = d.get("parameter")
    param = rr.parameters.get(pid) if isinstance(pid, str) else None
    if param is None:
        rr.r.error(
            join(path, "parameter"),
            "CATALOG_UNKNOWN_PARAMETER",
            f"引用了未定义的参数“{pid}”，请在 parameters 中定义。",
        )
    elif param.type != "money":
        rr.r.error(
            join(path, "parameter"), "CATALOG_PARAMETER_TYPE", f"参数“{pid}”用作金额，其 type 应为 money。"
        )
    if param is not None and param.fact is not None and param.fact not in rr.facts:
        rr.r.error(
            join(path, "parameter"),
            "CATALOG_UNKNOWN_FACT",
            f"参数“{pid}”按事实“{param.fact}”取值，但本补贴没有定义该事实。",
        )
    units = _units(rr, d, path) if "units" in d else ()
    return m.ParameterAmount(parameter=str(pid), units=units, **c)


def _tier_value(rr: RuleReader, raw: object, path: str) -> m.TierValue:
    v = rr.r.obj(raw, path, ("fact", "ratio"))
    if v is None:
        return m.TierValue()
    if "ratio" in v:
        return m.TierValue(ratio=rr.ratio_pair(v["ratio"], join(path, "ratio")))
    return m.TierValue(fact=rr.fact_ref(v.get("fact"), join(path, "fact"), ("int", "money")))


def _tier(rr: RuleReader, raw: object, path: str) -> m.Tier | None:
    allowed = ("label", "min", "min_inclusive", "max", "max_inclusive", "rule", "clause")
    t = rr.r.obj(raw, path, allowed, ("rule",))
    if t is None:
        return None
    rule = parse_amount(rr, t.get("rule"), join(path, "rule"))
    tier = m.Tier(
        label=rr.r.text(t, "label", path),
        min=rr.r.fraction(t, "min", path),
        min_inclusive=rr.r.boolean(t, "min_inclusive", path, True),
        max=rr.r.fraction(t, "max", path),
        max_inclusive=rr.r.boolean(t, "max_inclusive", path, False),
        rule=rule or m.NoAmount(),
        clause=parse_clause(rr, t.get("clause"), join(path, "clause")),
    )
    if tier.min is not None and tier.max is not None and tier.min > tier.max:
        rr.r.error(path, "CATALOG_TIER_EMPTY", f"档次“{tier.label}”的下限大于上限。")
    return tier


def _tiers(rr: RuleReader, d: Raw, path: str, c: dict[str, Any]) -> m.AmountRule:
    value = _tier_value(rr, d.get("value"), join(path, "value"))
    found = [(p, _tier(rr, raw, p)) for p, raw in rr.r.items(d, "tiers", path, required=True)]
    tiers = [(p, t) for p, t in found if t is not None]
    if not tiers:
        rr.r.error(join(path, "tiers"), "CATALOG_MISSING", "分档规则至少要有一档。")
    check_tiers(rr, tiers)
    return m.TiersAmount(value=value, tiers=tuple(t for _, t in tiers), **c)


def check_tiers(rr: RuleReader, tiers: list[tuple[str, m.Tier]]) -> None:
    """Sorted by lower bound, each tier must start exactly where the previous one ends."""
    ordered = sorted(tiers, key=lambda pt: (pt[1].min is not None, pt[1].min or 0))
    for (_, a), (p, b) in itertools.pairwise(ordered):
        problem = _junction(a, b)
        if problem:
            rr.r.error(p, f"CATALOG_TIER_{problem}", _TIER_MESSAGES[problem].format(a=a.label, b=b.label))


_TIER_MESSAGES = {
    "OVERLAP": "档次“{a}”与“{b}”重叠：同一个数值不能落入两档。",
    "GAP": "档次“{a}”与“{b}”之间有空档：有的数值不属于任何一档（检查上下限及“含/不含”）。",
}


def _junction(a: m.Tier, b: m.Tier) -> str:
    if a.max is None or b.min is None:
        return "OVERLAP"
    if a.max != b.min:
        return "OVERLAP" if a.max > b.min else "GAP"
    if a.max_inclusive and b.min_inclusive:
        return "OVERLAP"
    return "" if a.max_inclusive or b.min_inclusive else "GAP"


def _choice(rr: RuleReader, d: Raw, path: str, c: dict[str, Any]) -> m.AmountRule:
    fact_id = rr.fact_ref(d.get("fact"), join(path, "fact"), ("choice",)) or ""
    cases_raw = d.get("cases")
    if not isinstance(cases_raw, dict):
        rr.r.error(join(path, "cases"), "CATALOG_SCHEMA", "cases 应为对象 {选项值: 金额规则}。")
        cases_raw = {}
    cases: list[tuple[str, m.AmountRule]] = []
    options = {ch.value for ch in rr.facts[fact_id].choices} if fact_id else set()
    for key, raw in cases_raw.items():
        p = join(join(path, "cases"), key)
        if fact_id and key not in options:
            rr.r.error(p, "CATALOG_BAD_VALUE", f"“{key}”不是事实“{fact_id}”的选项。")
        rule = parse_amount(rr, raw, p)
        if rule is not None:
            cases.append((key, rule))
    return m.ChoiceAmount(fact=fact_id, cases=tuple(cases), **c)


def _parts(rr: RuleReader, d: Raw, path: str) -> tuple[m.AmountRule, ...]:
    parts = [parse_amount(rr, raw, p) for p, raw in rr.r.items(d, "parts", path, required=True)]
    if not parts:
        rr.r.error(join(path, "parts"), "CATALOG_MISSING", "parts 不能为空。")
    return tuple(p for p in parts if p is not None)


def _sum(rr: RuleReader, d: Raw, path: str, c: dict[str, Any]) -> m.AmountRule:
    return m.SumAmount(parts=_parts(rr, d, path), **c)


def _min(rr: RuleReader, d: Raw, path: str, c: dict[str, Any]) -> m.AmountRule:
    return m.MinAmount(parts=_parts(rr, d, path), **c)


def _multiply(rr: RuleReader, d: Raw, path: str, c: dict[str, Any]) -> m.AmountRule:
    rule = parse_amount(rr, d.get("rule"), join(path, "rule")) or m.NoAmount()
    return m.MultiplyAmount(rule=rule, percent=rr.r.fraction(d, "percent", path) or Fraction(0), **c)


def _none(rr: RuleReader, d: Raw, path: str, c: dict[str, Any]) -> m.AmountRule:
    return m.NoAmount(note=rr.r.text(d, "note", path), **c)


Builder = Callable[[RuleReader, Raw, str, dict[str, Any]], m.AmountRule]
_PARSERS: dict[str, tuple[tuple[str, ...], tuple[str, ...], Builder]] = {
    "fixed": (("fen",), ("fen",), _fixed),
    "per_unit": (("fen", "units"), ("fen", "units"), _per_unit),
    "actual_capped": (("actual", "ceiling_fen"), ("actual", "ceiling_fen"), _actual_capped),
    "per_day": (("days", "daily_fen", "total_cap_fen", "daily_actual"), ("days", "daily_fen"), _per_day),
    "percent": (("base", "percent", "rounding"), ("base", "percent"), _percent),
    "parameter": (("parameter", "units"), ("parameter",), _parameter),
    "tiers": (("value", "tiers"), ("value", "tiers"), _tiers),
    "choice": (("fact", "cases"), ("fact", "cases"), _choice),
    "sum": (("parts",), ("parts",), _sum),
    "min": (("parts",), ("parts",), _min),
    "multiply": (("rule", "percent"), ("rule", "percent"), _multiply),
    "none": (("note",), (), _none),
}
