"""An export in two transactions, and what the next start does with one that was killed.

1. `reserve` (a short write transaction, BEGIN IMMEDIATE): the next batch number and the cases
   are taken together, as a batch in the state "writing" that holds its cases like any batch
   (they cannot be edited or put into another batch). Two programs exporting at once can never
   take the same number or the same case, and no writer waits while the package is built.
2. The package is written and verified in <data>/outbox, then moved (a rename on the same disk)
   to its kept copy in <data>/batches: from that moment the batch's content is fixed. Only then
   is it copied to the stick, through a hidden partial name, read back, and renamed.
3. `complete` (the second write transaction): the batch is recorded as exported and its cases
   marked, with their audit events.

An error undoes it all (`undo`: the files, then the reservation), so the export can be repeated
under the same number: no file of that number verified anywhere. A kill leaves a "writing" batch,
and `recover` (at the next start, and before every export) settles it: a kept copy that
verifies is exactly the batch's content, so the export is completed with it (a package already
on the stick is that package); without one nothing verifying ever left the data folder, and
the reservation is undone. Either way the clerk is told. So a file that verifies exists on a
stick only for cases marked exported, or until the next start completes their export, and a
batch number never names two different packages.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core import audit
from core.cases.service import update_case
from core.cases.states import CaseStatus
from core.db import Database
from core.db.models import Case
from core.files import fsync_directory
from core.packages import format as f
from core.packages.errors import PackageError
from core.packages.kept import kept_path
from core.packages.keys import AllowedKey, AllowList, KeyStore, raw_public
from core.packages.models import Batch, BatchCase
from core.packages.verify import Verification, verify_package
from core.packages.writer import partial_path, remove_partials

log = logging.getLogger(__name__)

WRITING = "writing"  # Batch.status while its package is being written
EXPORTED = "exported"
OUTBOX = "outbox"
JOURNAL_SUFFIX = ".target.json"  # in the outbox: where the package is being copied


@dataclass(frozen=True)
class Reserved:
    batch_id: int
    number: int
    office_code: str
    file_name: str  # the plain package's name
    created_by: str


def outbox(data_dir: Path) -> Path:
    folder = data_dir / OUTBOX
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def reserve(session: Session, cases: list[Case], office_id: int, office_code: str, number: int,
            created_at: dt.datetime, actor: str) -> Reserved:  # fmt: skip
    """Record batch `number` as being written, holding `cases`; the caller commits."""
    name = f.package_file_name(f.KIND_BATCH, office_code, number)
    batch = Batch(
        office_id=office_id, office_code=office_code, number=number, created_at=created_at,
        created_by=actor, status=WRITING, file_name=name, manifest_sha256="", key_fingerprint="",
        case_count=len(cases), total_fen=sum(c.amount_fen or 0 for c in cases), totals={},
    )  # fmt: skip
    session.add(batch)
    session.flush()
    for case in cases:
        session.add(BatchCase(batch_id=batch.id, case_id=case.id))
    session.flush()
    return Reserved(batch.id, number, office_code, name, actor)


def complete(db: Database, reserved: Reserved, final_name: str, result: Verification) -> Batch:
    """Record the batch as exported and mark its cases, in one write transaction."""
    header = result.header
    with db.session() as session, session.begin():
        batch = session.get(Batch, reserved.batch_id)
        if batch is None or batch.status != WRITING:
            raise PackageError(
                "BATCH_RESERVATION_LOST",
                f"第{reserved.number}批的导出记录已被另一个程序处理，这次导出没有记录。请刷新后查看“上报批次”。",
            )
        batch.status, batch.file_name = EXPORTED, final_name
        batch.manifest_sha256, batch.key_fingerprint = result.manifest_sha256, header["key_fingerprint"]
        batch.case_count, batch.total_fen, batch.totals = (
            header["case_count"],
            header["total_fen"],
            header["totals"],
        )
        batch.attachment_count, batch.attachment_bytes = (
            header["attachment_count"],
            header["attachment_bytes"],
        )
        actor = reserved.created_by
        for case in _cases(session, batch.id):
            update_case(session, case.id, {"status": CaseStatus.EXPORTED.value}, actor)
            audit.record(session, actor, "export", "case", case.uuid, {"batch": [None, batch.number]})
        audit.record(session, actor, "export", "batch", str(batch.id),
                     {"number": [None, batch.number], "file": [None, final_name]})  # fmt: skip
        return batch


def _cases(session: Session, batch_id: int) -> list[Case]:
    stmt = (
        select(Case)
        .join(BatchCase, BatchCase.case_id == Case.id)
        .where(BatchCase.batch_id == batch_id)
        .order_by(Case.case_number, Case.id)
    )
    return list(session.scalars(stmt))


def reserved_cases(session: Session, batch_id: int) -> list[Case]:
    """The cases batch `batch_id` holds, in the order of the package's header."""
    return _cases(session, batch_id)


def release(db: Database, batch_id: int) -> None:
    """Undo a reservation that wrote no package (its number may be taken again)."""
    with db.session() as session, session.begin():
        batch = session.get(Batch, batch_id)
        if batch is None or batch.status != WRITING:
            return
        session.execute(delete(BatchCase).where(BatchCase.batch_id == batch_id))
        session.delete(batch)


def write_journal(data_dir: Path, reserved: Reserved, folder: Path, final_name: str) -> Path:
    """Before anything reaches the stick: where it goes, so the next start can look there."""
    from core.files import write_atomically

    path = outbox(data_dir) / (reserved.file_name + JOURNAL_SUFFIX)
    write_atomically(path, json.dumps({"folder": str(folder), "file": final_name}).encode())
    return path


def _journal(data_dir: Path, name: str) -> tuple[Path | None, str]:
    path = data_dir / OUTBOX / (name + JOURNAL_SUFFIX)
    try:
        data: dict[str, Any] = json.loads(path.read_text("utf-8"))
        return Path(data["folder"]), str(data["file"])
    except (OSError, ValueError, KeyError, TypeError):
        return None, name


def remove_quietly(*paths: Path | None) -> list[Path]:
    """Remove what an undone export left; what cannot be removed is logged and returned."""
    stuck = []
    for path in paths:
        if path is None:
            continue
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("无法删除 %s：%s", path, exc)
            stuck.append(path)
    return stuck


def undo(db: Database, data_dir: Path, reserved: Reserved, stick_files: tuple[Path, ...]) -> list[Path]:
    """After an error: remove the files of this export, then the reservation. Never raises, so the
    error that made the export fail is the one the clerk reads; what is left is settled by
    `recover` at the next export or start."""
    box = data_dir / OUTBOX
    plain = box / reserved.file_name
    stuck = remove_quietly(*stick_files, *(partial_path(p) for p in stick_files))
    remove_quietly(kept_path(data_dir, reserved.office_code, reserved.number), plain, partial_path(plain))
    try:
        release(db, reserved.batch_id)
    except Exception:  # a full disk may refuse even this; recover() releases it later
        log.exception("导出撤销时无法删除第%s批的导出记录", reserved.number)
    remove_quietly(box / (reserved.file_name + JOURNAL_SUFFIX))
    return stuck


def _matches(result: Verification, batch: Batch, uuids: set[str]) -> bool:
    h = result.header
    return (
        result.ok
        and h.get("number") == batch.number
        and h.get("office_code") == batch.office_code
        and set(h.get("cases", [])) == uuids
    )


def _fixed_content(
    data_dir: Path, batch: Batch, uuids: set[str], stick: Path | None
) -> tuple[Path, Verification] | None:
    """The package this batch was written as, if one verifies: the kept copy, or the stick's plain file."""
    keys = KeyStore(data_dir)
    own = AllowedKey(batch.office_code, raw_public(keys.office_key().public_key()), dt.datetime.min)
    candidates = [kept_path(data_dir, batch.office_code, batch.number)]
    if stick is not None and not stick.name.endswith(".sealed") and stick.name == batch.file_name:
        candidates.append(stick)
    for path in candidates:
        if not path.is_file():
            continue
        try:
            result = verify_package(path, AllowList([own]), {}, allow_gap=True)
        except Exception:  # a damaged file is simply not the content
            log.exception("中断的导出：无法核验 %s", path)
            continue
        if _matches(result, batch, uuids):
            return path, result
    return None


def recover(db: Database, data_dir: Path) -> list[str]:
    """Settle every batch a killed export left "writing"; one Chinese sentence per batch.

    The caller holds the export lock (core/packages/export.py), so no live export is touched."""
    with db.read_session() as s:
        pending = list(s.scalars(select(Batch).where(Batch.status == WRITING).order_by(Batch.number)))
        uuids = {b.id: {c.uuid for c in _cases(s, b.id)} for b in pending}
    notes = [_settle(db, data_dir, b, uuids[b.id]) for b in pending]
    return notes + _clear_outbox(data_dir)


def _settle(db: Database, data_dir: Path, batch: Batch, uuids: set[str]) -> str:
    folder, final_name = _journal(data_dir, batch.file_name)
    stick = folder / final_name if folder is not None else None
    reserved = Reserved(batch.id, batch.number, batch.office_code, batch.file_name, batch.created_by)
    found = _fixed_content(data_dir, batch, uuids, stick)
    if found is None:
        undo(db, data_dir, reserved, (partial_path(stick),) if stick else ())
        return (
            f"上次导出第{batch.number}批时程序被中断，数据包没有写成，这次导出已撤销："
            f"其中{len(uuids)}件案件仍为“初审通过”，可以重新导出。"
        )
    source, result = found
    kept = kept_path(data_dir, batch.office_code, batch.number)
    if source != kept:  # the kept copy was lost or damaged: the stick's verified file is the batch
        from core.packages.kept import copy_file

        copy_file(source, kept)
    on_stick = stick is not None and stick.is_file()
    if stick is not None:
        remove_quietly(partial_path(stick))
    complete(db, reserved, final_name, result)
    remove_quietly(data_dir / OUTBOX / (batch.file_name + JOURNAL_SUFFIX))
    head = f"上次导出第{batch.number}批时程序被中断；本机留存的数据包完整，已把这一批的{len(uuids)}件案件记为已上报。"
    if on_stick:
        return head + f"U盘上的数据包 {stick} 已完整写入。"
    return head + f"U盘上没有完整的数据包：请在“上报 → 上报批次”中把第{batch.number}批重新写入U盘，再交县局。"


def _clear_outbox(data_dir: Path) -> list[str]:
    """What killed exports left in the outbox (no export is running); partial files are told."""
    box = data_dir / OUTBOX
    if not box.is_dir():
        return []
    removed, _ = remove_partials(box, "batch-")
    for path in sorted(box.iterdir()):
        if path.name.startswith("batch-"):
            remove_quietly(path)
    with contextlib.suppress(OSError):
        fsync_directory(box)
    return [f"已删除上次中断的导出留下的临时文件 {p.name}（它不是有效的数据包）。" for p in removed]
