"""The county imports a verified batch package: a per-case report, duplicates flagged, never merged.

Import is idempotent: the same package again is recognised by its manifest hash and changes
nothing. A package that fails verification is not read any further.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.attachments import AttachmentStore
from core.packages import format as f
from core.packages.content import applicant_key
from core.packages.errors import PackageRejected
from core.packages.format import ImportStatus
from core.packages.header_check import parse_moment
from core.packages.history_check import warnings
from core.packages.keys import KeyStore
from core.packages.limits import ImportLimits, import_limits
from core.packages.members import extract_verified, read_verified
from core.packages.models import DuplicateFlag, ImportedCase, ImportedPackage
from core.packages.registry import load_allow_list, seen_sequences
from core.packages.sealed import SUFFIX, is_sealed, open_sealed
from core.packages.verify import Problem, Rejected, Verification, check_file_size, verify_package

ACCEPTED, REJECTED, DUPLICATE = "accepted", "rejected", "duplicate"
OUTCOME_LABELS = {ACCEPTED: "接收", REJECTED: "退回", DUPLICATE: "疑似重复（待人工核定）"}


@dataclass
class CaseReport:
    uuid: str
    case_number: str
    applicant: str
    subsidy_id: str
    amount_fen: int
    outcome: str
    reason: str = ""
    # Set when the case was assessed under a catalog version the county has since replaced.
    catalog_note: str = ""
    subsidy: str = ""  # the subsidy's name in its catalog (older reports kept only the id)

    @property
    def subsidy_label(self) -> str:
        """What the officer reads for the subsidy: its name, never its code name."""
        return self.subsidy or _subsidy_name("", self.subsidy_id)

    # A break in the case's carried history, or a self-review (core/packages/history_check.py).
    history_note: str = ""


@dataclass
class ImportReport:
    verification: Verification
    status: ImportStatus
    cases: list[CaseReport] = field(default_factory=list)
    package_id: int | None = None

    def count(self, outcome: str) -> int:
        return sum(1 for c in self.cases if c.outcome == outcome)

    @property
    def summary(self) -> str:
        if self.status == ImportStatus.REJECTED:
            return f"数据包未通过核验，未导入任何数据：{self.verification.message}"
        if self.status == ImportStatus.ALREADY_IMPORTED:
            return "这个数据包已经导入过，本次没有改变任何数据。"
        return (
            f"已导入 {len(self.cases)} 件：接收 {self.count(ACCEPTED)} 件，疑似重复 {self.count(DUPLICATE)} 件，"
            f"退回 {self.count(REJECTED)} 件。"
        ) + "".join(f"\n{note}" for note in (*self.catalog_notes, *self.history_notes))

    @property
    def history_notes(self) -> list[str]:
        return [
            f"注意：案件 {c.case_number or c.uuid}：{c.history_note}" for c in self.cases if c.history_note
        ]

    @property
    def catalog_notes(self) -> list[str]:
        """One line per replaced catalog version the batch's cases were assessed under."""
        counts: dict[str, int] = {}
        for c in self.cases:
            if c.catalog_note:
                counts[c.catalog_note] = counts.get(c.catalog_note, 0) + 1
        return [f"注意：{n} 件案件{note}" for note, n in counts.items()]


def import_package(
    session: Session, data_dir: Path, path: Path, actor: str, allow_gap: bool = False
) -> ImportReport:
    """Verify and import one batch package (plain or sealed to the county); the caller commits."""
    missing = _missing(path)
    if missing is not None:
        return ImportReport(Verification(path, [missing]), ImportStatus.REJECTED)
    limits = import_limits(session)
    try:
        check_file_size(path, limits)  # before a sealed package is decrypted onto the disk
    except Rejected as exc:
        return ImportReport(Verification(path, [exc.problem]), ImportStatus.REJECTED)
    if not is_sealed(path):
        return _import_plain(session, data_dir, path, actor, allow_gap, limits)
    inbox = data_dir / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    # One temporary file per import: two imports at once never remove each other's file.
    folder = Path(tempfile.mkdtemp(dir=inbox, prefix=".open-"))
    plain = folder / path.name.removesuffix(SUFFIX)
    try:
        open_sealed(path, plain, KeyStore(data_dir).county_encryption_key())
        return _import_plain(session, data_dir, plain, actor, allow_gap, limits)
    except PackageRejected as exc:
        return ImportReport(Verification(path, [Problem(exc.code, exc.message_zh)]), ImportStatus.REJECTED)
    finally:
        plain.unlink(missing_ok=True)
        folder.rmdir()


def _missing(path: Path) -> Problem | None:
    """A path that is not a readable file: told as such, never a traceback (#13)."""
    try:
        if path.is_file():
            with path.open("rb"):
                return None
    except OSError as exc:
        return Problem("PKG_UNREADABLE", f"无法读取数据包 {path.name}：{exc.strerror or exc}。请检查U盘。")
    if path.is_dir():
        return Problem(
            "PKG_FILE_MISSING", f"{path} 是一个文件夹，不是数据包文件。请选择文件夹中的数据包文件（.zip）。"
        )
    return Problem("PKG_FILE_MISSING", f"找不到数据包文件 {path}，请检查U盘或所选路径。")


def _import_plain(
    session: Session, data_dir: Path, path: Path, actor: str, allow_gap: bool, limits: ImportLimits
) -> ImportReport:
    allow, seen = load_allow_list(session), seen_sequences(session)
    verification = verify_package(path, allow, seen, allow_gap, limits)
    if verification.code == "PKG_REPLAY":
        return _already_imported(session, verification)
    if not verification.ok:
        return ImportReport(verification, ImportStatus.REJECTED)
    header = verification.header
    package = ImportedPackage(
        office_code=header["office_code"], batch_number=header["number"], manifest_sha256=verification.manifest_sha256,
        file_name=path.name, key_fingerprint=verification.key.fingerprint if verification.key else "",
        created_at=parse_moment(header["created_at"]), imported_by=actor, case_count=header["case_count"],
    )  # fmt: skip
    session.add(package)
    session.flush()
    with zipfile.ZipFile(path) as zf:
        _extract_attachments(zf, verification.manifest, AttachmentStore(data_dir / "attachments"))
        reports = [_import_case(session, zf, verification, package, uuid) for uuid in _case_ids(header)]
    _flag_replaced_versions(reports, session, data_dir)
    package.report = [asdict(r) for r in reports]
    audit.record(
        session, actor, "import", "imported_package", str(package.id),
        {"office_code": [None, package.office_code], "batch": [None, package.batch_number]},
    )  # fmt: skip
    return ImportReport(verification, ImportStatus.IMPORTED, reports, package.id)


def _already_imported(session: Session, verification: Verification) -> ImportReport:
    package = session.scalar(
        select(ImportedPackage).where(ImportedPackage.manifest_sha256 == verification.manifest_sha256)
    )
    assert package is not None  # PKG_REPLAY means the county holds this manifest hash
    return ImportReport(
        verification, ImportStatus.ALREADY_IMPORTED, [CaseReport(**r) for r in package.report], package.id
    )


def _case_ids(header: dict[str, Any]) -> list[str]:
    cases = header.get("cases")
    return [c for c in cases if isinstance(c, str)] if isinstance(cases, list) else []


def _extract_attachments(zf: zipfile.ZipFile, manifest: dict[str, str], store: AttachmentStore) -> None:
    for name, digest in sorted(manifest.items()):
        if name.startswith(f.ATTACHMENTS_DIR):
            extract_verified(zf, name, digest, store.path_for(digest))


def _rejected(uuid: str, reason: str) -> CaseReport:
    return CaseReport(uuid, "", "", "", 0, REJECTED, reason)


def _load_document(zf: zipfile.ZipFile, verification: Verification, uuid: str) -> dict[str, Any] | None:
    name = f.case_member(uuid)
    if name not in verification.manifest:
        return None
    try:
        doc = json.loads(read_verified(zf, name, verification.manifest))
        applicant_key(doc)
        dt.date.fromisoformat(doc["case"]["application_date"])
    except (ValueError, KeyError, TypeError):
        return None
    return doc if isinstance(doc, dict) and doc["case"].get("uuid") == uuid else None


def _import_case(
    session: Session, zf: zipfile.ZipFile, verification: Verification, package: ImportedPackage, uuid: str
) -> CaseReport:
    doc = _load_document(zf, verification, uuid)
    if doc is None:
        return _rejected(uuid, "案件资料缺失或格式不对，请站所核对后重新上报。")
    existing = session.scalar(select(ImportedCase).where(ImportedCase.uuid == uuid))
    if existing is not None and existing.office_code != package.office_code:
        return _rejected(uuid, f"该案件编号已由 {existing.office_code} 上报过，不能由另一个站所再报。")
    if existing is not None and existing.status != "received":
        return _report(existing, REJECTED, "县局已对该案件作出决定，新版本未导入。")
    row = existing or ImportedCase(uuid=uuid)
    _fill(row, doc, package)
    session.add(row)
    session.flush()
    replaced = "（替换先前批次中的版本）" if existing is not None else ""
    others = _flag_duplicates(session, row)
    if others:
        offices = "、".join(sorted({o.office_code for o in others}))
        report = _report(
            row,
            DUPLICATE,
            f"同一证件号、同一补贴、同一年度已有 {len(others)} 件（{offices}），请人工核定。{replaced}",
        )
    else:
        report = _report(row, ACCEPTED, replaced)
    report.history_note = "".join(warnings(doc, uuid))
    return report


def _fill(row: ImportedCase, doc: dict[str, Any], package: ImportedPackage) -> None:
    case = doc["case"]
    name, number = applicant_key(doc)
    row.office_code = package.office_code
    row.package_id = package.id
    row.case_number = case.get("case_number") or ""
    row.subsidy_id = case["subsidy_id"]
    row.applicant_name = name
    row.id_number = number
    row.year = dt.date.fromisoformat(case["application_date"]).year
    row.amount_fen = case.get("amount_fen") or 0
    row.applicant_kind = str(doc["applicant"].get("kind") or "")
    row.catalog_id = str(case.get("catalog_id") or "")
    assessed = (doc.get("assessment") or {}).get("amount_fen")
    row.assessed_fen = assessed if type(assessed) is int else row.amount_fen
    row.status = "received"
    row.document = doc
    row.application_date = dt.date.fromisoformat(case["application_date"])
    applicant = doc.get("applicant") or {}
    row.categories = (
        None if applicant.get("kind") == "organisation" else list(applicant.get("categories") or [])
    )


def _flag_duplicates(session: Session, row: ImportedCase) -> list[ImportedCase]:
    others = list(
        session.scalars(
            select(ImportedCase).where(
                ImportedCase.id_number == row.id_number,
                ImportedCase.subsidy_id == row.subsidy_id,
                ImportedCase.year == row.year,
                ImportedCase.uuid != row.uuid,
            )
        )
    )
    for other in others:
        pair = sorted((row.uuid, other.uuid))
        known = session.scalar(
            select(DuplicateFlag).where(
                DuplicateFlag.case_uuid == pair[0], DuplicateFlag.other_uuid == pair[1]
            )
        )
        if known is None:
            session.add(
                DuplicateFlag(
                    case_uuid=pair[0],
                    other_uuid=pair[1],
                    id_number=row.id_number,
                    subsidy_id=row.subsidy_id,
                    year=row.year,
                )
            )
    session.flush()
    return others


def _flag_replaced_versions(reports: list[CaseReport], session: Session, data_dir: Path) -> None:
    """A case assessed under a catalog version older than the one the county has issued since."""
    from core.policy.installed import installed_dir, newer
    from core.policy.service import catalogs_by_id

    issued = {
        str(c.id): c for c in catalogs_by_id().values() if Path(c.path).parent == installed_dir(data_dir)
    }
    rows = {
        r.uuid: r
        for r in session.scalars(select(ImportedCase).where(ImportedCase.uuid.in_([x.uuid for x in reports])))
    }
    for report in reports:
        row = rows.get(report.uuid)
        case = (row.document or {}).get("case", {}) if row is not None and report.outcome != REJECTED else {}
        current = issued.get(str(case.get("catalog_id", "")))
        version = str(case.get("catalog_version", ""))
        if current is not None and newer(current.version, version):
            name = current.short_name or current.title
            report.catalog_note = (
                f"按“{name}”已被替换的版本 {version} 评估（县局现行版本 {current.version}），"
                "请按现行版本核对后再作决定。"
            )


def _report(row: ImportedCase, outcome: str, reason: str) -> CaseReport:
    catalog_id = str(_case_part(row.document).get("catalog_id", ""))
    return CaseReport(
        row.uuid, row.case_number, row.applicant_name, row.subsidy_id, row.amount_fen, outcome, reason,
        subsidy=_subsidy_name(catalog_id, row.subsidy_id),
    )  # fmt: skip


def _case_part(document: object) -> dict[str, Any]:
    case = document.get("case") if isinstance(document, dict) else None
    return case if isinstance(case, dict) else {}


def _subsidy_name(catalog_id: str, subsidy_id: str) -> str:
    from core.packages.roster import subsidy_names

    names = subsidy_names()
    if (catalog_id, subsidy_id) in names:
        return names[(catalog_id, subsidy_id)]
    same = {name for (_cid, sid), name in names.items() if sid == subsidy_id}
    return same.pop() if len(same) == 1 else "（县局未安装的政策目录中的补贴）"
