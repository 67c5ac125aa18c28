"""Corrections at the town: withdraw a case, remove a scan (the office head's revert of a town
review is in review.py). Each is refused when the state table forbids it, needs a reason, and
is written to the audit trail, from which nothing is ever deleted."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.actor import Actor, Role, Station
from core.app.base import reading, unit_of_work
from core.db import Database
from core.ids import CaseId

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.cases.overview import Scan

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RemovedScan:
    filename: str
    files_for_material: int  # scans the material still has
    file_deleted: bool  # False when another case (or a county copy) still uses the stored file


def withdraw_case(db: Database, actor: Actor, *, case_id: CaseId, reason: str) -> None:
    """撤回 with a reason (申请人主动撤回, 重复登记, 录入错误 ...); the case stays, read-only."""
    from core.cases.corrections import withdraw_case as withdraw

    actor.require_station(Station.TOWN, "撤回案件")
    actor.require_role(Role.CLERK, "撤回案件")
    who = actor.audit_name
    with unit_of_work(db) as s:
        withdraw(s, case_id, reason, who)


def case_scans(db: Database, *, case_id: CaseId) -> list[Scan]:
    """The scans of a case, oldest first, each with its material's name."""
    from core.cases.intake import subsidy_of
    from core.cases.overview import case_scans as scans
    from core.cases.service import get_case

    with reading(db) as s:
        return scans(s, case_id, subsidy_of(get_case(s, case_id)))


def remove_scan(
    db: Database, actor: Actor, *, case_id: CaseId, attachment_id: int, reason: str
) -> RemovedScan:
    """删除扫描件 with a reason. The stored file is deleted only when nothing else uses it: the
    store is content-addressed, so the same scan attached to another case is the same file."""
    from core.attachments import AttachmentStore
    from core.cases.corrections import discard_file, file_in_use, remove_attachment

    actor.require_station(Station.TOWN, "删除扫描件")
    actor.require_role(Role.CLERK, "删除扫描件")
    who = actor.audit_name
    with unit_of_work(db) as s:
        removed = remove_attachment(s, case_id, attachment_id, reason, who)
        keep = file_in_use(s, removed.sha256) or _county_copies_here(s)
        left = _files_for(s, case_id, removed.material_id)
    deleted = False
    if not keep:  # only once the removal is committed: a rolled-back removal keeps its file
        try:
            deleted = discard_file(AttachmentStore(db.path.parent / "attachments"), removed.sha256)
        except OSError as exc:  # e.g. open in a viewer on Windows; the case no longer lists it
            log.warning("扫描件已从案件中删除，但文件未能删除（%s）：%s", removed.sha256[:12], exc)
    return RemovedScan(removed.filename, left, deleted)


def _county_copies_here(session: Session) -> bool:
    """A data folder that has imported batches as the county keeps their scans in the same store;
    those are referenced by the imported cases' documents, not by attachment rows."""
    from sqlalchemy import select

    from core.packages.models import ImportedPackage

    return session.scalar(select(ImportedPackage.id).limit(1)) is not None


def _files_for(session: Session, case_id: int, material_id: str | None) -> int:
    from sqlalchemy import func, select

    from core.db.models import Attachment

    stmt = select(func.count()).select_from(Attachment).where(Attachment.case_id == case_id)
    stmt = stmt.where(
        Attachment.material_id.is_(None) if material_id is None else Attachment.material_id == material_id
    )
    return int(session.scalar(stmt) or 0)
