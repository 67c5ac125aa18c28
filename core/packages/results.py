"""Result packages: the county tells a town what it decided; the town verifies and applies it.

A result package carries the latest decision on every decided case of that office, so a lost
one is made good by the next. The town refuses older or replayed packages and never moves a
case backwards.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


@dataclass
class ResultReport:
    verification: Verification
    status: ImportStatus
    applied: list[tuple[str, str, str]] = field(default_factory=list)  # (uuid, outcome, detail)


def read_decisions(path: Path, verification: Verification) -> list[dict[str, Any]]:
    from core.packages.members import read_verified

    with zipfile.ZipFile(path) as zf:
        doc = json.loads(read_verified(zf, f.RESULTS, verification.manifest))
    decisions = doc.get("decisions") if isinstance(doc, dict) else None
    if not isinstance(decisions, list):
        raise PackageError("RESULTS_INVALID", "结果包中的决定清单格式不对，请联系县局重新生成。")
    return [d for d in decisions if isinstance(d, dict)]
