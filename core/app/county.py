"""The county's work: import the towns' batches, decide each case, pay, and send results back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from core.actor import Actor, Role, Station
from core.app.base import reading, unit_of_work
from core.app.paging import PagedRows, keyset_rows
from core.db import Database
from core.packages.county_query import (
    CountyCaseFilter,
    CountyCaseRow,
    count_county_cases,
    county_keyset,
    county_offices,
    fetch_county_cases,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.errors import ValidationError
    from core.packages.county_case import CountyCaseView
    from core.packages.county_import import ImportReport
    from core.packages.decision_rules import Correction, DecisionInput
    from core.packages.models import ImportedCase
    from core.packages.results import ResultExport
    from core.packages.verify import Verification

ProgressFn = Callable[[str, int, int], None]


class Decision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    PAID = "paid"
    RESOLVE = "resolve"  # keep this case of a suspected duplicate pair
    CORRECT = "correct"  # change a decision the town has not yet been told of


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


@dataclass(frozen=True)
class Proposal:
    """A decision checked before it is recorded: what to fix, or the question to confirm."""

    problems: tuple[ValidationError, ...]
    question: str  # "确认将……审核通过，核定金额 X 元？"; "" while there are problems


@dataclass(frozen=True)
class Revealed:
    """The applicant's full numbers, shown on request (the request is audited)."""

    number: str  # 身份证号, or 统一社会信用代码
    account: str


def _case(s: Session, uuid: str, seen_version: int | None) -> ImportedCase:
    """The case to decide, refused when it changed after the officer's screen showed it
    (`seen_version`, CountyCaseRow.version; None from the command line): core/cases/versions.py."""
    from core.cases.versions import check_seen
    from core.packages.decisions import find_case

    row = find_case(s, uuid)
    check_seen(s, row.version, seen_version, "imported_case", row.uuid)
    return row


def _officer(actor: Actor, what: str, role: Role = Role.REVIEWER) -> str:
    actor.require_station(Station.COUNTY, what)
    actor.require_role(role, what)
    return actor.audit_name


def decisions_allowed(row: CountyCaseRow | None, actor: Actor | None = None) -> frozenset[Decision]:
    """What can be decided on an imported case now (by this actor's roles, when given: 拨付 is
    财务's, the rest 审核员's); the decision functions check again."""
    found = _by_state(row)
    if actor is None:
        return found
    return frozenset(d for d in found if actor.has(Role.FINANCE if d == Decision.PAID else Role.REVIEWER))


def _by_state(row: CountyCaseRow | None) -> frozenset[Decision]:
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
    if row.status != RECEIVED and row.result_number is None:
        allowed.add(Decision.CORRECT)
    return frozenset(allowed)


def county_rows(db: Database, *, filter: CountyCaseFilter) -> PagedRows[CountyCaseRow]:
    """The county's list by position: keyset pages through its order's index."""
    return keyset_rows(county_keyset(db.reader, filter, db.is_postgres))


def all_county_rows(db: Database, *, filter: CountyCaseFilter) -> list[CountyCaseRow]:
    with db.reader() as conn:
        return fetch_county_cases(conn, filter, 0, count_county_cases(conn, filter))


def office_choices(db: Database) -> list[str]:
    with db.reader() as conn:
        return county_offices(conn)


def queue_count(db: Database) -> int:
    """How many imported cases wait for the county's decision (待审核), from every office."""
    from core.packages.decisions import RECEIVED

    with db.reader() as conn:
        return count_county_cases(conn, CountyCaseFilter(status=RECEIVED))


def county_row(db: Database, *, uuid: str) -> CountyCaseRow:
    from core.packages.county_query import fetch_county_case

    with db.reader() as conn:
        row = fetch_county_case(conn, uuid)
    if row is None:
        from core.errors import NotFoundError

        raise NotFoundError("COUNTY_CASE_NOT_FOUND", "县局没有导入过这件案件，请刷新列表后再试。")
    return row


def case_view(db: Database, *, uuid: str) -> CountyCaseView:
    """Everything about one imported case in the officer's words: applicant, facts, assessment,
    materials, scans, roster, the town's and the county's history, and suspected duplicates."""
    from core.packages.county_case import county_case_view

    row = county_row(db, uuid=uuid)
    with reading(db) as s:
        return county_case_view(s, db.path.parent / "attachments", row)


def reveal_numbers(db: Database, actor: Actor, *, uuid: str) -> Revealed:
    """The applicant's full ID number and account, for checking them elsewhere or paying.

    The screens show them masked; each request is an audit event naming the officer.
    """
    from core import audit
    from core.packages.decisions import get_imported_case

    who = _officer(actor, "查看完整证件号")
    with unit_of_work(db) as s:
        row = get_imported_case(s, uuid)
        applicant = row.document.get("applicant") if isinstance(row.document, dict) else None
        found = applicant if isinstance(applicant, dict) else {}
        account = found.get("account_number") or found.get("bank_account") or ""
        audit.record(s, who, "reveal", "imported_case", row.uuid, {})
        return Revealed(row.id_number, str(account))


def read_scan(db: Database, *, sha256: str) -> bytes:
    """A scan the county received, checked against its hash (a large file: call it on a worker)."""
    from core.attachments import AttachmentStore
    from core.errors import NotFoundError

    store = AttachmentStore(db.path.parent / "attachments")
    try:
        return store.read(sha256)
    except FileNotFoundError:
        raise NotFoundError(
            "COUNTY_SCAN_MISSING", "县局没有这份扫描件的文件：请重新导入该批次的数据包。"
        ) from None


def _subject(row: ImportedCase, session: Session) -> str:
    from core.packages.county_cards import office_names
    from core.packages.roster import subsidy_names

    office = office_names(session).get(row.office_code, row.office_code)
    catalog = (row.document.get("case") or {}).get("catalog_id") if isinstance(row.document, dict) else None
    subsidy = subsidy_names().get((str(catalog), row.subsidy_id), "")
    what = f"，{subsidy}" if subsidy else ""
    return f"{office}的案件 {row.case_number or row.uuid[:8]}（{row.applicant_name}{what}）"


def propose(
    db: Database, *, uuid: str, decision: DecisionInput | Correction, today: dt.date | None = None
) -> Proposal:
    """Check a decision (or a correction) as the form holds it, without recording it.

    A case in the wrong state raises; field problems come back to be shown beside their fields.
    """
    from core.packages import corrections, decisions
    from core.packages.decision_rules import Correction, question

    day = today or dt.date.today()
    with reading(db) as s:
        row = decisions.get_imported_case(s, uuid)
        if isinstance(decision, Correction):
            problems = corrections.check(s, row.uuid, decision, day)
        else:
            problems = decisions.check(s, row.uuid, decision, day)
        if problems:
            return Proposal(tuple(problems), "")
        before = corrections.state_of(row)
        return Proposal((), question(_subject(row, s), before, decision, decisions.assessed_fen(row), day))


def decide(
    db: Database,
    actor: Actor,
    *,
    uuid: str,
    decision: DecisionInput | Correction,
    today: dt.date | None = None,
    seen_version: int | None = None,
) -> Decided:
    """Record what the form proposed (checked again); InvalidInput names each field to fix.

    `seen_version` is the version of the case the form was opened on: when another officer has
    decided it since, ChangedMeanwhile says who and when, and nothing is saved.
    """
    from core.packages.decision_rules import Approval, Correction, Payment, Rejection

    seen = seen_version
    if isinstance(decision, Correction):
        return correct(db, actor, uuid=uuid, correction=decision, today=today, seen_version=seen)
    if isinstance(decision, Approval):
        return approve(
            db, actor, uuid=uuid, amount_fen=decision.amount_fen, note=decision.note, seen_version=seen
        )
    if isinstance(decision, Rejection):
        return reject(db, actor, uuid=uuid, reason=decision.reason, seen_version=seen)
    if isinstance(decision, Payment):
        return mark_paid(
            db, actor, uuid=uuid, amount_fen=decision.amount_fen, paid_on=decision.paid_on, today=today,
            seen_version=seen,
        )  # fmt: skip
    from core.packages.errors import PackageError

    raise PackageError("COUNTY_BAD_DECISION", "撤销决定请用“更正决定”，并写明更正理由。")


def correct(
    db: Database,
    actor: Actor,
    *,
    uuid: str,
    correction: Correction,
    today: dt.date | None = None,
    seen_version: int | None = None,
) -> Decided:
    """更正决定 with a reason, until a result package has told the town of the decision."""
    from core.packages import corrections

    who = _officer(actor, "更正决定")
    with unit_of_work(db) as s:
        return _decided(corrections.correct(s, _case(s, uuid, seen_version).uuid, who, correction, today))


def verify_package(db: Database, *, path: Path, allow_gap: bool = False) -> Verification:
    """Check a batch package without importing it."""
    from core.packages.registry import load_allow_list, seen_sequences
    from core.packages.verify import verify_package as verify

    with reading(db) as s:
        return verify(path, load_allow_list(s), seen_sequences(s), allow_gap)


def import_package(db: Database, actor: Actor, *, path: Path, allow_gap: bool = False) -> ImportReport:
    """Verify a town's batch and import its cases (idempotent: a second import changes nothing)."""
    from sqlalchemy.exc import IntegrityError

    from core.packages.county_import import import_package as run

    who = _officer(actor, "导入乡镇上报的数据包")
    with _import_lock(db):
        try:
            with unit_of_work(db) as s:
                return run(s, db.path.parent, path, who, allow_gap)
        except IntegrityError:
            # Another program imported the same batch meanwhile: verified again, it is a replay.
            with unit_of_work(db) as s:
                return run(s, db.path.parent, path, who, allow_gap)


IMPORT_LOCK = "subsidydesk.import.lock"
IMPORT_WAIT_S = 600.0


@contextmanager
def _import_lock(db: Database) -> Iterator[None]:
    """One import at a time per data folder (#13): the second waits, then finds a replay.

    SQLite's write lock alone is not enough: its wait is short (a large import takes longer)
    and the loser would be told the database is busy instead of what happened.
    """
    from core.errors import SubsidyDeskError
    from core.instance import InstanceLock

    lock = InstanceLock(db.path.parent, IMPORT_LOCK)
    if not lock.acquire(wait_s=IMPORT_WAIT_S):
        raise SubsidyDeskError(
            "IMPORT_BUSY", "另一个窗口或命令行正在导入数据包，已等候十分钟仍未结束。请等它结束后再导入。"
        )
    try:
        yield
    finally:
        lock.release()


def _decided(row: ImportedCase) -> Decided:
    from core.packages.decisions import DECISION_LABELS

    amount = row.paid_fen if row.paid_fen is not None else row.approved_fen
    return Decided(row.office_code, row.case_number, row.applicant_name, row.status,
                   DECISION_LABELS[row.status], amount)  # fmt: skip


def approve(
    db: Database,
    actor: Actor,
    *,
    uuid: str,
    amount_fen: int | None = None,
    note: str = "",
    seen_version: int | None = None,
) -> Decided:
    """审核通过; without an amount the case is approved for what the town assessed. More than
    assessed needs a note for the town (core/packages/decision_rules.py)."""
    from core.packages import decisions

    who = _officer(actor, "审核")
    with unit_of_work(db) as s:
        return _decided(decisions.approve(s, _case(s, uuid, seen_version).uuid, who, amount_fen, note))


def reject(db: Database, actor: Actor, *, uuid: str, reason: str, seen_version: int | None = None) -> Decided:
    """不予通过, with the reason the town will read."""
    from core.packages import decisions

    who = _officer(actor, "审核")
    with unit_of_work(db) as s:
        return _decided(decisions.reject(s, _case(s, uuid, seen_version).uuid, who, reason))


def mark_paid(
    db: Database,
    actor: Actor,
    *,
    uuid: str,
    amount_fen: int | None = None,
    paid_on: dt.date | None = None,
    today: dt.date | None = None,
    seen_version: int | None = None,
) -> Decided:
    """登记拨付; the amount defaults to the approved amount and the date to today."""
    from core.packages import decisions

    who = _officer(actor, "登记拨付", Role.FINANCE)
    with unit_of_work(db) as s:
        row = _case(s, uuid, seen_version)
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
    result = export(db, db.path.parent, office_code, folder, who)
    publish_quietly(db, path=result.path, office_code=office_code)
    return result


def publish_quietly(db: Database, *, path: Path, office_code: str | None) -> None:
    """Also offer the package on the receiving service, for the towns that fetch over the network.

    The written file is what counts; a failure here is logged and the towns still get it by USB.
    """
    import logging

    from core.app.inbox import publish

    try:
        publish(db, path=path, office_code=office_code)
    except OSError:
        logging.getLogger(__name__).warning("结果包未能放入上报接收服务的发送目录", exc_info=True)


def register_office(db: Database, actor: Actor, *, code: str, public_key: bytes, name: str = "") -> str:
    """Put a town's public key on the allow-list; returns its fingerprint to compare aloud."""
    from core.packages.key_numbers import note_number
    from core.packages.keys import read_key_file
    from core.packages.registry import register_office_key

    who = _officer(actor, "登记站所公钥", Role.ADMIN)
    last = note_number(read_key_file(public_key).notes)
    with unit_of_work(db) as s:
        return register_office_key(s, code, public_key, who, name, last).fingerprint
