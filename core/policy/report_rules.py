"""Limits, conditions, loans and population groups in words, for the catalog report.

What a limit does when it is breached is said here once (`promised_outcome`), and the tests
check that the engine does exactly that for every limit of every shipped catalog.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from core.categories import CATEGORY_GROUPS, member_list
from core.policy import model as m
from core.policy.amounts import yuan
from core.policy.assessment import Outcome
from core.policy.loans import figure_zh
from core.policy.words import CATEGORY_ZH, SCOPE_ZH, categories_zh

R = TypeVar("R", m.Condition, m.Window, m.Limit)
_LIMIT_KIND = {
    "count_per_year": "每年次数",
    "count_lifetime": "终身次数",
    "amount_per_year": "每年金额",
    "exclusive": "互斥",
    "max_duration_months": "累计月数",
}
_WHOSE = {"same": "只计本申请单位此前的记录", "others": "只计其他单位此前的记录"}


def promised_outcome(limit: m.Limit) -> Outcome:
    """The outcome of a breach, as the report words it: fail (refused), warn, or info (reduced)."""
    if limit.effect == "warn":
        return "warn"
    if limit.effect == "cap" and limit.kind in ("amount_per_year", "max_duration_months"):
        return "info"
    return "fail"


def breach_zh(limit: m.Limit) -> str:
    """What happens when the limit is reached, in the words of the outcome the engine gives."""
    roster = limit.scope == "beneficiary"
    outcome = promised_outcome(limit)
    if outcome == "warn":
        return "仅提示，不影响受理"
    if outcome == "fail":
        return "该人员不计入（花名册逐人剔除）" if roster else "不予受理"
    if limit.kind == "amount_per_year":
        return "超出部分扣减；额度已用完的不予受理"
    if roster:
        return "超出的月数不予计算，每人按剩余月数计发；已满的人员不计入"
    return "超出的月数不予计算，按剩余月数计发（金额不按月数计算的按剩余月数的比例折算，向下取整到分）；已满的不予受理"


def limit_zh(catalog: m.Catalog, x: m.Limit, labels: dict[str, str]) -> str:
    names = "、".join(s.name if (s := catalog.subsidy(i)) else i for i in x.subsidies)
    if x.kind in ("count_per_year", "count_lifetime"):
        year = "（按事件日期归年）" if x.year_of == "event" else "（按申请日期归年）"
        rule = f"{names}合计不超过{x.max}次" + (year if x.kind == "count_per_year" else "")
    elif x.kind == "amount_per_year":
        rule = f"{names}每年合计不超过{yuan(x.max_fen or 0)}"
    elif x.kind == "exclusive" and x.mode == "choose_one":
        rule = f"{names}只能享受其一：尚未享受时列出各项金额供选择；已有其中一项已受理、已审核或已拨付的，另一项{breach_zh(x)}"
    elif x.kind == "exclusive":
        rule = f"{names}只能享受其一"
    else:
        rule = _duration_zh(x, labels)
    if x.applicants in _WHOSE:
        rule += f"（{_WHOSE[x.applicants]}）"
    head = f"{x.label}【{_LIMIT_KIND.get(x.kind, x.kind)}，{SCOPE_ZH.get(x.scope, x.scope)}，{breach_zh(x)}】"
    return f"{head}：{rule}"


def _duration_zh(x: m.Limit, labels: dict[str, str]) -> str:
    fact = labels.get(x.fact or "", x.fact)
    span = "同一自然年度内" if x.per_year else "累计"
    text = f"“{fact}”加此前已享受的月数，{span}不超过{x.months}个月"
    if x.earlier_fact:
        text += f"（此前月数取享受记录与填报的“{labels.get(x.earlier_fact, x.earlier_fact)}”中较大者）"
    return text


def condition_effect_zh(c: m.Condition) -> str:
    return "（仅提示：文件未把它定为享受条件，未做到的不影响补贴）" if c.effect == "warn" else ""


def loan_lines(loan: m.LoanTerms) -> list[str]:
    return [figure_zh(f) for f in loan.figures]


def group_lines() -> list[str]:
    """Each population group with everything it admits, and where that is stated."""
    out = []
    for g in CATEGORY_GROUPS:
        out.append(f"{CATEGORY_ZH[g.code]}包括：{categories_zh(member_list(g.code))}。依据：{g.source}")
    return out


def categories_with_members(codes: tuple[str, ...]) -> str:
    """“监测对象（含脱贫不稳定户（人口）、边缘易致贫人口、突发严重困难户（人口））、脱贫人口……”"""
    parts = []
    for code in codes:
        members = member_list(code)
        parts.append(CATEGORY_ZH.get(code, code) + (f"（含{categories_zh(members)}）" if members else ""))
    return "、".join(parts)


def reading_zh(r: m.Reading, chosen: str | None = None) -> str:
    """A reading; for one the county decides, its alternatives, the default and the county's choice."""
    basis = f"（依据：{r.basis}）" if r.basis else ""
    if not r.alternatives:
        return f"{r.question} —— 本目录理解：{r.reading}{basis}"
    options = "；".join(
        f"{i}. {a.label}" + (f"（{a.note}）" if a.note else "") for i, a in enumerate(r.alternatives, 1)
    )
    default = r.alternative(r.default)
    fallback = f"县人社局未选择时采用：{default.label}" if default else ""
    picked = r.alternative(chosen)
    decided = f"。县人社局已选择：{picked.label}" if picked else "。县人社局尚未选择，按默认"
    return (
        f"{r.question} —— 由县人社局确定。可选理解：{options}。{fallback}{decided}。说明：{r.reading}{basis}"
    )


def variants_zh(catalog: m.Catalog, rule: R, describe: Callable[[R], str]) -> str:
    """How a rule bound to a county-decided reading reads under each of its alternatives."""
    if rule.reading is None:
        return ""
    reading = next((r for r in catalog.readings if r.id == rule.reading), None)
    if reading is None:
        return ""
    variants = dict(rule.variants)
    parts = []
    for i, alt in enumerate(reading.alternatives, 1):
        head = f"{i}. {alt.label}" + ("（默认）" if alt.id == reading.default else "")
        if alt.id not in variants:
            parts.append(f"{head}：如上")
        elif (variant := variants[alt.id]) is None:
            parts.append(f"{head}：本规则不适用")
        else:
            parts.append(f"{head}：{describe(variant)}")
    return f"（本条随县人社局确定的理解而定——{'；'.join(parts)}）"
