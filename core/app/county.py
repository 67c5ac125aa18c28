"""The county's work: import the towns' batches, decide each case, pay, and send results back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from core.actor import Actor, Station
from core.app.base import reading, unit_of_work
from core.app.paging import PagedRows
from core.db import Database
from core.packages.county_query import (
    CountyCaseFilter,
    CountyCaseRow,
    count_county_cases,
    county_offices,
    fetch_county_cases,
)

if TYPE_CHECKING:
    from core.packages.county_import import ImportReport
    from core.packages.models import ImportedCase
    from core.packages.results import ResultExport
    from core.packages.verify import Verification

ProgressFn = Callable[[str, int, int], None]


class Decision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    PAID = "paid"
    RESOLVE = "resolve"  # keep this case of a suspected duplicate pair


@dataclass(frozen=True)
class Decided:
    """A decision as the county officer reads it back."""

    office_code: str
    case_number: str
    applicant: str
    status: str  # received | approved | rejected | paid
    status_label: str
    amount_fen: int | None  # approved, or paid, amount

    @property
    def sentence(self) -> str:
        from core.money import format_yuan

        amount = (
            f"，{format_yuan(self.amount_fen)} 元"
            if self.amount_fen is not None and self.status != "rejected"
            else ""
        )
        return f"{self.office_code} {self.case_number} {self.applicant}：{self.status_label}{amount}。"


def _officer(actor: Actor, what: str) -> str:
    actor.require_station(Station.COUNTY, what)
    return actor.audit_name


def decisions_allowed(row: CountyCaseRow | None) -> frozenset[Decision]:
    """What can be decided on an imported case now; the decision functions check again."""
    from core.packages.decisions import APPROVED, RECEIVED

    if row is None:
        return frozenset()
    allowed: set[Decision] = set()
    if row.status == RECEIVED:
        allowed.add(Decision.REJECT)
        if not row.open_flags:  # an open duplicate must be resolved first
            allowed.add(Decision.APPROVE)
    if row.status == APPROVED:
        allowed.add(Decision.PAID)
    if row.open_flags:
        allowed.add(Decision.RESOLVE)
    return frozenset(allowed)


def county_rows(db: Database, *, filter: CountyCaseFilter) -> PagedRows[CountyCaseRow]:
    def count() -> int:
        with db.reader() as conn:
            return count_county_cases(conn, filter)

    def fetch(offset: int, limit: int) -> list[CountyCaseRow]:
        with db.reader() as conn:
            return fetch_county_cases(conn, filter, offset, limit)

    return PagedRows(count, fetch)


def all_county_rows(db: Database, *, filter: CountyCaseFilter) -> list[CountyCaseRow]:
    with db.reader() as conn:
        return fetch_county_cases(conn, filter, 0, count_county_cases(conn, filter))


def office_choices(db: Database) -> list[str]:
    with db.reader() as conn:
        return county_offices(conn)


def verify_package(db: Database, *, path: Path, allow_gap: bool = False) -> Verification:
    """Check a batch package without importing it."""
    from core.packages.registry import load_allow_list, seen_sequences
    from core.packages.verify import verify_package as verify

    with reading(db) as s:
        return verify(path, load_allow_list(s), seen_sequences(s), allow_gap)


def import_package(db: Database, actor: Actor, *, path: Path, allow_gap: bool = False) -> ImportReport:
    """Verify a town's batch and import its cases (idempotent: a second import changes nothing)."""
    from core.packages.county_import import import_package as run

    who = _officer(actor, "导入乡镇上报的数据包")
    with unit_of_work(db) as s:
        return run(s, db.path.parent, path, who, allow_gap)


def _decided(row: ImportedCase) -> Decided:
    from core.packages.decisions import DECISION_LABELS

    amount = row.paid_fen if row.paid_fen is not None else row.approved_fen
    return Decided(row.office_code, row.case_number, row.applicant_name, row.status,
                   DECISION_LABELS[row.status], amount)  # fmt: skip


def approve(db: Database, actor: Actor, *, uuid: str, amount_fen: int | None = None) -> Decided:
    """审核通过; without an amount the case is approved for what the town assessed."""
    from core.packages import decisions

    who = _officer(actor, "审核")
    with unit_of_work(db) as s:
        return _decided(decisions.approve(s, decisions.find_case(s, uuid).uuid, who, amount_fen))


def reject(db: Database, actor: Actor, *, uuid: str, reason: str) -> Decided:
    """不予通过, with the reason the town will read."""
    from core.packages import decisions

    who = _officer(actor, "审核")
    with unit_of_work(db) as s:
        return _decided(decisions.reject(s, decisions.find_case(s, uuid).uuid, who, reason))


def mark_paid(
    db: Database,
    actor: Actor,
    *,
    uuid: str,
    amount_fen: int | None = None,
    paid_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Decided:
    """登记拨付; the amount defaults to the approved amount and the date to today."""
    from core.packages import decisions

    who = _officer(actor, "登记拨付")
    with unit_of_work(db) as s:
        row = decisions.find_case(s, uuid)
        amount = row.approved_fen if amount_fen is None else amount_fen
        day = paid_on or today or dt.date.today()
        return _decided(decisions.mark_paid(s, row.uuid, who, amount or 0, day, today))


def keep_case(db: Database, actor: Actor, *, uuid: str, reason: str) -> int:
    """Resolve every open duplicate flag of the case by keeping it; how many were resolved."""
    from core.packages import decisions

    who = _officer(actor, "核定重复申报")
    with unit_of_work(db) as s:
        return len(decisions.keep_case(s, decisions.find_case(s, uuid).uuid, reason, who))


def resolve_duplicate(db: Database, actor: Actor, *, flag_id: int, keep_uuid: str, reason: str) -> str:
    """Keep one case of a duplicate pair (the other is rejected with the reason); the resolution text."""
    from core.packages import decisions

    who = _officer(actor, "核定重复申报")
    with unit_of_work(db) as s:
        kept = decisions.find_case(s, keep_uuid).uuid
        return decisions.resolve_keeping(s, flag_id, kept, reason, who).resolution


def export_results(db: Database, actor: Actor, *, office_code: str, folder: Path) -> ResultExport:
    """Write the office's next signed result package (every decision so far), read it back, record it."""
    from core.packages.results import export_results as export

    who = _officer(actor, "生成结果包")
    return export(db, db.path.parent, office_code, folder, who)


def register_office(db: Database, actor: Actor, *, code: str, public_key: bytes, name: str = "") -> str:
    """Put a town's public key on the allow-list; returns its fingerprint to compare aloud."""
    from core.packages.registry import register_office_key

    who = _officer(actor, "登记站所公钥")
    with unit_of_work(db) as s:
        return register_office_key(s, code, public_key, who, name).fingerprint
