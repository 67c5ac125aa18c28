"""The county's word on a case as the town received it: its decision, amounts and reason.

Read from the case's audit trail, where core/packages/town_results.py records every result
package that moved the case ("county_result": the package's number, the reason or note, the
approved and paid amounts, the payment date). The trail is append-only and hash-chained, and
a decision reaches the town only once it can no longer be corrected, so it is kept nowhere
else: the case's own state and amount are already updated by the import.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.cases.states import CaseStatus, status_label
from core.db.models import AuditEvent, Case

COUNTY_RESULT = "county_result"
_COUNTY_STATES = (CaseStatus.APPROVED, CaseStatus.REJECTED, CaseStatus.PAID)
# What the county's words are, by its decision (the labels of the county's own forms).
_REASON_LABELS = {
    CaseStatus.REJECTED: "不予通过理由",
    CaseStatus.APPROVED: "县局核定说明",
    CaseStatus.PAID: "县局核定说明",
}


@dataclass(frozen=True)
class CountyOpinion:
    decision: str  # 县局审核通过 / 县局未通过 / 已拨付
    approved_fen: int | None
    paid_fen: int | None
    paid_on: dt.date | None
    reason_label: str  # 不予通过理由 or 县局核定说明
    reason: str  # "" when the county wrote none (an approval at the assessed amount)
    package: int | None  # the number of the last result package that moved the case
    imported_by: str
    imported_on: dt.date  # local date


def county_opinion(case: Case, events: list[AuditEvent]) -> CountyOpinion | None:
    """The county's decision on `case` from its trail `events` (oldest first); None before any."""
    results = [e for e in events if e.action == COUNTY_RESULT]
    status = CaseStatus(case.status)
    if not results or status not in _COUNTY_STATES:
        return None
    told: dict[str, object] = {}
    for event in results:  # approved, then paid: the later package adds the payment
        told |= {key: change[1] for key, change in event.changes.items() if isinstance(change, list)}
    last = results[-1]
    return CountyOpinion(
        decision=status_label(status),
        approved_fen=_whole(told.get("approved_fen")),
        paid_fen=_whole(told.get("paid_fen")),
        paid_on=_day(told.get("paid_on")),
        reason_label=_REASON_LABELS[status],
        reason=str(told.get("reason") or ""),
        package=_whole(told.get("result_package")),
        imported_by=last.actor,
        imported_on=last.at.replace(tzinfo=dt.UTC).astimezone().date(),  # stored in UTC
    )


def _whole(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _day(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
