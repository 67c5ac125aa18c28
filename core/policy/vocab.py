"""The closed vocabularies of the catalog format (GLOSSARY.md code names)."""

from __future__ import annotations

from core.categories import POPULATION_CATEGORIES

# The population categories are core/categories.py's (one list, with their Chinese labels).
CATEGORIES = frozenset(POPULATION_CATEGORIES)

ORG_TYPES = frozenset(
    {
        "placement_agency", "hr_agency", "community_factory", "assistance_workshop",
        "assistance_base", "heritage_workshop", "training_provider", "technical_school",
        "skills_appraisal_body", "internship_host", "enterprise", "cooperative", "school",
        "village_collective",
    }
)  # fmt: skip

ON_BEHALF = ("spouse", "cohabiting_parent", "adult_child", "parent", "school", "employer")
# Filers no catalog admits, so that a clerk can record who came and the refusal is assessed.
OTHER_FILERS = ("sibling", "non_cohabiting_parent", "other_relative", "friend", "village_cadre", "other")
SUBMITTERS = ("self", *ON_BEHALF, *OTHER_FILERS)
FACT_TYPES = ("date", "int", "money", "bool", "choice", "text")
COMPARE_OPS = ("==", "!=", "<", "<=", ">", ">=")
LIST_OPS = ("in", "not_in")
BOOL_OPS = ("is_true", "is_false")
NUMBER_OPS = (*COMPARE_OPS, "between")
APPLICANT_KINDS = ("person", "organisation")
BASES = ("application", "event")
WINDOW_KINDS = ("after_event", "by_year_end", "deadline", "application_months")
WINDOW_EFFECTS = ("reject", "warn")
LIMIT_KINDS = ("count_per_year", "count_lifetime", "amount_per_year", "exclusive", "max_duration_months")
LIMIT_SCOPES = ("person", "applicant", "beneficiary")
LIMIT_EFFECTS = ("reject", "warn", "cap")
# "cap" means something only where there is an amount or a month count to reduce.
LIMIT_EFFECTS_BY_KIND = {
    "count_per_year": ("reject", "warn"),
    "count_lifetime": ("reject", "warn"),
    "exclusive": ("reject", "warn"),
    "amount_per_year": LIMIT_EFFECTS,
    "max_duration_months": LIMIT_EFFECTS,
}
CONDITION_EFFECTS = ("reject", "warn")
# Whose earlier grants a roster limit counts: any applicant's, this applicant's, or only others'.
LIMIT_APPLICANTS = ("any", "same", "others")
ROUNDINGS = ("half_up", "down")
EXCLUSIVE_MODES = ("choose_one", "block")
YEAR_OF = ("event", "application")
MATERIAL_FORMS = ("original", "copy", "original_and_copy", "document", "statement")
PROVIDERS = ("applicant", "organisation", "school", "employer", "office")
GRANT_STATUSES = ("accepted", "approved", "paid", "rejected", "withdrawn")
COUNTING_STATUSES = frozenset({"accepted", "approved", "paid"})

FACT_TYPE_ZH = {
    "date": "日期", "int": "整数", "money": "金额（分）", "bool": "是/否",
    "choice": "选项", "text": "文字",
}  # fmt: skip
OP_ZH = {
    "==": "等于", "!=": "不等于", "<": "小于", "<=": "不超过", ">": "大于", ">=": "不低于",
    "in": "属于", "not_in": "不属于", "between": "介于", "is_true": "为“是”", "is_false": "为“否”",
}  # fmt: skip
