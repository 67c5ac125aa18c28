"""The amount rules of a catalog as frozen dataclasses (docs/catalog-format.md "amount rule").

Kept apart from core/policy/model.py, which re-exports them: `m.FixedAmount` is still the name.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # model.py imports this module: the annotation is enough
    from core.policy.model import Clause


@dataclass(frozen=True)
class Unit:
    fact: str | None = None
    max: int | None = None
    beneficiaries: bool = False  # the number of eligible roster rows


@dataclass(frozen=True, kw_only=True)
class AmountRule:
    label: str = ""
    clause: Clause | None = None
    cap_fen: int | None = None


@dataclass(frozen=True, kw_only=True)
class FixedAmount(AmountRule):
    fen: int


@dataclass(frozen=True, kw_only=True)
class PerUnitAmount(AmountRule):
    fen: int
    units: tuple[Unit, ...]


@dataclass(frozen=True, kw_only=True)
class ActualCappedAmount(AmountRule):
    actual: str
    ceiling_fen: int


@dataclass(frozen=True, kw_only=True)
class PerDayAmount(AmountRule):
    days: str
    daily_fen: int
    total_cap_fen: int | None = None
    daily_actual: str | None = None


@dataclass(frozen=True, kw_only=True)
class PercentAmount(AmountRule):
    base: tuple[str, ...]  # money facts, summed before the percent is taken
    percent: Fraction
    rounding: str = "half_up"  # half_up | down ("不超过…%": a ceiling is never passed by a fen)


@dataclass(frozen=True, kw_only=True)
class ParameterAmount(AmountRule):
    parameter: str
    units: tuple[Unit, ...]


@dataclass(frozen=True)
class TierValue:
    fact: str | None = None
    ratio: tuple[str, str] | None = None


@dataclass(frozen=True)
class Tier:
    label: str
    min: Fraction | None
    min_inclusive: bool
    max: Fraction | None
    max_inclusive: bool
    rule: AmountRule
    clause: Clause | None = None

    def contains(self, x: Fraction) -> bool:
        above = self.min is None or x > self.min or (self.min_inclusive and x == self.min)
        below = self.max is None or x < self.max or (self.max_inclusive and x == self.max)
        return above and below


@dataclass(frozen=True, kw_only=True)
class TiersAmount(AmountRule):
    value: TierValue
    tiers: tuple[Tier, ...]


@dataclass(frozen=True, kw_only=True)
class ChoiceAmount(AmountRule):
    fact: str
    cases: tuple[tuple[str, AmountRule], ...]


@dataclass(frozen=True, kw_only=True)
class SumAmount(AmountRule):
    parts: tuple[AmountRule, ...]


@dataclass(frozen=True, kw_only=True)
class MinAmount(AmountRule):
    parts: tuple[AmountRule, ...]


@dataclass(frozen=True, kw_only=True)
class MultiplyAmount(AmountRule):
    rule: AmountRule
    percent: Fraction


@dataclass(frozen=True, kw_only=True)
class NoAmount(AmountRule):
    note: str = ""
