"""The office head's town review (初审) of an accepted case, and its revert."""

from __future__ import annotations

import datetime as dt

from core.actor import Actor, Role, Station
from core.app.base import unit_of_work
from core.db import Database
from core.ids import CaseId


def review_case(
    db: Database,
    actor: Actor,
    *,
    case_id: CaseId,
    passed: bool,
    note: str,
    today: dt.date,
    seen_version: int | None = None,
) -> None:
    """Pass, or fail with a reason the clerk can act on; only the office head reviews, and not a
    case they took in themselves unless the office is 单人办公 (core/cases/duties.py).

    `seen_version` (CaseDetail.version): a case changed on another PC since it was shown is not
    reviewed; ChangedMeanwhile says who changed it and when.
    """
    from core.app.accounts import single_staff
    from core.cases import duties, intake
    from core.cases.versions import check_seen
    from core.db.models import Case

    actor.require_station(Station.TOWN, "初审")
    actor.require_role(Role.HEAD, "初审")
    alone = single_staff(db)
    with unit_of_work(db) as s:
        found = s.get(Case, case_id)
        if found is not None:
            check_seen(s, found.version, seen_version, "case", found.uuid)
        own = duties.check_reviewer(s, case_id, actor.audit_name, alone)
        intake.review_case(s, case_id, passed, note, actor.audit_name, today)
        if own:
            duties.record_self_review(s, case_id, actor.audit_name)


def revert_review(db: Database, actor: Actor, *, case_id: CaseId, reason: str) -> None:
    """撤销初审: a passed or failed review goes back to 已受理, with a reason, until the case is
    exported; only the office head may revert a review."""
    from core.cases.corrections import revert_review as revert

    actor.require_station(Station.TOWN, "撤销初审")
    actor.require_role(Role.HEAD, "撤销初审")
    with unit_of_work(db) as s:
        revert(s, case_id, reason, actor.audit_name)
