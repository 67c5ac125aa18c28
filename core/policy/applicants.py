"""Who applies: the applicant's kind, population categories or organisation type, and the filer.

Population categories are a hierarchy (core/categories.py): a document that names a group
admits its members, and the trace says through which of the person's categories.
"""

from __future__ import annotations

from core.categories import admitted_through
from core.policy import model as m
from core.policy.assessment import RuleOutcome
from core.policy.case import Applicant
from core.policy.words import CATEGORY_ZH, ON_BEHALF_ZH, categories_zh


def applicant_outcomes(subsidy: m.Subsidy, who: Applicant, submitted_by: str) -> list[RuleOutcome]:
    rule = subsidy.applicant
    if who.kind != rule.kind:
        wanted = "个人" if rule.kind == "person" else "单位"
        return [RuleOutcome("applicant_kind", "applicant", "fail", f"本补贴只能由{wanted}申请。")]
    out: list[RuleOutcome] = []
    if rule.kind == "person" and rule.categories:
        out.append(_categories(rule, who))
    if rule.kind == "organisation" and rule.org_types:
        out.append(_org_type(rule, who))
    if submitted_by != "self" and rule.kind == "person":
        out.append(_submitter(subsidy, submitted_by))
    return out


def _categories(rule: m.ApplicantRule, who: Applicant) -> RuleOutcome:
    matches = [(named, admitted_through(who.categories, named)) for named in rule.categories]
    found = [(named, held) for named, held in matches if held is not None]
    if not found:
        text = f"申请人不属于文件规定的人员类别：{categories_zh(rule.categories)}，不能享受本补贴。"
        return RuleOutcome("applicant_categories", "applicant", "fail", text)
    direct = next((named for named, held in found if held == named), None)
    if direct is not None:
        text = f"申请人为{CATEGORY_ZH.get(direct, direct)}，属于文件规定的对象（{categories_zh(rule.categories)}）。"
    else:
        named, held = found[0]
        text = (
            f"申请人为{CATEGORY_ZH.get(held or '', held)}，属于文件所称"
            f"“{CATEGORY_ZH.get(named, named)}”，符合文件规定的对象（{categories_zh(rule.categories)}）。"
        )
    return RuleOutcome("applicant_categories", "applicant", "pass", text)


def _org_type(rule: m.ApplicantRule, who: Applicant) -> RuleOutcome:
    if who.org_type is None:
        text = "请登记申请单位的类型，才能判断是否属于补贴对象。"
        return RuleOutcome("applicant_org_type", "applicant", "unknown", text)
    ok = who.org_type in rule.org_types
    text = "申请单位类型符合。" if ok else "申请单位类型不在文件规定的范围内，不能享受本补贴。"
    return RuleOutcome("applicant_org_type", "applicant", "pass" if ok else "fail", text)


def _submitter(subsidy: m.Subsidy, by: str) -> RuleOutcome:
    """A filer the document does not admit is refused, citing the sentence that names who may file.

    Where the document does not say who may file, who came is recorded, never a reason to refuse.
    """
    rule = subsidy.applicant
    clause = rule.clause or subsidy.clause
    who = ON_BEHALF_ZH.get(by, by)
    if by in rule.on_behalf:
        return RuleOutcome("submitted_by", "applicant", "pass", f"由{who}代为申请，符合规定。", clause)
    if not rule.filers_stated:
        text = f"由{who}代为提交。文件未规定谁可以代为申请，不作为条件；请核对代办人身份和申请人的委托。"
        return RuleOutcome("submitted_by", "applicant", "info", text)
    allowed = "、".join(ON_BEHALF_ZH.get(x, x) for x in rule.on_behalf)
    may = f"只能由本人或{allowed}申请" if allowed else "只能由本人申请"
    text = f"文件规定{may}，由{who}代为申请的不予受理；请由本人{'或上述人员' if allowed else ''}办理。"
    return RuleOutcome("submitted_by", "applicant", "fail", text, clause)
