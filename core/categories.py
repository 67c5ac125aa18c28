"""Population categories and organisation types: one code name each, with the clerk's word."""

from __future__ import annotations

POPULATION_CATEGORIES: dict[str, str] = {
    "poverty_alleviated": "脱贫人口",
    "monitored": "监测对象",
    "marginal_at_risk": "边缘易致贫人口",
    "rural_low_income": "农村低收入人口",
    "rural_minimum_living": "农村低保对象",
    "extreme_hardship": "特困人员",
    "relocated": "易地搬迁人口",
    "employment_difficulty": "就业困难人员",
    "zero_employment_household": "零就业家庭成员",
    "graduate": "高校毕业生",
    "unemployed_graduate": "离校未就业高校毕业生",
    "veteran": "退役军人",
    "returning_entrepreneur": "返乡入乡创业人员",
    "migrant_worker": "农民工",
    "disabled": "残疾人",
    "student_loan": "获得国家助学贷款",
    "secondary_vocational_graduate": "中等职业学校毕业生",
    "low_income_family": "低保家庭成员",
    "unemployed_youth": "失业青年",
    "unemployed_registered": "登记失业人员",
    "rural_labourer": "农村劳动力",
}

ORGANISATION_TYPES: dict[str, str] = {
    "enterprise": "企业",
    "cooperative": "农民专业合作社",
    "placement_agency": "职业介绍机构",
    "hr_agency": "人力资源服务机构",
    "community_factory": "社区工厂（村镇工厂）",
    "assistance_workshop": "就业帮扶车间",
    "assistance_base": "就业帮扶基地",
    "heritage_workshop": "非遗扶贫就业工坊",
    "training_provider": "培训机构",
    "technical_school": "技工院校",
    "skills_appraisal_body": "职业技能鉴定机构",
    "internship_host": "见习单位",
    "school": "学校",
    "village_collective": "村集体经济组织",
}

ACCOUNT_KINDS: dict[str, str] = {
    "social_security_card": "社保卡（金融账户）",
    "bank_card": "银行卡",
    "huinong_passbook": "惠农一折通",
}


def category_label(code: str) -> str:
    return POPULATION_CATEGORIES.get(code, code)
