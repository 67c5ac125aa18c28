"""Rosters in the database: earlier claims this year, and replacing a case's rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from core import audit
from core.cases.roster.columns import _QUERY_CHUNK, NAME_MAX, YearHistory, _rule
from core.cases.states import CaseStatus, status_label
from core.db.models import Case, CaseBeneficiary, Person
from core.errors import SubsidyDeskError, ValidationError
from core.identity.id_number import parse_id_number

_NOT_CLAIMED = (CaseStatus.DRAFT.value, CaseStatus.WITHDRAWN.value, CaseStatus.REJECTED.value)


def year_claims(
    session: Session,
    subsidy_id: str,
    year: int,
    id_numbers: Sequence[str],
    exclude_case_id: int | None = None,
) -> dict[str, list[str]]:
    """ID number -> earlier claims of the subsidy in `year` (application year), described for the clerk.

    A claim is another case of the same subsidy, in any state except draft, withdrawn and
    rejected, where the person is the applicant or on the roster; e.g.
    "2022-000123 职业介绍补贴（已受理）".
    """
    wanted = sorted({n for n in id_numbers if n})
    out: dict[str, list[str]] = {}
    if not wanted:
        return out
    base = [
        Case.subsidy_id == subsidy_id,
        Case.application_date >= dt.date(year, 1, 1),
        Case.application_date <= dt.date(year, 12, 31),
        Case.status.not_in(_NOT_CLAIMED),
    ]
    if exclude_case_id is not None:
        base.append(Case.id != exclude_case_id)
    found: list[tuple[str, Case]] = []
    for chunk in _chunks(wanted, _QUERY_CHUNK):
        found.extend(
            (n, c)
            for n, c in session.execute(
                select(CaseBeneficiary.id_number, Case)
                .join(Case, CaseBeneficiary.case_id == Case.id)
                .where(CaseBeneficiary.id_number.in_(chunk), *base)
            )
        )
        found.extend(
            (n, c)
            for n, c in session.execute(
                select(Person.id_number, Case)
                .join(Case, Case.person_id == Person.id)
                .where(Person.id_number.in_(chunk), *base)
            )
        )
    found.sort(key=lambda pair: (pair[1].application_date, pair[1].id))
    for number, case in found:
        text = describe_claim(case)
        claims = out.setdefault(number, [])
        if text not in claims:
            claims.append(text)
    return out


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def describe_claim(case: Case) -> str:
    """The case number, the subsidy and the state, e.g. 2022-000123 职业介绍补贴（已受理）."""
    number = case.case_number or f"未编号案件（{case.application_date.isoformat()}申请）"
    return f"{number} {_subsidy_name(case)}（{status_label(case.status)}）"


def _subsidy_name(case: Case) -> str:
    from core.policy.service import get_catalog

    try:
        subsidy = get_catalog(case.catalog_id).subsidy(case.subsidy_id)
    except SubsidyDeskError:  # a catalog no longer installed must not hide the claim
        subsidy = None
    return subsidy.name if subsidy is not None else case.subsidy_id


def claims_for(session: Session, case: Case) -> YearHistory:
    """The `year_history` callback of `read_roster` for a case: same subsidy, same application year."""

    def lookup(id_numbers: list[str]) -> dict[str, list[str]]:
        return year_claims(session, case.subsidy_id, case.application_date.year, id_numbers, case.id)

    return lookup


def set_roster(session: Session, case_id: int, rows: Sequence[Mapping[str, Any]], actor: str) -> int:
    """Replace the case's roster with `rows` (from `RosterImport.rows`); returns the new count.

    Runs in the caller's transaction: the old rows, the new rows and the audit event
    ("roster", {"rows": [old, new]}) are written together or not at all. Refused when the
    case can no longer be edited, or when the rows are not a clean roster.
    """
    from core.cases.intake import ensure_editable, subsidy_of
    from core.cases.service import get_case

    case = get_case(session, case_id)
    ensure_editable(case)
    _rule(subsidy_of(case))
    _check_rows(rows)
    old = session.scalar(
        select(func.count()).select_from(CaseBeneficiary).where(CaseBeneficiary.case_id == case_id)
    )
    session.execute(delete(CaseBeneficiary).where(CaseBeneficiary.case_id == case_id))
    for index, row in enumerate(rows, start=1):
        session.add(
            CaseBeneficiary(
                case_id=case_id,
                row_no=index,
                name=str(row["name"]),
                id_number=str(row["id_number"]),
                categories=list(row.get("categories") or []),
                facts=dict(row.get("facts") or {}),
            )
        )
    session.flush()
    audit.record(session, actor, "roster", "case", case.uuid, {"rows": [old or 0, len(rows)]})
    return len(rows)


def _check_rows(rows: Sequence[Mapping[str, Any]]) -> None:
    seen: set[str] = set()
    for index, row in enumerate(rows, start=1):
        name, number = str(row.get("name") or "").strip(), str(row.get("id_number") or "")
        if not name or len(name) > NAME_MAX:
            raise SubsidyDeskError("ROSTER_ROW", f"花名册第{index}人的姓名为空或过长，请重新导入花名册。")
        try:
            parse_id_number(number)
        except ValidationError as exc:
            raise SubsidyDeskError("ROSTER_ROW", f"花名册第{index}人（{name}）：{exc.message_zh}") from None
        if number in seen:
            raise SubsidyDeskError(
                "ROSTER_DUPLICATE_ID", f"花名册第{index}人（{name}）的身份证号重复出现，同一人只能有一行。"
            )
        seen.add(number)
