"""Facts of a case: typed values for the engine, JSON values in the database.

Dates are stored as ISO strings and money as integer fen; this module converts both ways
and checks what the clerk typed against the catalog's fact definitions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from core.errors import ValidationError
from core.policy import model as m
from core.policy.case import check_fact_value
from core.policy.errors import CaseInputError


def to_json(value: m.FactValue) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def from_json(fact: m.Fact, raw: Any) -> m.FactValue:
    if fact.type == "date" and isinstance(raw, str):
        return dt.date.fromisoformat(raw)
    return raw


def typed_facts(subsidy: m.Subsidy, stored: Mapping[str, Any]) -> dict[str, m.FactValue]:
    """The stored facts that the subsidy still defines, as engine values."""
    out: dict[str, m.FactValue] = {}
    for key, raw in stored.items():
        fact = subsidy.fact(key)
        if fact is not None and raw is not None:
            out[key] = from_json(fact, raw)
    return out


def validate_facts(subsidy: m.Subsidy, values: Mapping[str, m.FactValue | None]) -> dict[str, Any]:
    """Check each value against its definition; collect every problem with the fact's label."""
    errors: list[ValidationError] = []
    clean: dict[str, Any] = {}
    for key, value in values.items():
        fact = subsidy.fact(key)
        if fact is None:
            errors.append(ValidationError("FACT_UNKNOWN", key, f"补贴“{subsidy.name}”没有“{key}”这一项。"))
            continue
        if value is None:
            continue
        try:
            check_fact_value(fact, value)
        except CaseInputError as exc:
            errors.append(ValidationError(exc.code, fact.label, exc.message_zh))
            continue
        clean[key] = to_json(value)
    if errors:
        from core.applicants import InvalidInput

        raise InvalidInput(errors)
    return clean
