"""The result of `assess`: a decision, an amount, and the trace a clerk can read."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from core.policy import model as m
from core.policy.case import HistoryGrant

Decision = Literal["eligible", "not_eligible", "needs_info"]
Outcome = Literal["pass", "fail", "unknown", "warn", "info"]


@dataclass(frozen=True)
class RuleOutcome:
    rule_id: str
    kind: str  # applicant | period | condition | fact | window | limit | amount | beneficiary | material
    outcome: Outcome
    message_zh: str
    clause: m.Clause | None = None


@dataclass(frozen=True)
class Conflict:
    limit_id: str
    grant: HistoryGrant | None
    message_zh: str


@dataclass(frozen=True)
class Excluded:
    id_number: str
    name: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Alternative:
    """Another subsidy of an exclusive choose_one limit, assessed on the same case."""

    subsidy_id: str
    name: str
    decision: Decision
    amount_fen: int | None


@dataclass(frozen=True)
class AppliedReading:
    """A reading the county decides, and the alternative this assessment applied."""

    reading_id: str
    question: str
    alternative_id: str
    alternative_label: str
    by_default: bool  # True: the county has not chosen; the catalog's default was applied


@dataclass(frozen=True)
class Assessment:
    catalog_id: str
    catalog_version: str
    catalog_hash: str
    subsidy_id: str
    decision: Decision
    amount_fen: int | None
    trace: tuple[RuleOutcome, ...]
    missing_facts: tuple[str, ...] = ()
    missing_materials: tuple[str, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    warnings: tuple[str, ...] = ()
    excluded: tuple[Excluded, ...] = ()
    readings: tuple[m.Reading, ...] = ()
    alternatives: tuple[Alternative, ...] = field(default=())
    applied_readings: tuple[AppliedReading, ...] = ()
    loan: tuple[m.LoanFigure, ...] = ()  # the loan's own ceiling and term (not money the office pays)

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(o.rule_id for o in self.trace if o.outcome == "fail")

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types only (dates as ISO strings)."""
        d = asdict(self)
        d["conflicts"] = [
            {
                "limit_id": c.limit_id,
                "message_zh": c.message_zh,
                "grant": c.grant.to_dict() if c.grant else None,
            }
            for c in self.conflicts
        ]
        d["failed"] = list(self.failed)
        return _jsonable(d)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
