"""Population categories and organisation types: one code name each, with the clerk's word."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

POPULATION_CATEGORIES: dict[str, str] = {
    "poverty_alleviated": "脱贫人口",
    "monitored": "监测对象",
    "unstable_alleviated": "脱贫不稳定户（人口）",
    "marginal_at_risk": "边缘易致贫人口",
    "sudden_hardship": "突发严重困难户（人口）",
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


# ---------------------------------------------------------------- groups of population categories

# A document that names a group admits its members: Guizhou's “脱贫人口（含监测帮扶对象）” admits
# an 边缘易致贫户, Deqin's “农村低收入人口” admits a 农村低保对象. The hierarchy is written once,
# here, with where it comes from; the engine and the catalog report read it from here.


@dataclass(frozen=True)
class CategoryGroup:
    code: str
    members: tuple[str, ...]  # direct members; a member that is itself a group brings its own
    source: str  # where the membership is stated


CATEGORY_GROUPS: tuple[CategoryGroup, ...] = (
    CategoryGroup(
        "monitored",
        ("unstable_alleviated", "marginal_at_risk", "sudden_hardship"),
        "防止返贫监测对象为脱贫不稳定户、边缘易致贫户和突发严重困难户（中央农村工作领导小组"
        "《关于健全防止返贫动态监测和帮扶机制的指导意见》，2021年）；贵州省文件所称“监测帮扶对象”同义。",
    ),
    CategoryGroup(
        "rural_low_income",
        ("rural_minimum_living", "extreme_hardship", "monitored"),
        "贵州省人社厅等6部门实施意见：“农村低收入人口（农村低保对象、农村特困人员、脱贫不稳定人口、"
        "边缘易致贫人口、突发严重困难户）”，后三类即防止返贫监测对象。",
    ),
    CategoryGroup(
        "poverty_alleviated",
        ("unstable_alleviated",),
        "脱贫不稳定户是已脱贫户中收入不稳定的户，仍是脱贫人口。",
    ),
)
_GROUPS = {g.code: g for g in CATEGORY_GROUPS}


def members_of(code: str) -> frozenset[str]:
    """Every category a document's `code` admits: itself and its members, transitively."""
    out = {code}
    for member in _GROUPS[code].members if code in _GROUPS else ():
        out |= members_of(member)
    return frozenset(out)


def member_list(code: str) -> tuple[str, ...]:
    """The members `code` admits (not itself), each group followed by its own members, in order."""
    out: list[str] = []
    for member in _GROUPS[code].members if code in _GROUPS else ():
        out += [member, *member_list(member)]
    return tuple(dict.fromkeys(out))


def groups_of(code: str) -> frozenset[str]:
    """`code` and every group that comprises it, transitively."""
    return frozenset(g for g in _all_codes() if code in members_of(g))


def with_groups(codes: Iterable[str]) -> frozenset[str]:
    """A person's recorded categories with every group they belong to."""
    return frozenset(g for c in codes for g in groups_of(c))


def admitted_through(held: Iterable[str], named: str) -> str | None:
    """Which of the person's categories admits them to `named` (itself first), or None."""
    members = members_of(named)
    found = [c for c in held if c in members]
    if named in found:
        return named
    return sorted(found)[0] if found else None


def _all_codes() -> set[str]:
    return set(POPULATION_CATEGORIES) | set(_GROUPS)
