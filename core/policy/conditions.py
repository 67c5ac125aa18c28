"""Three-valued evaluation of catalog tests: True, False, or None (unknown, never a guess)."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from core.policy import model as m
from core.policy.dates import age_on, months_between
from core.policy.persons import birth_from_id

TV = bool | None  # Kleene three-valued truth

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


@dataclass
class Env:
    """What a test can see. Missing fact ids and special reasons are collected while testing."""

    facts: Mapping[str, m.FactValue]
    application_date: dt.date
    categories: frozenset[str]
    id_number: str = ""
    missing: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    _birth: tuple[dt.date | None, str] | None = None

    def birth(self) -> tuple[dt.date | None, str]:
        """Birth date from the ID number, read only when a test needs an age."""
        if self._birth is None:
            self._birth = birth_from_id(self.id_number, self.application_date)
        return self._birth


def evaluate(test: m.Test, env: Env) -> TV:
    return _DISPATCH[type(test)](test, env)


def _fact(test: m.FactTest, env: Env) -> TV:
    value = env.facts.get(test.fact)
    if value is None:
        env.missing.add(test.fact)
        return None
    if test.op == "is_true":
        return value is True
    if test.op == "is_false":
        return value is False
    if test.other_fact is not None:
        other = env.facts.get(test.other_fact)
        if other is None:
            env.missing.add(test.other_fact)
            return None
        return _COMPARE[test.op](value, other)
    if test.op == "in":
        return value in test.value  # type: ignore[operator]
    if test.op == "not_in":
        return value not in test.value  # type: ignore[operator]
    return _COMPARE[test.op](value, test.value)


def ratio_of(num_id: str, den_id: str, env: Env) -> Fraction | None:
    """The exact ratio, None if a fact is missing; a zero denominator raises ZeroDivisionError."""
    num, den = env.facts.get(num_id), env.facts.get(den_id)
    for fid, val in ((num_id, num), (den_id, den)):
        if val is None:
            env.missing.add(fid)
    if not isinstance(num, int) or not isinstance(den, int):
        return None
    return Fraction(num, den)


def _ratio(test: m.RatioTest, env: Env) -> TV:
    try:
        value = ratio_of(test.numerator, test.denominator, env)
    except ZeroDivisionError:
        env.notes.append(f"分母“{test.denominator}”为0，无法计算比例，按不符合处理。")
        return False
    return None if value is None else _COMPARE[test.op](value, test.value)


def _categories(test: m.CategoriesTest, env: Env) -> TV:
    return bool(env.categories & set(test.categories))


def date_of(ref: m.DateRef, env: Env) -> dt.date | None:
    if ref.fact is None:
        return env.application_date
    value = env.facts.get(ref.fact)
    if value is None:
        env.missing.add(ref.fact)
        return None
    return value if isinstance(value, dt.date) else None


def _number(value: int, op: str, bounds: tuple[int, ...]) -> bool:
    if op == "between":
        return bounds[0] <= value <= bounds[1]
    return _COMPARE[op](value, bounds[0])


def _age(test: m.AgeTest, env: Env) -> TV:
    on = date_of(test.on, env)
    birth, problem = env.birth()
    if problem:
        env.notes.append(problem)
    if birth is None:
        return None
    return None if on is None else _number(age_on(birth, on), test.op, test.value)


def _months(test: m.MonthsBetweenTest, env: Env) -> TV:
    start, end = date_of(test.start, env), date_of(test.end, env)
    if start is None or end is None:
        return None
    return _number(months_between(start, end), test.op, test.value)


def _all(test: m.AllTest, env: Env) -> TV:
    results = [evaluate(t, env) for t in test.parts]  # all evaluated: every missing fact is named
    if False in results:
        return False
    return None if None in results else True


def _any(test: m.AnyTest, env: Env) -> TV:
    results = [evaluate(t, env) for t in test.parts]
    if True in results:
        return True
    return None if None in results else False


def _not(test: m.NotTest, env: Env) -> TV:
    inner = evaluate(test.part, env)
    return None if inner is None else not inner


_DISPATCH: dict[type, Callable[..., TV]] = {
    m.FactTest: _fact,
    m.RatioTest: _ratio,
    m.CategoriesTest: _categories,
    m.AgeTest: _age,
    m.MonthsBetweenTest: _months,
    m.AllTest: _all,
    m.AnyTest: _any,
    m.NotTest: _not,
}
