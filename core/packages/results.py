"""Result packages: the county tells a town what it decided; the town verifies and applies it.

A result package carries the latest decision on every decided case of that office, so a lost
one is made good by the next. The town refuses older or replayed packages and never moves a
case backwards.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit
from core.db import Database
from core.db.models import utcnow
from core.packages import format as f
from core.packages.decisions import PAID, RECEIVED
from core.packages.errors import PackageError
from core.packages.format import ImportStatus
from core.packages.keys import KeyStore, raw_public
from core.packages.models import ImportedCase, ResultPackage
from core.packages.verify import Verification, verify_results
from core.packages.writer import PackageWriter, remove_partials


@dataclass
class ResultExport:
    number: int
    path: Path
    case_count: int
    manifest_sha256: str


def _decision(row: ImportedCase) -> dict[str, Any]:
    return {
        "uuid": row.uuid,
        "case_number": row.case_number,
        "status": row.status,
        "reason": row.decision_reason,
        "approved_fen": row.approved_fen,
        "paid_fen": row.paid_fen,
        "paid_on": row.paid_on.isoformat() if row.paid_on else None,
        "decided_at": row.decided_at.isoformat() if row.decided_at else None,
    }


def _decided_cases(session: Session, office_code: str) -> list[ImportedCase]:
    return list(
        session.scalars(
            select(ImportedCase)
            .where(ImportedCase.office_code == office_code, ImportedCase.status != RECEIVED)
            .order_by(ImportedCase.case_number, ImportedCase.uuid)
        )
    )


def _write_results(
    target: Path, keys: KeyStore, header: dict[str, Any], decisions: list[dict[str, Any]]
) -> None:
    key = keys.county_key()
    header_bytes = f.canonical_json(header)
    with PackageWriter(target) as writer:
        writer.add_bytes(f.HEADER, header_bytes)
        writer.add_bytes(f.RESULTS, f.canonical_json({"decisions": decisions}))
        manifest = f.render_manifest(writer.hashes)
        writer.add_control(f.MANIFEST, manifest)
        sig = key.sign(f.signed_message(f.KIND_RESULTS, header_bytes, manifest))
        writer.add_control(f.SIGNATURE, raw_public(key.public_key()) + sig)
        writer.commit()


def export_results(db: Database, data_dir: Path, office_code: str, folder: Path, actor: str) -> ResultExport:
    """Write the next signed result package for one office, read it back, and record it."""
    keys = KeyStore(data_dir)
    with db.session() as session:
        carried = _decided_cases(session, office_code)
        decisions = [_decision(r) for r in carried]
        if not decisions:
            raise PackageError("RESULTS_EMPTY", f"{office_code} 还没有已作出决定的案件，无需生成结果包。")
        last = session.scalar(
            select(func.max(ResultPackage.number)).where(ResultPackage.office_code == office_code)
        )
        number = (last or 0) + 1
        header = {
            "format_version": f.FORMAT_VERSION, "kind": f.KIND_RESULTS, "office_code": office_code, "number": number,
            "created_at": utcnow().replace(microsecond=0).isoformat(), "created_by": actor,
            "case_count": len(decisions),
        }  # fmt: skip
        target = folder / f.package_file_name(f.KIND_RESULTS, office_code, number)
        remove_partials(folder, f.package_prefix(f.KIND_RESULTS, office_code))  # left by a crash
        try:
            _write_results(target, keys, header, decisions)
            check = verify_results(target, keys.county_key().public_key(), office_code, {})
            if not check.ok:
                raise PackageError(
                    "RESULTS_READBACK_FAILED", f"结果包写入后核验失败（{check.message}），请换一个文件夹。"
                )
            session.add(
                ResultPackage(
                    office_code=office_code,
                    number=number,
                    file_name=target.name,
                    manifest_sha256=check.manifest_sha256,
                    created_by=actor,
                    case_count=len(decisions),
                )
            )
            for row in carried:  # the town now knows these decisions: they can no longer be corrected
                row.result_number = row.result_number or number  # the first package that carried it
                if row.status == PAID:
                    row.paid_result_number = row.paid_result_number or number
            audit.record(session, actor, "export_results", "result_package", f"{office_code}/{number}", {})
            session.commit()
        except BaseException:
            session.rollback()
            target.unlink(missing_ok=True)
            raise
        return ResultExport(number, target, len(decisions), check.manifest_sha256)


@dataclass(frozen=True)
class Applied:
    """What one decision of a result package did to the town's case."""

    uuid: str
    outcome: str  # approved / rejected / paid, or unchanged / unknown / skipped
    detail: str  # the county's reason or note, or why nothing changed
    approved_fen: int | None = None
    paid_fen: int | None = None
    paid_on: str | None = None  # ISO date, checked by read_decisions


@dataclass
class ResultReport:
    verification: Verification
    status: ImportStatus
    applied: list[Applied] = field(default_factory=list)


def read_decisions(path: Path, verification: Verification) -> list[dict[str, Any]]:
    """The decisions of a verified result package, every one checked before any is applied.

    A signature proves who sent the package, not that its content is sane: a county PC with a
    bug (or a stolen key) must not put a negative amount or a date that is not a date into a
    town's cases. One bad decision refuses the whole package.
    """
    from core.packages.members import read_verified

    try:
        with zipfile.ZipFile(path) as zf:
            doc = json.loads(read_verified(zf, f.RESULTS, verification.manifest))
    except (zipfile.BadZipFile, OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _invalid("决定清单无法读取") from exc
    decisions = doc.get("decisions") if isinstance(doc, dict) else None
    if not isinstance(decisions, list):
        raise _invalid("决定清单格式不对")
    return [_checked(n, d) for n, d in enumerate(decisions, start=1)]


MAX_DECISION_FEN = 10**10  # 一亿元: far above any subsidy; a larger figure is not an amount
MAX_REASON = 2000
DECIDED = ("approved", "rejected", "paid")


def _invalid(what: str) -> PackageError:
    return PackageError(
        "RESULTS_INVALID", f"结果包内容有误（{what}），整个结果包没有导入。请联系县局重新生成结果包。"
    )


def _checked(n: int, d: object) -> dict[str, Any]:
    if not isinstance(d, dict):
        raise _invalid(f"第{n}条决定不是一条记录")
    try:
        uuid = str(UUID(str(d.get("uuid"))))
    except ValueError:
        raise _invalid(f"第{n}条决定的案件标识不对") from None
    status = d.get("status")
    if status not in DECIDED:
        raise _invalid(f"第{n}条决定的结果不是审核通过、不予通过或已拨付")
    reason = d.get("reason") or ""
    if not isinstance(reason, str) or len(reason) > MAX_REASON:
        raise _invalid(f"第{n}条决定的理由不对")
    if status == "rejected" and not reason.strip():
        raise _invalid(f"第{n}条不予通过的决定没有理由")
    clean: dict[str, Any] = {"uuid": uuid, "status": status, "reason": reason.strip()}
    if status in ("approved", "paid"):
        clean["approved_fen"] = _amount(n, d.get("approved_fen"), "核定金额", MAX_DECISION_FEN)
    if status == "paid":
        clean["paid_fen"] = _amount(n, d.get("paid_fen"), "拨付金额", clean["approved_fen"])
        clean["paid_on"] = _date(n, d.get("paid_on"))
    return clean


def _amount(n: int, value: object, what: str, most: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= most:
        raise _invalid(f"第{n}条决定的{what}不对")
    return value


def _date(n: int, value: object) -> str:
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise _invalid(f"第{n}条决定的拨付日期不对") from None
