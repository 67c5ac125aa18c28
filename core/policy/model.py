"""The catalog as frozen dataclasses (docs/catalog-format.md, format 1).

Money is int fen, ratios are `Fraction`, dates are `datetime.date`. Nothing here is ever
evaluated as code: tests and amount rules are plain data interpreted by the engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import NewType

# The amount rules live in model_amounts.py and are re-exported here: m.FixedAmount etc.
from core.policy.model_amounts import (  # noqa: F401
    ActualCappedAmount,
    AmountRule,
    ChoiceAmount,
    FixedAmount,
    MinAmount,
    MultiplyAmount,
    NoAmount,
    ParameterAmount,
    PercentAmount,
    PerDayAmount,
    PerUnitAmount,
    SumAmount,
    Tier,
    TiersAmount,
    TierValue,
    Unit,
)

CatalogId = NewType("CatalogId", str)
SubsidyId = NewType("SubsidyId", str)

FactValue = dt.date | int | bool | str


@dataclass(frozen=True)
class Clause:
    section: str
    text: str


@dataclass(frozen=True)
class Extension:
    """A later notice that extends the policy's validity (a county catalog update)."""

    end: dt.date
    document_number: str
    issued_on: dt.date | None
    issuer: str
    clause: Clause | None


@dataclass(frozen=True)
class PolicyPeriod:
    start: dt.date | None  # None: the document states no start
    end: dt.date | None  # None: no end stated; with extensions, the last extension's end
    basis: str  # "application" | "event"
    clause: Clause | None  # with extensions, the last extension's clause (what the end rests on)
    extensions: tuple[Extension, ...] = ()
    document_end: dt.date | None = None  # the end the document itself states

    @property
    def extended(self) -> Extension | None:
        return self.extensions[-1] if self.extensions else None


@dataclass(frozen=True)
class Parameter:
    id: str
    label: str
    type: str  # "money" | "int"
    unit: str
    ceiling_fen: int | None
    note: str
    per: str | None  # "choice": one value per choice of `fact`
    fact: str | None  # extension: the choice fact a per-choice parameter is keyed by


@dataclass(frozen=True)
class ReadingAlternative:
    """One way the county may read a contested phrase (docs/catalog-format.md "alternatives")."""

    id: str
    label: str
    note: str = ""


@dataclass(frozen=True)
class Reading:
    id: str
    question: str
    reading: str
    basis: str
    subsidies: tuple[str, ...]
    alternatives: tuple[ReadingAlternative, ...] = ()
    default: str | None = None  # the alternative applied until the county chooses one

    def alternative(self, alt_id: str | None) -> ReadingAlternative | None:
        return next((a for a in self.alternatives if a.id == alt_id), None)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


# ---------------------------------------------------------------- tests (the expression language)


@dataclass(frozen=True)
class DateRef:
    """`application_date` (fact None) or `fact:<id>`."""

    fact: str | None

    def text(self) -> str:
        return "application_date" if self.fact is None else f"fact:{self.fact}"


@dataclass(frozen=True)
class FactTest:
    fact: str
    op: str
    value: object = None  # typed per the fact: date, int, str, bool, or a tuple for in/not_in
    other_fact: str | None = None


@dataclass(frozen=True)
class RatioTest:
    numerator: str
    denominator: str
    op: str
    value: Fraction


@dataclass(frozen=True)
class CategoriesTest:
    categories: tuple[str, ...]


@dataclass(frozen=True)
class AgeTest:
    on: DateRef
    op: str
    value: tuple[int, ...]  # one number, or (low, high) for "between"


@dataclass(frozen=True)
class MonthsBetweenTest:
    start: DateRef
    end: DateRef
    op: str
    value: tuple[int, ...]


@dataclass(frozen=True)
class AllTest:
    parts: tuple[Test, ...]


@dataclass(frozen=True)
class AnyTest:
    parts: tuple[Test, ...]


@dataclass(frozen=True)
class NotTest:
    part: Test


Test = FactTest | RatioTest | CategoriesTest | AgeTest | MonthsBetweenTest | AllTest | AnyTest | NotTest


# ---------------------------------------------------------------- facts and conditions


@dataclass(frozen=True)
class Fact:
    id: str
    label: str
    type: str  # date | int | money | bool | choice | text
    help: str = ""
    unit: str = ""
    min: int | None = None  # int facts; money facts use min_fen/max_fen, stored here in fen
    max: int | None = None
    choices: tuple[Choice, ...] = ()
    max_length: int | None = None
    required: bool = True
    required_when: Test | None = None


@dataclass(frozen=True)
class Condition:
    id: str
    label: str
    test: Test
    clause: Clause | None
    effect: str = "reject"  # reject: not met -> not eligible; warn: not met -> a warning only
    reading: str | None = None  # a county-decided reading this rule depends on
    variants: tuple[tuple[str, Condition | None], ...] = ()  # alternative id -> the rule (None: absent)


# ---------------------------------------------------------------- windows, limits, materials


@dataclass(frozen=True)
class Window:
    id: str
    kind: str  # after_event | by_year_end | deadline | application_months
    effect: str  # reject | warn
    label: str
    clause: Clause | None
    event: str | None = None
    open_months: int = 0
    close_months: int = 0
    month_day: tuple[int, int] = (12, 31)
    date: dt.date | None = None
    months: tuple[int, ...] = ()
    reading: str | None = None
    variants: tuple[tuple[str, Window | None], ...] = ()


@dataclass(frozen=True)
class Limit:
    id: str
    kind: str  # count_per_year | count_lifetime | amount_per_year | exclusive | max_duration_months
    scope: str  # person | applicant | beneficiary
    subsidies: tuple[str, ...]
    effect: str  # reject | warn | cap
    label: str
    clause: Clause | None
    max: int | None = None
    max_fen: int | None = None
    year_of: str = "event"
    mode: str = "block"
    months: int | None = None
    fact: str | None = None
    earlier_fact: str | None = None  # max_duration_months: months granted before, as the clerk entered
    per_year: bool = False  # max_duration_months: only the same calendar year's months count
    applicants: str = "any"  # beneficiary scope: whose earlier grants count (any | same | others)
    reading: str | None = None
    variants: tuple[tuple[str, Limit | None], ...] = ()


@dataclass(frozen=True)
class MaterialGroup:
    id: str
    label: str
    pick: int


@dataclass(frozen=True)
class Material:
    id: str
    name: str
    form: str
    copies: int = 1
    original_returned: bool = False
    provided_by: str = "applicant"
    group: str | None = None
    required: bool = True
    required_when: Test | None = None
    condition_label: str = ""
    clause: Clause | None = None


@dataclass(frozen=True)
class Route:
    receives: str
    reviews: tuple[str, ...]
    pays: str
    note: str = ""


@dataclass(frozen=True)
class ApplicantRule:
    kind: str  # person | organisation
    on_behalf: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    org_types: tuple[str, ...] = ()
    note: str = ""
    clause: Clause | None = None  # the sentence saying who may file (包括且仅包括 ...)

    @property
    def filers_stated(self) -> bool:
        """Whether the document says who may file for a person: then `on_behalf` is the whole list."""
        return self.clause is not None or bool(self.on_behalf)


@dataclass(frozen=True)
class LoanFigure:
    """A loan's own ceiling and term for one kind of borrower (not money the office pays)."""

    label: str
    when: str | None = None  # the borrower-kind choice this line is for; None: every borrower
    ceiling_fen: int | None = None
    per_person_fen: int | None = None  # 每人最高 (partnership, per new hire)
    term_months: int | None = None  # None: the document states no term
    note: str = ""


@dataclass(frozen=True)
class LoanTerms:
    figures: tuple[LoanFigure, ...]
    fact: str | None  # the choice fact naming the borrower kind
    clause: Clause | None


@dataclass(frozen=True)
class BeneficiaryRule:
    label: str
    categories: tuple[str, ...]
    facts: tuple[Fact, ...]
    eligibility: tuple[Condition, ...]
    min_count: int | None
    clause: Clause | None


@dataclass(frozen=True)
class Subsidy:
    id: SubsidyId
    name: str
    summary: str
    clause: Clause | None
    applicant: ApplicantRule
    event_fact: str | None
    facts: tuple[Fact, ...]
    eligibility: tuple[Condition, ...]
    beneficiary: BeneficiaryRule | None
    amount: AmountRule
    windows: tuple[Window, ...]
    limits: tuple[Limit, ...]
    material_groups: tuple[MaterialGroup, ...]
    materials: tuple[Material, ...]
    route: Route | None
    notes: tuple[str, ...] = ()
    loan: LoanTerms | None = None
    fact_index: dict[str, Fact] = field(default_factory=dict, compare=False, repr=False)

    def fact(self, fact_id: str) -> Fact | None:
        return self.fact_index.get(fact_id)


@dataclass(frozen=True)
class Catalog:
    id: CatalogId
    version: str
    title: str
    short_name: str
    issuer: str
    document_number: str
    issued_on: dt.date | None
    source_file: str
    region: str
    policy_period: PolicyPeriod
    parameters: tuple[Parameter, ...]
    readings: tuple[Reading, ...]
    subsidies: tuple[Subsidy, ...]
    content_hash: str
    path: str
    # The county's choices (a catalog update, docs/catalog-format.md "county"): reading id ->
    # alternative id, and parameter id -> fen (or {choice value: fen}).
    county_readings: Mapping[str, str] = field(default_factory=dict)
    county_parameters: Mapping[str, int | Mapping[str, int]] = field(default_factory=dict)
    # Derived lookups the engine builds once per subsidy (labels, names, readings): speed only.
    memo: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    def subsidy(self, subsidy_id: str) -> Subsidy | None:
        return next((s for s in self.subsidies if s.id == subsidy_id), None)

    def parameter(self, parameter_id: str) -> Parameter | None:
        return next((p for p in self.parameters if p.id == parameter_id), None)
