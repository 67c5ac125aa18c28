"""Chinese words for the catalog's code names, as a clerk or county officer reads them."""

from __future__ import annotations

CATEGORY_ZH = {
    "poverty_alleviated": "脱贫人口", "monitored": "监测对象", "marginal_at_risk": "边缘易致贫人口",
    "unstable_alleviated": "脱贫不稳定户（人口）", "sudden_hardship": "突发严重困难户（人口）",
    "rural_low_income": "农村低收入人口", "rural_minimum_living": "农村低保对象",
    "extreme_hardship": "特困人员", "relocated": "易地搬迁人口", "employment_difficulty": "就业困难人员",
    "zero_employment_household": "零就业家庭", "graduate": "高校毕业生",
    "unemployed_graduate": "离校未就业高校毕业生", "veteran": "退役军人",
    "returning_entrepreneur": "返乡入乡创业人员", "migrant_worker": "农民工", "disabled": "残疾人",
    "student_loan": "获得助学贷款的学生", "secondary_vocational_graduate": "中职毕业生",
    "low_income_family": "低保家庭", "unemployed_youth": "失业青年",
    "unemployed_registered": "登记失业人员", "rural_labourer": "农村劳动力",
}  # fmt: skip
ORG_TYPE_ZH = {
    "placement_agency": "职业介绍机构", "hr_agency": "人力资源服务机构", "community_factory": "社区工厂",
    "assistance_workshop": "就业帮扶车间", "assistance_base": "就业帮扶基地",
    "heritage_workshop": "非遗扶贫就业工坊", "training_provider": "培训机构", "technical_school": "技工院校",
    "skills_appraisal_body": "职业技能鉴定机构", "internship_host": "见习单位", "enterprise": "企业",
    "cooperative": "合作社", "school": "学校", "village_collective": "村集体",
}  # fmt: skip
ON_BEHALF_ZH = {
    "self": "本人", "spouse": "配偶", "cohabiting_parent": "共同生活的父母", "adult_child": "成年子女",
    "parent": "学生家长", "school": "学校", "employer": "用人单位",
    "sibling": "兄弟姐妹", "non_cohabiting_parent": "不共同生活的父母", "other_relative": "其他亲属",
    "friend": "朋友", "village_cadre": "村干部", "other": "其他人员",
}  # fmt: skip
# Who may come to the counter for a person, in the order the subsidy step offers them.
PERSON_FILERS = (
    "spouse", "cohabiting_parent", "adult_child", "parent", "non_cohabiting_parent", "sibling",
    "other_relative", "friend", "village_cadre", "other",
)  # fmt: skip
FORM_ZH = {
    "original": "原件", "copy": "复印件", "original_and_copy": "原件及复印件",
    "document": "办理时填写的表格", "statement": "申请人书写的材料",
}  # fmt: skip
PROVIDER_ZH = {
    "applicant": "申请人", "organisation": "申请单位", "school": "学校", "employer": "用人单位",
    "office": "经办机构",
}  # fmt: skip
EFFECT_ZH = {"reject": "不符合即不予受理", "warn": "仅提示", "cap": "超出部分扣减"}
SCOPE_ZH = {
    "person": "按本人（身份证号）",
    "applicant": "按申请人（个人或单位）",
    "beneficiary": "按花名册中每人",
}
FACT_TYPE_ZH = {
    "date": "日期",
    "int": "整数",
    "money": "金额",
    "bool": "是/否",
    "choice": "选项",
    "text": "文字",
}


def categories_zh(codes: tuple[str, ...] | list[str]) -> str:
    return "、".join(CATEGORY_ZH.get(c, c) for c in codes)


def org_types_zh(codes: tuple[str, ...] | list[str]) -> str:
    return "、".join(ORG_TYPE_ZH.get(c, c) for c in codes)


def filer_choices(on_behalf: tuple[str, ...], stated: bool = True) -> list[tuple[str, str]]:
    """(code, what the clerk picks) for who files for a person: the document's filers first.

    Everyone else can be recorded too, so that a filer the document does not admit is refused
    by the assessment, citing the clause, instead of being impossible to enter.
    """
    others = [x for x in PERSON_FILERS if x not in on_behalf]
    hint = "（文件未列明，将判为不符合）" if stated else ""
    return [(x, f"由{ON_BEHALF_ZH.get(x, x)}代为申请") for x in on_behalf] + [
        (x, f"由{ON_BEHALF_ZH[x]}代为申请{hint}") for x in others
    ]
