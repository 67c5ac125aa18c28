"""A loan's own figures (ceiling, term), shown apart from any money the office pays.

创业担保贷款 is lent by a bank: the office pays nothing (`amount` is `none`), but the clerk and
the applicant need the loan's ceiling and term for the kind of borrower, as the document states.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.policy import model as m
from core.policy.amounts import yuan
from core.policy.assessment import RuleOutcome


def wan_yuan(fen: int) -> str:
    """20万元 for whole ten-thousands of yuan, else the exact amount."""
    return f"{fen // 1_000_000:,}万元" if fen % 1_000_000 == 0 else yuan(fen)


def term_zh(months: int) -> str:
    return f"{months // 12}年" if months % 12 == 0 else f"{months}个月"


def figure_zh(f: m.LoanFigure) -> str:
    parts = []
    if f.per_person_fen is not None:
        parts.append(f"每人最高{wan_yuan(f.per_person_fen)}")
    if f.ceiling_fen is not None:
        parts.append(f"额度最高{wan_yuan(f.ceiling_fen)}")
    parts.append(f"期限最长{term_zh(f.term_months)}" if f.term_months is not None else "期限文件未规定")
    return f"{f.label}：{'，'.join(parts)}" + (f"（{f.note}）" if f.note else "")


def applicable(loan: m.LoanTerms, facts: Mapping[str, m.FactValue]) -> tuple[m.LoanFigure, ...]:
    """The figures for this borrower's kind; all of them while the kind is not yet known."""
    kind = facts.get(loan.fact) if loan.fact else None
    return tuple(f for f in loan.figures if kind is None or f.when is None or f.when == kind)


def loan_outcome(
    subsidy: m.Subsidy, facts: Mapping[str, m.FactValue]
) -> tuple[RuleOutcome, tuple[m.LoanFigure, ...]] | None:
    if subsidy.loan is None:
        return None
    figures = applicable(subsidy.loan, facts)
    text = (
        "贷款额度和期限（由经办银行发放的贷款，不是本所支付的补贴）："
        + "；".join(map(figure_zh, figures))
        + "。"
    )
    return RuleOutcome("loan", "loan", "info", text, subsidy.loan.clause), figures
