"""The town exports: cases that passed town review go into a numbered, signed batch package.

The package is written atomically, read back and verified with the office's own key, and
only then are the cases marked exported (with audit events) in the same transaction that
records the batch. Any failure before the commit removes the file and changes no case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit
from core.attachments import AttachmentStore
from core.cases.service import update_case
from core.cases.states import CaseStatus
from core.db import Database
from core.db.models import Attachment, Case, Office, utcnow
from core.packages import format as f
from core.packages.bag import BagWriter
from core.packages.content import case_attachments, case_document
from core.packages.errors import PackageError
from core.packages.identity import get_office_code
from core.packages.kept import keep_copy
from core.packages.keys import AllowedKey, AllowList, KeyStore, raw_public
from core.packages.locks import active_batch_case_ids
from core.packages.models import Batch, BatchCase
from core.packages.roster import printed_rosters, roster_xlsx, subsidy_groups
from core.packages.sealed import SUFFIX, file_sha256, seal_file
from core.packages.verify import Verification, verify_package
from core.packages.writer import is_precompressed, remove_partials

# (stage, done, total), in this order: "prepare" (steps: each subsidy's printed roster, each case
# document, the roster workbook; about 7 s for 1,000 cases), "write" (attachment bytes) and
# "verify". The GUI shows it in a progress bar.
ProgressFn = Callable[[str, int, int], None]


@dataclass
class ExportResult:
    batch_id: int
    number: int
    path: Path
    case_count: int
    total_fen: int
    manifest_sha256: str
    verification: Verification
    notes: list[str] = field(default_factory=list)  # e.g. leftovers of a crashed export, removed


@dataclass
class _Plan:
    office: Office
    office_code: str
    number: int
    cases: list[Case]
    attachments: dict[int, list[Attachment]]
    created_at: dt.datetime

    @property
    def unique_attachments(self) -> dict[str, Attachment]:
        return {a.sha256: a for atts in self.attachments.values() for a in atts}


def exportable_cases(session: Session, case_ids: Sequence[int] | None = None) -> list[Case]:
    """Cases that passed town review and are in no batch; all of them when case_ids is None."""
    stmt = (
        select(Case).where(Case.status == CaseStatus.REVIEW_PASSED.value).order_by(Case.case_number, Case.id)
    )
    if case_ids is not None:
        stmt = stmt.where(Case.id.in_(case_ids))
    locked = active_batch_case_ids(session)
    cases = [c for c in session.scalars(stmt).unique() if c.id not in locked]
    if case_ids is not None and len(cases) != len(set(case_ids)):
        bad = sorted(set(case_ids) - {c.id for c in cases})
        raise PackageError(
            "BATCH_CASE_NOT_READY",
            f"案件 {'、'.join(map(str, bad))} 不能上报：只有“初审通过”且未在其他批次中的案件可以列入批次。",
        )
    return cases


def next_batch_number(session: Session, office_id: int) -> int:
    last = session.scalar(select(func.max(Batch.number)).where(Batch.office_id == office_id))
    return (last or 0) + 1


def _plan(session: Session, case_ids: Sequence[int] | None) -> _Plan:
    cases = exportable_cases(session, case_ids)
    if not cases:
        raise PackageError(
            "BATCH_EMPTY", "没有可上报的案件：请先完成初审，只有“初审通过”的案件可以列入批次。"
        )
    office = session.get(Office, cases[0].office_id)
    assert office is not None
    attachments = {c.id: case_attachments(session, c.id) for c in cases}
    number = next_batch_number(session, office.id)
    return _Plan(
        office, get_office_code(session), number, cases, attachments, utcnow().replace(microsecond=0)
    )


def _totals(cases: Sequence[Case]) -> dict[str, dict[str, int]]:
    totals: dict[str, dict[str, int]] = {}
    for case in cases:
        entry = totals.setdefault(case.subsidy_id, {"count": 0, "amount_fen": 0})
        entry["count"] += 1
        entry["amount_fen"] += case.amount_fen or 0
    return totals


def build_header(plan: _Plan, actor: str, fingerprint: str, notes: list[str]) -> dict[str, Any]:
    catalogs = sorted({(c.catalog_id, c.catalog_version, c.catalog_hash) for c in plan.cases})
    unique = plan.unique_attachments
    return {
        "format_version": f.BATCH_FORMAT_VERSION,
        "kind": f.KIND_BATCH,
        "office_code": plan.office_code,
        "office_name": plan.office.name,
        "county_code": plan.office.county_code,
        "number": plan.number,
        "created_at": plan.created_at.isoformat(),
        "created_by": actor,
        "key_fingerprint": fingerprint,
        "catalogs": [{"id": i, "version": v, "hash": h} for i, v, h in catalogs],
        "case_count": len(plan.cases),
        "cases": [c.uuid for c in plan.cases],
        # Each case's catalog version: the county flags cases assessed under one it has replaced.
        "case_catalogs": {c.uuid: {"id": c.catalog_id, "version": c.catalog_version} for c in plan.cases},
        "total_fen": sum(c.amount_fen or 0 for c in plan.cases),
        "totals": _totals(plan.cases),
        "attachment_count": len(unique),
        "attachment_bytes": sum(a.size for a in unique.values()),
        "notes": notes,
    }


def _write(
    session: Session,
    plan: _Plan,
    target: Path,
    store: AttachmentStore,
    keys: KeyStore,
    actor: str,
    progress: ProgressFn | None,
) -> None:
    key = keys.office_key()
    step = _Counter("prepare", len(subsidy_groups(plan.cases)) + len(plan.cases) + 1, progress)
    written = _Counter("write", sum(a.size for a in plan.unique_attachments.values()), progress)
    step.add(0)  # the bar appears before the first (slow) roster is drawn
    label = f"{plan.office_code} 第{plan.number}批"
    pdfs = printed_rosters(plan.cases, plan.office.name, label, step.one)
    header = build_header(plan, actor, keys.office_fingerprint(), pdfs.notes)
    with BagWriter(target, written.add) as writer:  # a BagIt bag (core/packages/bag.py)
        for case in plan.cases:
            doc = case_document(session, case, plan.attachments[case.id])
            writer.add_bytes(f.case_member(case.uuid), f.canonical_json(doc))
            step.one()
        writer.add_bytes(f.ROSTER_XLSX, roster_xlsx(plan.cases, f"花名册 {label}"), stored=True)
        step.one()
        for sha, att in sorted(plan.unique_attachments.items()):
            stored = is_precompressed(att.media_type, att.filename)
            if writer.add_file(f.attachment_member(sha), store.path_for(sha), stored) != sha:
                raise PackageError(
                    "ATTACHMENT_DAMAGED",
                    f"附件“{att.filename}”的文件已损坏（校验值不符），请重新附加后再上报。",
                )
        for name, data in pdfs.members.items():
            writer.add_bytes(name, data, stored=True)
        writer.seal(f.KIND_BATCH, key, header)


class _Counter:
    """Adds up one stage's progress and reports it, when there is someone to report to."""

    def __init__(self, stage: str, total: int, progress: ProgressFn | None) -> None:
        self.stage, self.total, self.progress, self.done = stage, total, progress, 0

    def add(self, n: int) -> None:
        self.done += n
        if self.progress:
            self.progress(self.stage, self.done, self.total)

    def one(self) -> None:
        self.add(1)


def _read_back(target: Path, plan: _Plan, keys: KeyStore, progress: ProgressFn | None) -> Verification:
    if progress:
        progress("verify", 0, 1)
    own = AllowedKey(plan.office_code, raw_public(keys.office_key().public_key()), dt.datetime.min)
    result = verify_package(target, AllowList([own]), {}, allow_gap=True)
    if not result.ok:
        target.unlink(missing_ok=True)
        raise PackageError(
            "BATCH_READBACK_FAILED",
            f"数据包写入后读回核验失败（{result.message}）。文件已删除，案件状态未改变。请换一个U盘或文件夹再试。",
        )
    if progress:
        progress("verify", 1, 1)
    return result


def _record(session: Session, plan: _Plan, target: Path, result: Verification, actor: str) -> Batch:
    header = result.header
    batch = Batch(
        office_id=plan.office.id,
        office_code=plan.office_code,
        number=plan.number,
        created_at=plan.created_at,
        created_by=actor,
        file_name=target.name,
        manifest_sha256=result.manifest_sha256,
        key_fingerprint=header["key_fingerprint"],
        case_count=header["case_count"],
        total_fen=header["total_fen"],
        totals=header["totals"],
        attachment_count=header["attachment_count"],
        attachment_bytes=header["attachment_bytes"],
    )
    session.add(batch)
    session.flush()
    for case in plan.cases:
        session.add(BatchCase(batch_id=batch.id, case_id=case.id))
        update_case(session, case.id, {"status": CaseStatus.EXPORTED.value}, actor)
        audit.record(session, actor, "export", "case", case.uuid, {"batch": [None, plan.number]})
    audit.record(
        session,
        actor,
        "export",
        "batch",
        str(batch.id),
        {"number": [None, plan.number], "file": [None, target.name]},
    )
    return batch


def _target(folder: Path, plan: _Plan) -> Path:
    if not folder.is_dir():
        raise PackageError(
            "EXPORT_FOLDER_MISSING", f"找不到文件夹 {folder}，请检查U盘是否插好，或重新选择文件夹。"
        )
    return folder / f.package_file_name(f.KIND_BATCH, plan.office_code, plan.number)


def export_batch(
    db: Database,
    data_dir: Path,
    folder: Path,
    actor: str,
    case_ids: Sequence[int] | None = None,
    progress: ProgressFn | None = None,
    seal_to: X25519PublicKey | None = None,
) -> ExportResult:
    """Export the given cases (or every case ready for export) as the office's next batch.

    With `seal_to` (the county's X25519 key) the verified zip is encrypted onto `folder` and
    the plain zip, made in <data_dir>/outbox, is removed: the stick carries only ciphertext.
    """
    keys, store = KeyStore(data_dir), AttachmentStore(data_dir / "attachments")
    with db.session() as session:
        plan = _plan(session, case_ids)
        target = _target(folder, plan)
        notes = _clear_leftovers(folder, data_dir, plan.office_code)
        plain = _outbox(data_dir) / target.name if seal_to else target
        final = target.with_name(target.name + SUFFIX) if seal_to else target
        kept: Path | None = None
        try:
            _write(session, plan, plain, store, keys, actor, progress)
            result = _read_back(plain, plan, keys, progress)
            if seal_to is not None:
                _seal(plain, final, seal_to)
            # To write the batch again later (上报 → 上报批次); see core/packages/kept.py.
            kept, kept_notes = keep_copy(plain, data_dir, plan.office_code, plan.number)
            notes += kept_notes
            batch = _record(session, plan, final, result, actor)
            session.commit()
        except BaseException:
            session.rollback()
            final.unlink(missing_ok=True)
            if kept is not None:
                kept.unlink(missing_ok=True)
            raise
        finally:
            if seal_to is not None:
                plain.unlink(missing_ok=True)
        return ExportResult(
            batch.id,
            plan.number,
            final,
            len(plan.cases),
            batch.total_fen,
            result.manifest_sha256,
            result,
            notes,
        )


def _clear_leftovers(folder: Path, data_dir: Path, office_code: str) -> list[str]:
    """Remove what a crashed export of this office left (in `folder`, and the outbox of sealing).

    A partial file never verifies, so it can do no harm at the county; it is removed so that
    nobody carries it there and asks why. What cannot be removed is reported, not hidden.
    """
    prefix = f.package_prefix(f.KIND_BATCH, office_code)
    notes: list[str] = []
    for place in (folder, data_dir / "outbox"):
        if not place.is_dir():
            continue
        removed, stuck = remove_partials(place, prefix)
        if place != folder:  # a plain copy that a crash kept from being sealed and removed
            for plain in sorted(place.glob(f"{prefix}*.zip")):
                plain.unlink(missing_ok=True)
        notes += [f"已删除上次中断的导出留下的临时文件 {p.name}（它不是有效的数据包）。" for p in removed]
        notes += [
            f"上次中断的导出留下的临时文件 {p} 无法删除，请手动删除；它不是有效的数据包。" for p in stuck
        ]
    return notes


def _outbox(data_dir: Path) -> Path:
    folder = data_dir / "outbox"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _seal(plain: Path, final: Path, recipient: X25519PublicKey) -> None:
    written = seal_file(plain, final, recipient)
    if file_sha256(final) != written:
        final.unlink(missing_ok=True)
        raise PackageError(
            "BATCH_READBACK_FAILED", "加密数据包写入后读回的内容与写入的不同。文件已删除，请换一个U盘再试。"
        )
