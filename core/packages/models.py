"""Tables for batches (town side) and imported packages, decisions and results (county side).

The county keeps its data in the same schema; an installation in county mode simply uses the
county tables. Registered on core.db.models.Base so that migrations and `alembic check` see them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db.models import Base, utcnow


class PackageSetting(Base):
    """Small settings of the package exchange, such as this office's code (本所上报代码)."""

    __tablename__ = "package_setting"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class Batch(Base):
    """One exported package (批次); numbered in sequence per office, never reused."""

    __tablename__ = "batch"
    __table_args__ = (UniqueConstraint("office_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    office_code: Mapped[str] = mapped_column(String(20))
    number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(20), default="exported")
    file_name: Mapped[str] = mapped_column(String(200))
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    key_fingerprint: Mapped[str] = mapped_column(String(64))
    case_count: Mapped[int] = mapped_column(Integer)
    total_fen: Mapped[int] = mapped_column(Integer)
    # {subsidy_id: {"count": n, "amount_fen": fen}}, as in the package header.
    totals: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    attachment_count: Mapped[int] = mapped_column(Integer, default=0)
    attachment_bytes: Mapped[int] = mapped_column(Integer, default=0)


class BatchCase(Base):
    """A case in a batch. A recalled case keeps its row (history) and goes into a new batch."""

    __tablename__ = "batch_case"

    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id", ondelete="CASCADE"), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("subsidy_case.id"), primary_key=True, index=True)
    recalled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    recall_reason: Mapped[str] = mapped_column(Text, default="")


class ImportedResult(Base):
    """A result package from the county, imported at the town (one row per package)."""

    __tablename__ = "imported_result"
    __table_args__ = (UniqueConstraint("office_code", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_code: Mapped[str] = mapped_column(String(20))
    number: Mapped[int] = mapped_column(Integer)
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(40), default="")
    case_count: Mapped[int] = mapped_column(Integer)


class CountyOfficeKey(Base):
    """An office public key on the county's allow-list, valid from/until (rotation keeps old ones)."""

    __tablename__ = "county_office_key"
    __table_args__ = (UniqueConstraint("office_code", "fingerprint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_code: Mapped[str] = mapped_column(String(20), index=True)
    office_name: Mapped[str] = mapped_column(String(80), default="")
    public_key: Mapped[str] = mapped_column(String(64))  # raw Ed25519 key, hex
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    valid_from: Mapped[dt.datetime] = mapped_column(DateTime)
    valid_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # The last batch number it may sign, set when it is replaced or revoked (#13); see
    # core/packages/registry.py. None while it is the office's key in use.
    last_batch: Mapped[int | None] = mapped_column(Integer)
    registered_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    registered_by: Mapped[str] = mapped_column(String(40), default="")


class ImportedPackage(Base):
    """A batch package accepted by the county."""

    __tablename__ = "imported_package"
    __table_args__ = (UniqueConstraint("office_code", "batch_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_code: Mapped[str] = mapped_column(String(20))
    batch_number: Mapped[int] = mapped_column(Integer)
    manifest_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    file_name: Mapped[str] = mapped_column(String(200))
    key_fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(40), default="")
    case_count: Mapped[int] = mapped_column(Integer)
    # The per-case report, kept so that the screen can show it again.
    report: Mapped[list[Any]] = mapped_column(JSON, default=list)


class ImportedCase(Base):
    """The county's copy of one case, and the county's decision on it."""

    __tablename__ = "imported_case"
    __table_args__ = (
        UniqueConstraint("uuid"),
        # The county list's order, with and without its status filter (keyset pages).
        Index("ix_imported_case_list", "office_code", "case_number", "uuid"),
        Index("ix_imported_case_status_list", "status", "office_code", "case_number", "uuid"),
        # 统计 at the county (core/packages/county_statistics.py): every column its queries read.
        Index(
            "ix_imported_case_statistics",
            "application_date",
            "office_code",
            "subsidy_id",
            "status",
            "amount_fen",
            "approved_fen",
            "paid_fen",
            "categories",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36))
    office_code: Mapped[str] = mapped_column(String(20), index=True)
    package_id: Mapped[int] = mapped_column(ForeignKey("imported_package.id"), index=True)
    case_number: Mapped[str] = mapped_column(String(30), default="")
    subsidy_id: Mapped[str] = mapped_column(String(60))
    applicant_name: Mapped[str] = mapped_column(String(100), default="")
    # From the case document, stored at import so the list reads no JSON per row.
    applicant_kind: Mapped[str] = mapped_column(String(20), server_default="")  # person | organisation
    catalog_id: Mapped[str] = mapped_column(String(60), server_default="")
    assessed_fen: Mapped[int] = mapped_column(Integer, server_default="0")  # the town's assessment
    # 身份证号 of a person, or the 统一社会信用代码 of an organisation.
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    year: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="received")
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    approved_fen: Mapped[int | None] = mapped_column(Integer)
    paid_fen: Mapped[int | None] = mapped_column(Integer)
    paid_on: Mapped[dt.date | None] = mapped_column(Date)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    decided_by: Mapped[str] = mapped_column(String(40), default="")
    document: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The result packages that told the town of the decision (approved or rejected) and of the
    # payment; None while it can still be corrected (a new or corrected one clears it).
    result_number: Mapped[int | None] = mapped_column(Integer)
    paid_result_number: Mapped[int | None] = mapped_column(Integer)
    # Copied out of the document at import, for 统计: the application date the town recorded, and
    # the applicant's population groups (a JSON list; NULL for an organisation).
    application_date: Mapped[dt.date | None] = mapped_column(Date)
    categories: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))  # an organisation: SQL NULL
    # Raised by every update, which must find the version it read (several officers at once).
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    @property
    def told_in(self) -> int | None:
        """The result package that carried the case's current decision to the town, if any."""
        return self.paid_result_number if self.status == "paid" else self.result_number


class DuplicateFlag(Base):
    """Two cases with the same 身份证号, subsidy and year: a person decides, nothing is merged."""

    __tablename__ = "duplicate_flag"
    __table_args__ = (UniqueConstraint("case_uuid", "other_uuid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_uuid: Mapped[str] = mapped_column(String(36), index=True)
    other_uuid: Mapped[str] = mapped_column(String(36), index=True)
    id_number: Mapped[str] = mapped_column(String(18))
    subsidy_id: Mapped[str] = mapped_column(String(60))
    year: Mapped[int] = mapped_column(Integer)
    flagged_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | resolved
    resolution: Mapped[str] = mapped_column(Text, default="")
    resolved_by: Mapped[str] = mapped_column(String(40), default="")


class ResultPackage(Base):
    """A signed result package issued by the county to one office."""

    __tablename__ = "result_package"
    __table_args__ = (UniqueConstraint("office_code", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_code: Mapped[str] = mapped_column(String(20))
    number: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(String(200))
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(40), default="")
    case_count: Mapped[int] = mapped_column(Integer)
