"""The worker roster (花名册) of an organisation case: Excel template, import with checks, storage.

An organisation (社区工厂, 就业帮扶基地, 职介机构 ...) applies for many workers at once and hands
in its roster as an .xlsx file. `roster_template` gives it a file with the right columns and a
sheet of instructions; `read_roster` reads the filled file back, checks every row and reports
every problem at once, each naming the Excel row, the column and the fix; `set_roster` stores
the good rows on the case. Whether a row earns money is decided later by the engine
(`core.cases.intake.assess_case`), never here: a worker already claimed this year is only a
warning at import.
"""

from __future__ import annotations

from core.cases.roster.cells import category_code
from core.cases.roster.columns import (
    CATEGORY_ALIASES,
    SCIENTIFIC_HINT,
    RosterCounts,
    RosterImport,
    RowProblem,
    allowed_categories,
    fact_title,
)
from core.cases.roster.reading import read_roster
from core.cases.roster.storage import claims_for, describe_claim, set_roster, year_claims
from core.cases.roster.template import roster_template

__all__ = [
    "CATEGORY_ALIASES",
    "SCIENTIFIC_HINT",
    "RosterCounts",
    "RosterImport",
    "RowProblem",
    "allowed_categories",
    "category_code",
    "claims_for",
    "describe_claim",
    "fact_title",
    "read_roster",
    "roster_template",
    "set_roster",
    "year_claims",
]
