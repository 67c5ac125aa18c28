"""The town exports: cases that passed town review go into a numbered, signed batch package.

The package is written and read back in the data folder, kept there, then copied to the stick
and read back again; only then are the cases marked exported (with audit events). The steps,
their two transactions and what a kill at any moment leaves are in export_journal.py. Any
error removes what was written and changes no case.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.attachments import AttachmentStore
from core.cases.states import CaseStatus
from core.db import Database
from core.db.models import Attachment, Case, Office, utcnow
from core.files import disk_error, fsync_directory
from core.instance import InstanceLock
from core.packages import export_journal as journal
from core.packages import format as f
from core.packages.content import case_attachments, case_document
from core.packages.errors import PackageError
from core.packages.identity import get_office_code
from core.packages.kept import kept_path
from core.packages.keys import AllowedKey, AllowList, KeyStore, raw_public
from core.packages.locks import active_batch_case_ids
from core.packages.models import Batch
from core.packages.roster import printed_rosters, roster_xlsx, subsidy_groups
from core.packages.sealed import SUFFIX, seal_file
from core.packages.verify import Verification, verify_package
from core.packages.writer import CHUNK, PackageWriter, is_precompressed, partial_path, remove_partials

log = logging.getLogger(__name__)

EXPORT_LOCK = "subsidydesk.export.lock"  # in the data folder; held by the one export running
EXPORT_WAIT_S = 600.0  # how long a second export waits for the first before giving up

# (stage, done, total), in this order: "prepare" (steps: each subsidy's printed roster, each case
# document, the roster workbook; about 7 s for 1,000 cases), "write" (attachment bytes), "verify",
# "copy" (bytes onto the stick) and "verify" again; "wait" (0, 0) while another export runs.
# The GUI shows it in a progress bar.
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
        "format_version": f.FORMAT_VERSION,
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
    header_bytes = f.canonical_json(header)
    with PackageWriter(target, written.add) as writer:
        writer.add_bytes(f.HEADER, header_bytes)
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
        manifest = f.render_manifest(writer.hashes)
        signature = key.sign(f.signed_message(f.KIND_BATCH, header_bytes, manifest))
        writer.add_control(f.MANIFEST, manifest)
        writer.add_control(f.SIGNATURE, raw_public(key.public_key()) + signature)
        writer.commit()


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

    The steps and what a kill at any of them leaves are in core/packages/export_journal.py. With
    `seal_to` (the county's X25519 key) only the encrypted package reaches `folder`; the plain
    one stays on this PC as the batch's kept copy. One export runs at a time per data folder:
    a second one (another window, the command line) waits for the first (stage "wait").
    """
    with export_lock(data_dir, progress):
        notes = journal.recover(db, data_dir)
        if not folder.is_dir():
            raise _folder_missing(folder)
        reserved, created_at = _reserve(db, case_ids, actor)
        target = folder / (reserved.file_name + (SUFFIX if seal_to else ""))
        try:
            notes += _clear_leftovers(folder, reserved.office_code)
            result = _build(db, data_dir, reserved, created_at, progress)
            kept = _fix_content(data_dir, reserved)
            journal.write_journal(data_dir, reserved, folder, target.name)
            _to_target(kept, target, seal_to, progress)
            batch = journal.complete(db, reserved, target.name, result)
        except BaseException:
            stuck = journal.undo(db, data_dir, reserved, (target,))
            if stuck:
                log.warning("导出失败后未能删除：%s", ", ".join(map(str, stuck)))
            raise
        journal.remove_quietly(data_dir / journal.OUTBOX / (reserved.file_name + journal.JOURNAL_SUFFIX))
        return ExportResult(batch.id, reserved.number, target, batch.case_count, batch.total_fen,
                            result.manifest_sha256, result, notes)  # fmt: skip


@contextmanager
def export_lock(data_dir: Path, progress: ProgressFn | None) -> Iterator[None]:
    """Held for a whole export; another program's export waits (cancellable through `progress`)."""
    lock = InstanceLock(data_dir, EXPORT_LOCK)
    deadline = time.monotonic() + EXPORT_WAIT_S
    try:
        while not lock.acquire():
            if time.monotonic() >= deadline:
                raise PackageError(
                    "EXPORT_BUSY",
                    "另一个 SubsidyDesk 程序（另一个窗口或命令行）正在导出上报批次，已等待很久仍未结束。"
                    "请等它完成后再导出。",
                )
            if progress:
                progress("wait", 0, 0)  # raises Cancelled when the clerk gives up waiting
            time.sleep(0.2)
    except OSError as exc:  # no lock file can be made in the data folder: it is not writable
        raise disk_error(exc, "数据所在的磁盘", data_dir) from exc
    with lock:
        yield


def _reserve(
    db: Database, case_ids: Sequence[int] | None, actor: str
) -> tuple[journal.Reserved, dt.datetime]:
    """Take the next number and the cases in one short write transaction (BEGIN IMMEDIATE)."""
    with db.session() as session, session.begin():
        plan = _plan(session, case_ids)
        reserved = journal.reserve(session, plan.cases, plan.office.id, plan.office_code, plan.number,
                                   plan.created_at, actor)  # fmt: skip
    return reserved, plan.created_at


def _build(db: Database, data_dir: Path, reserved: journal.Reserved, created_at: dt.datetime,
           progress: ProgressFn | None) -> Verification:  # fmt: skip
    """Write the plain package in the outbox and read it back; only reads the database."""
    keys, store = KeyStore(data_dir), AttachmentStore(data_dir / "attachments")
    plain = journal.outbox(data_dir) / reserved.file_name
    with db.read_session() as session:
        cases = journal.reserved_cases(session, reserved.batch_id)
        office = session.get(Office, cases[0].office_id)
        assert office is not None
        attachments = {c.id: case_attachments(session, c.id) for c in cases}
        plan = _Plan(office, reserved.office_code, reserved.number, cases, attachments, created_at)
        try:
            _write(session, plan, plain, store, keys, reserved.created_by, progress)
        except OSError as exc:
            needed = sum(a.size for a in plan.unique_attachments.values())
            raise disk_error(exc, "本机数据所在的磁盘", plain.parent, needed) from exc
    return _read_back(plain, plan, keys, progress)


def _fix_content(data_dir: Path, reserved: journal.Reserved) -> Path:
    """Move the verified package to its kept copy: from now on it is the batch's content."""
    plain = data_dir / journal.OUTBOX / reserved.file_name
    kept = kept_path(data_dir, reserved.office_code, reserved.number)
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        os.replace(plain, kept)
        fsync_directory(kept.parent)
    except OSError as exc:
        raise disk_error(exc, "本机数据所在的磁盘", kept.parent) from exc
    return kept


def _to_target(
    kept: Path, target: Path, seal_to: X25519PublicKey | None, progress: ProgressFn | None
) -> None:
    """Copy (or seal) the kept package onto the stick through a hidden name, and read it back."""
    size = kept.stat().st_size
    try:
        if seal_to is not None:
            if progress:
                progress("copy", 0, size)
            written = seal_file(kept, target, seal_to)
            if progress:
                progress("copy", size, size)
        else:
            written = copy_with_progress(kept, target, progress)
        if progress:
            progress("verify", 0, 1)
        same = uncached_sha256(target) == written
    except OSError as exc:
        raise disk_error(exc, "U盘或目标文件夹", target.parent, size) from exc
    if not same:
        raise PackageError(
            "BATCH_READBACK_FAILED",
            "数据包写入U盘后读回的内容与写入的不同（U盘可能已损坏）。文件已删除，案件状态未改变。请换一个U盘再试。",
        )
    if progress:
        progress("verify", 1, 1)


def copy_with_progress(source: Path, target: Path, progress: ProgressFn | None) -> str:
    """Copy through `.name.partial`, fsync, rename, fsync the folder; returns the sha256 written."""
    partial = partial_path(target)
    total, done, sha = source.stat().st_size, 0, hashlib.sha256()
    try:
        with source.open("rb") as src, partial.open("wb") as out:
            while chunk := src.read(CHUNK):
                out.write(chunk)
                sha.update(chunk)
                done += len(chunk)
                if progress:
                    progress("copy", done, total)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
    except BaseException:
        journal.remove_quietly(partial)  # the cleanup never hides why the copy failed
        raise
    fsync_directory(target.parent)
    return sha.hexdigest()


def uncached_sha256(path: Path) -> str:
    """Hash a file as the device holds it: the page cache is dropped first where the OS allows."""
    with path.open("rb") as fh:
        if hasattr(os, "posix_fadvise"):
            os.posix_fadvise(fh.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
        sha = hashlib.sha256()
        while chunk := fh.read(CHUNK):
            sha.update(chunk)
    return sha.hexdigest()


def _folder_missing(folder: Path) -> PackageError:
    return PackageError(
        "EXPORT_FOLDER_MISSING", f"找不到文件夹 {folder}，请检查U盘是否插好，或重新选择文件夹。"
    )


def _clear_leftovers(folder: Path, office_code: str) -> list[str]:
    """Remove the `.partial` files a crashed export of this office left in `folder` (the stick).

    A partial file is never taken for a package, so it can do no harm at the county; it is removed
    so that nobody carries it there and asks why. What cannot be removed is reported, not hidden.
    """
    removed, stuck = remove_partials(folder, f.package_prefix(f.KIND_BATCH, office_code))
    notes = [f"已删除上次中断的导出留下的临时文件 {p.name}（它不是有效的数据包）。" for p in removed]
    return notes + [
        f"上次中断的导出留下的临时文件 {p} 无法删除，请手动删除；它不是有效的数据包。" for p in stuck
    ]
