"""The town's reporting to the county: batches out (USB stick), the county's results back in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.actor import Actor, Role, Station
from core.app.base import reading, unit_of_work
from core.app.paging import PagedRows
from core.db import Database
from core.ids import CaseId
from core.packages.format import ImportStatus

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.app.reports import PreparedDocument
    from core.packages.export import ExportResult
    from core.packages.models import Batch
    from core.packages.results import Applied

ProgressFn = Callable[[str, int, int], None]  # (stage, done, total); see core.packages.export


@dataclass(frozen=True)
class ExportRow:
    """A case that would go into the next batch."""

    case_id: CaseId
    case_number: str
    applicant: str
    subsidy: str  # the subsidy's name
    amount_fen: int


@dataclass(frozen=True)
class ResultChange:
    """What a county result did to one of this office's cases."""

    case_number: str
    applicant: str
    outcome: str  # in the clerk's words: 县局审核通过, 已拨付, 没有变化, ...
    detail: str  # the county's reason or note, or why nothing changed
    case_id: CaseId | None = None  # None when this office has no such case
    approved_fen: int | None = None  # 核定金额, for an approved or paid case
    paid_fen: int | None = None
    paid_on: dt.date | None = None
    reason_label: str = ""  # what `detail` is: 不予通过理由, 县局核定说明, or 说明

    @property
    def amounts(self) -> str:
        """核定 500.00 元；拨付 500.00 元（2024-06-01）, as far as the county told them."""
        from core.money import format_yuan

        parts = []
        if self.approved_fen is not None:
            parts.append(f"核定 {format_yuan(self.approved_fen)} 元")
        if self.paid_fen is not None:
            day = f"（{self.paid_on.isoformat()}）" if self.paid_on else ""
            parts.append(f"拨付 {format_yuan(self.paid_fen)} 元{day}")
        return "，".join(parts)

    @property
    def text(self) -> str:
        """One line for the message box and the command line, in the clerk's words."""
        head = "　".join(x for x in (self.case_number, self.applicant) if x) or "（无受理编号）"
        line = f"{head}：{self.outcome}" + (f"，{self.amounts}" if self.amounts else "")
        return line + (f"。{self.reason_label}：{self.detail}" if self.detail else "")


@dataclass(frozen=True)
class ResultsImport:
    status: ImportStatus
    summary: str  # one sentence for the message box and the command line
    changes: tuple[ResultChange, ...] = ()


# What the county's words on a case are, by its decision: a rejection's reason, an approval's note.
_REASON_LABELS = {"rejected": "不予通过理由", "approved": "县局核定说明", "paid": "县局核定说明"}
_OUTCOMES = {
    "approved": "县局审核通过",
    "rejected": "县局未通过",
    "paid": "已拨付",
    "unchanged": "没有变化",
    "unknown": "本所没有这个案件",
    "skipped": "未更新",
}


def _reporter(actor: Actor, what: str, *roles: Role) -> str:
    actor.require_station(Station.TOWN, what)
    actor.require_any(roles or (Role.HEAD,), what)
    return actor.audit_name


def exportable(db: Database) -> list[ExportRow]:
    """Cases that passed the town review and are in no batch yet, as the export dialog lists them."""
    from core.packages.export import exportable_cases
    from core.packages.roster import subsidy_names

    names = subsidy_names()
    with reading(db) as s:
        return [
            ExportRow(
                CaseId(c.id),
                c.case_number or "",
                c.person.name if c.person else (c.organisation.name if c.organisation else ""),
                names.get((c.catalog_id, c.subsidy_id), c.subsidy_id),
                c.amount_fen or 0,
            )
            for c in exportable_cases(s)
        ]


def can_encrypt(db: Database) -> bool:
    """Whether the county's encryption key has been imported on this PC."""
    from core.packages.keys import KeyStore

    return KeyStore(db.path.parent).county_encryption_public() is not None


def export_batch(
    db: Database,
    actor: Actor,
    *,
    folder: Path,
    case_ids: Sequence[CaseId] | None = None,
    encrypt: bool = False,
    progress: ProgressFn | None = None,
) -> ExportResult:
    """Write the next signed batch to `folder`, read it back, and only then mark its cases exported.

    The number and the cases are taken in a short write transaction first, so two programs
    exporting at once never share either (core/packages/export_journal.py)."""
    from sqlalchemy.exc import OperationalError

    from core.app.base import storage_error
    from core.packages.errors import PackageError
    from core.packages.export import export_batch as export
    from core.packages.keys import KeyStore

    who = _reporter(actor, "导出上报批次")
    seal_to = None
    if encrypt:
        seal_to = KeyStore(db.path.parent).county_encryption_public()
        if seal_to is None:
            raise PackageError(
                "COUNTY_ENCRYPTION_KEY_MISSING",
                "本机还没有县局的加密公钥，不能加密。请向县局索取加密公钥文件并导入，或不加密导出。",
            )
    ids = list(case_ids) if case_ids is not None else None
    try:
        return export(db, db.path.parent, folder, who, ids, progress=progress, seal_to=seal_to)
    except OperationalError as exc:
        raise storage_error(exc, db.path) from exc


def recover_exports(db: Database) -> list[str]:
    """At start: settle the exports a kill interrupted (completed or undone), one sentence each.

    Cheap when there is nothing to do (one query with the plain reader); skipped while another
    program's export runs, which settles them itself before it writes."""
    from core.instance import InstanceLock
    from core.packages import export_journal
    from core.packages.export import EXPORT_LOCK

    if not _interrupted(db):
        return []
    lock = InstanceLock(db.path.parent, EXPORT_LOCK)
    try:
        if not lock.acquire():
            return []
    except OSError:
        return []
    with lock:
        return export_journal.recover(db, db.path.parent)


def _interrupted(db: Database) -> bool:
    outbox = db.path.parent / "outbox"
    if outbox.is_dir() and any(outbox.iterdir()):
        return True
    with db.reader() as conn:
        return conn.execute("SELECT 1 FROM batch WHERE status = 'writing' LIMIT 1").fetchone() is not None


def import_results(db: Database, actor: Actor, *, path: Path) -> ResultsImport:
    """Verify the county's signed result package and apply it: states, amounts, reasons."""
    from sqlalchemy import select

    from core.db.models import Case
    from core.packages.town_results import import_results as apply

    who = _reporter(actor, "导入县局审核结果", Role.CLERK, Role.HEAD)
    with unit_of_work(db) as s:
        report = apply(s, db.path.parent, path, who)
        if report.status == ImportStatus.REJECTED:
            return ResultsImport(report.status, f"结果包未通过核验，没有导入：{report.verification.message}")
        if report.status == ImportStatus.ALREADY_IMPORTED:
            return ResultsImport(report.status, "这个结果包已经导入过，没有改变任何数据。")
        cases = {
            c.uuid: c for c in s.scalars(select(Case).where(Case.uuid.in_([a.uuid for a in report.applied])))
        }
        changes = tuple(_change(cases.get(a.uuid), a) for a in report.applied)
    return ResultsImport(report.status, _summary(changes), changes)


def _change(case: object, applied: Applied) -> ResultChange:
    from core.db.models import Case

    if not isinstance(case, Case):
        return ResultChange("", "", _OUTCOMES["unknown"], "")  # the outcome says it all
    who = case.person.name if case.person else (case.organisation.name if case.organisation else "")
    return ResultChange(
        case.case_number or "", who, _OUTCOMES.get(applied.outcome, applied.outcome), applied.detail,
        CaseId(case.id), applied.approved_fen, applied.paid_fen,
        dt.date.fromisoformat(applied.paid_on) if applied.paid_on else None,
        _REASON_LABELS.get(applied.outcome, "说明"),
    )  # fmt: skip


def _summary(changes: Sequence[ResultChange]) -> str:
    counts: dict[str, int] = {}
    for change in changes:
        counts[change.outcome] = counts.get(change.outcome, 0) + 1
    parts = "，".join(f"{label}{n}件" for label, n in counts.items())
    return (
        f"已导入县局审核结果，共{len(changes)}件：{parts}。"
        if changes
        else "已导入县局审核结果，没有需要更新的案件。"
    )


def transfer_slip(db: Database, *, number: int) -> bytes:
    """The 交接单 of a batch as PDF bytes, for both sides to sign at hand-over."""
    from core.packages.slip import render_slip

    with reading(db) as s:
        return render_slip(s, number)


@dataclass(frozen=True)
class BatchRow:
    """One exported batch, as the batches screen lists it."""

    number: int
    exported_at: dt.datetime  # the PC's local time
    exported_by: str
    case_count: int
    total_fen: int
    active: int  # cases still in the batch (a recalled case went into a later one)
    decided: int  # of those, cases the county's results have reached
    file_name: str
    sealed: bool
    copy_kept: bool  # a copy is kept on this PC, so the batch can be written again

    @property
    def state(self) -> str:
        if not self.active:
            return "已全部撤回"
        if self.decided >= self.active:
            return "已收到县局结果"
        if self.decided:
            return f"已收到部分县局结果（{self.decided}/{self.active}件）"
        return "已导出"


@dataclass(frozen=True)
class BatchGroup:
    """The cases of one subsidy in a batch: a roster or public notice list prints one subsidy."""

    subsidy: str  # the subsidy's name
    case_ids: tuple[CaseId, ...]
    amount_fen: int


_DECIDED = ("approved", "rejected", "paid")


def batch_rows(db: Database) -> PagedRows[BatchRow]:
    """Every batch of this office, the newest first."""
    return PagedRows(lambda: _count_batches(db), lambda offset, limit: _fetch_batches(db, offset, limit))


def _count_batches(db: Database) -> int:
    from sqlalchemy import func, select

    from core.packages.models import Batch

    with reading(db) as s:
        return s.scalar(select(func.count(Batch.id))) or 0


def _fetch_batches(db: Database, offset: int, limit: int) -> list[BatchRow]:
    from sqlalchemy import and_, case, func, select

    from core.db.models import Case
    from core.packages.models import Batch, BatchCase

    active = BatchCase.recalled_at.is_(None)
    stmt = (
        select(
            Batch,
            func.sum(case((active, 1), else_=0)),
            func.sum(case((and_(active, Case.status.in_(_DECIDED)), 1), else_=0)),
        )
        .outerjoin(BatchCase, BatchCase.batch_id == Batch.id)
        .outerjoin(Case, Case.id == BatchCase.case_id)
        .group_by(Batch.id)
        .order_by(Batch.number.desc())
        .offset(offset)
        .limit(limit)
    )
    data_dir = db.path.parent
    with reading(db) as s:
        return [_batch_row(data_dir, b, int(n or 0), int(d or 0)) for b, n, d in s.execute(stmt)]


def _batch_row(data_dir: Path, b: Batch, active: int, decided: int) -> BatchRow:
    from core.packages.kept import kept_path
    from core.packages.sealed import SUFFIX
    from core.packages.slip import local_time

    kept = kept_path(data_dir, b.office_code, b.number).is_file()
    return BatchRow(b.number, local_time(b.created_at), b.created_by, b.case_count, b.total_fen, active,
                    decided, b.file_name, b.file_name.endswith(SUFFIX), kept)  # fmt: skip


def batch_groups(db: Database, *, number: int) -> list[BatchGroup]:
    """The cases still in batch `number`, one group per subsidy, by the subsidy's name."""
    from sqlalchemy import select

    from core.db.models import Case
    from core.packages.models import BatchCase
    from core.packages.roster import subsidy_names

    names = subsidy_names()
    groups: dict[tuple[str, str], list[Case]] = {}
    with reading(db) as s:
        batch = _batch(s, number)
        stmt = (
            select(Case)
            .join(BatchCase, BatchCase.case_id == Case.id)
            .where(BatchCase.batch_id == batch.id, BatchCase.recalled_at.is_(None))
            .order_by(Case.case_number, Case.id)
        )
        for c in s.scalars(stmt):
            groups.setdefault((c.catalog_id, c.subsidy_id), []).append(c)
        return [
            BatchGroup(
                names.get(key, "（政策目录中没有这项补贴的名称）"),
                tuple(CaseId(c.id) for c in cases),
                sum(c.amount_fen or 0 for c in cases),
            )
            for key, cases in sorted(groups.items(), key=lambda item: names.get(item[0], ""))
        ]


def _batch(session: Session, number: int) -> Batch:
    from sqlalchemy import select

    from core.packages.errors import PackageError
    from core.packages.models import Batch

    batch = session.scalar(select(Batch).where(Batch.number == number))
    if batch is None:
        raise PackageError("BATCH_NOT_FOUND", f"没有第{number}批，请核对批次号。")
    return batch


def batch_label(db: Database, *, number: int) -> str:
    """How a batch is named on its printed roster: 533422101 第3批."""
    with reading(db) as s:
        return f"{_batch(s, number).office_code} 第{number}批"


def prepare_transfer_slip(db: Database, *, number: int) -> PreparedDocument:
    """The 交接单, read now; drawn by the returned `render` (on a worker)."""
    from core.app.reports import PreparedDocument
    from core.packages.slip import draw_slip, slip_data

    with reading(db) as s:
        data = slip_data(s, number)
    return PreparedDocument(f"交接单_{data.office_code}_第{number}批.pdf", "交接单", lambda: draw_slip(data))


def write_batch_again(db: Database, actor: Actor, *, number: int, folder: Path) -> Path:
    """Write batch `number` once more to `folder` (another stick), from the copy kept at export."""
    from core import audit
    from core.packages.kept import write_again
    from core.packages.keys import KeyStore

    who = _reporter(actor, "重新写入上报批次")
    with reading(db) as s:
        batch = _batch(s, number)
        target = write_again(
            db.path.parent, batch, folder, KeyStore(db.path.parent).county_encryption_public()
        )
        batch_id = batch.id
    with unit_of_work(db) as s:
        audit.record(s, who, "write_again", "batch", str(batch_id), {"file": [None, str(target)]})
    return target
