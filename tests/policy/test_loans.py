"""A loan's ceiling and term are shown as the loan's figures, apart from the money the office pays."""

from __future__ import annotations

from core.policy import model as m
from core.policy.assessment import Assessment
from core.policy.case import Applicant, CaseInput
from core.policy.engine import assess
from core.policy.explain import format_assessment
from core.policy.report import render_report
from core.policy.service import catalogs_by_id
from tests.policy.helpers import d

PERSON = Applicant("person", "张三", "610328199001011234", frozenset())


def _assess(catalog_id: str, subsidy_id: str, **facts: m.FactValue) -> tuple[m.Catalog, Assessment]:
    catalog = catalogs_by_id()[catalog_id]
    return catalog, assess(catalog, subsidy_id, CaseInput(d("2022-03-01"), PERSON, facts=facts))


def test_qianyang_individual_loan_figures() -> None:
    catalog, result = _assess(
        "qianyang-2021", "startup_guaranteed_loan", borrower_type="individual", loan_amount_fen=20000000,
        loan_term_months=36, local_lawful=True,
    )  # fmt: skip
    assert result.decision == "eligible" and result.amount_fen is None  # the office pays nothing
    assert [(f.ceiling_fen, f.term_months) for f in result.loan] == [(20000000, 36)]
    text = format_assessment(result, catalog)
    assert "个人借款人：额度最高20万元，期限最长3年" in text and "不是本所支付的补贴" in text
    assert result.to_dict()["loan"][0]["ceiling_fen"] == 20000000


def test_all_borrower_kinds_while_the_kind_is_unknown() -> None:
    _, result = _assess("qianyang-2021", "startup_guaranteed_loan")
    assert [f.label for f in result.loan] == [
        "个人借款人",
        "合伙创业或组织起来共同创业的借款人",
        "小微企业借款人",
    ]


def test_fengdu_partnership_ceiling_per_person_and_in_total() -> None:
    catalog, result = _assess("fengdu-2021", "startup_guaranteed_loan", loan_type="partnership")
    line = format_assessment(result, catalog)
    assert "每人最高22万元，额度最高110万元，期限文件未规定" in line


def test_report_shows_loan_figures_apart_from_the_amount() -> None:
    report = render_report(catalogs_by_id()["qianyang-2021"])
    assert "贷款额度和期限（银行发放的贷款数额，不是本所支付的补贴）" in report
    assert "小微企业借款人：额度最高1,000万元，期限最长2年（财政部门承担300万元以内的贷款贴息）" in report
