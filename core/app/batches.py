"""The town's reporting to the county: batches out (USB stick), the county's results back in."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.actor import Actor, Station
from core.app.base import reading, unit_of_work
from core.db import Database
from core.ids import CaseId
from core.packages.format import ImportStatus

if TYPE_CHECKING:
    from core.packages.export import ExportResult

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
    detail: str  # the county's reason, or why nothing changed


@dataclass(frozen=True)
class ResultsImport:
    status: ImportStatus
    summary: str  # one sentence for the message box and the command line
    changes: tuple[ResultChange, ...] = ()


_OUTCOMES = {
    "approved": "县局审核通过",
    "rejected": "县局未通过",
    "paid": "已拨付",
    "unchanged": "没有变化",
    "unknown": "本所没有这个案件",
    "skipped": "未更新",
}


def _reporter(actor: Actor, what: str) -> str:
    actor.require_station(Station.TOWN, what)
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
    """Write the next signed batch to `folder`, read it back, and only then mark its cases exported."""
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
    return export(db, db.path.parent, folder, who, ids, progress=progress, seal_to=seal_to)


def import_results(db: Database, actor: Actor, *, path: Path) -> ResultsImport:
    """Verify the county's signed result package and apply it: states, amounts, reasons."""
    from sqlalchemy import select

    from core.db.models import Case
    from core.packages.town_results import import_results as apply

    who = _reporter(actor, "导入县局审核结果")
    with unit_of_work(db) as s:
        report = apply(s, db.path.parent, path, who)
        if report.status == ImportStatus.REJECTED:
            return ResultsImport(report.status, f"结果包未通过核验，没有导入：{report.verification.message}")
        if report.status == ImportStatus.ALREADY_IMPORTED:
            return ResultsImport(report.status, "这个结果包已经导入过，没有改变任何数据。")
        cases = {
            c.uuid: c for c in s.scalars(select(Case).where(Case.uuid.in_([u for u, _, _ in report.applied])))
        }
        changes = tuple(_change(cases.get(uuid), outcome, detail) for uuid, outcome, detail in report.applied)
    return ResultsImport(report.status, _summary(changes), changes)


def _change(case: object, outcome: str, detail: str) -> ResultChange:
    from core.db.models import Case

    if not isinstance(case, Case):
        return ResultChange("", "", _OUTCOMES["unknown"], detail)
    who = case.person.name if case.person else (case.organisation.name if case.organisation else "")
    return ResultChange(case.case_number or "", who, _OUTCOMES.get(outcome, outcome), detail)


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
