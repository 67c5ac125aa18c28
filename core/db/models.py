"""The stored entities, as SQLAlchemy 2.0 typed models.

Money is integer fen; dates are `date`; a case keeps a UUID from creation for life.
Changing a model means adding an Alembic migration (tests/test_migrations.py checks for drift).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def new_uuid() -> str:
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Office(Base):
    """The town office that runs this installation (one row)."""

    __tablename__ = "office"

    id: Mapped[int] = mapped_column(primary_key=True)
    county_code: Mapped[str] = mapped_column(String(6))
    town: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(80))
    phone: Mapped[str] = mapped_column(String(20), default="")
    catalog_id: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Person(Base):
    """An applicant person, identified by their 身份证号."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), index=True)
    name_pinyin: Mapped[str] = mapped_column(String(200), default="", index=True)  # core/pinyin.py
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    # The last four characters, so that a clerk can search by what the applicant reads out.
    id_last4: Mapped[str] = mapped_column(String(4), index=True)
    birth_date: Mapped[dt.date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1))
    registered_town: Mapped[str] = mapped_column(String(40), default="")
    registered_village: Mapped[str] = mapped_column(String(40), default="", index=True)
    phone: Mapped[str] = mapped_column(String(20), default="")
    account_kind: Mapped[str] = mapped_column(String(20), default="")
    account_number: Mapped[str] = mapped_column(String(30), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    categories: Mapped[list[PersonCategory]] = relationship(
        back_populates="person", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def category_codes(self) -> list[str]:
        return sorted(c.category for c in self.categories)


class PersonCategory(Base):
    """A population category (脱贫人口, 监测对象 ...) a person belongs to."""

    __tablename__ = "person_category"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    category: Mapped[str] = mapped_column(String(40), primary_key=True)

    person: Mapped[Person] = relationship(back_populates="categories")


class Organisation(Base):
    """An applicant organisation (enterprise, agency, workshop, school ...)."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    name_pinyin: Mapped[str] = mapped_column(String(200), default="", index=True)  # core/pinyin.py
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    org_type: Mapped[str] = mapped_column(String(40), default="")
    legal_representative: Mapped[str] = mapped_column(String(40), default="")
    town: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    bank_name: Mapped[str] = mapped_column(String(80), default="")
    bank_account: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Case(Base):
    """One application for one subsidy by one applicant."""

    __tablename__ = "subsidy_case"
    __table_args__ = (
        UniqueConstraint("office_id", "case_number"),
        CheckConstraint("(person_id IS NULL) != (organisation_id IS NULL)", name="one_applicant"),
        CheckConstraint("amount_fen IS NULL OR amount_fen >= 0", name="amount_not_negative"),
        Index("ix_case_status_application_date", "status", "application_date"),
        # 申请人 order (a name, then the date) and a name search's matches by date (0005_perf).
        Index("ix_subsidy_case_applicant", "applicant_name", "application_date"),
        Index("ix_subsidy_case_applicant_pinyin", "applicant_pinyin", "application_date"),
        # 统计 (core/cases/statistics.py): every column its queries read, so that they scan this
        # small index instead of the wide rows, and join it from the person by person_id.
        Index("ix_case_statistics", "person_id", "application_date", "subsidy_id", "status", "amount_fen"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    # Assigned when the office accepts (受理) the case; drafts have none.
    case_number: Mapped[str | None] = mapped_column(String(30), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    # The applicant's name, kept equal to it by triggers (migration 0005_perf): the case list
    # sorts, pages and searches by it through one index. Never set by hand.
    applicant_name: Mapped[str] = mapped_column(String(100), server_default="")
    # The applicant's pinyin sort key (person.name_pinyin / organisation.name_pinyin), kept equal
    # to it by triggers (migration 0006_case_pinyin): the 申请人 order, served by one index.
    applicant_pinyin: Mapped[str] = mapped_column(String(200), server_default="")
    catalog_id: Mapped[str] = mapped_column(String(60))
    catalog_version: Mapped[str] = mapped_column(String(20))
    catalog_hash: Mapped[str] = mapped_column(String(64), default="")
    subsidy_id: Mapped[str] = mapped_column(String(60), index=True)
    status: Mapped[str] = mapped_column(String(30), index=True)
    # Indexed: the case list's default order is newest application first.
    application_date: Mapped[dt.date] = mapped_column(Date, index=True)
    event_date: Mapped[dt.date | None] = mapped_column(Date)
    accepted_on: Mapped[dt.date | None] = mapped_column(Date)
    amount_fen: Mapped[int | None] = mapped_column(Integer, index=True)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    # Who handed the application in (经办人) and in what capacity (self, spouse ...).
    submitted_by: Mapped[str] = mapped_column(String(30), default="self")
    handler_name: Mapped[str] = mapped_column(String(40), default="")
    # The last assessment, as shown to the clerk (decision, amount, rule trace).
    assessment: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The date by which missing materials must arrive (一次性告知书).
    materials_due_on: Mapped[dt.date | None] = mapped_column(Date)
    reviewed_by: Mapped[str] = mapped_column(String(40), default="")
    reviewed_on: Mapped[dt.date | None] = mapped_column(Date)
    review_note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    # Raised by every update, which must find the version it read (several PCs on one database).
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    person: Mapped[Person | None] = relationship(lazy="joined")
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class AuditEvent(Base):
    """Append-only record of every change; each row carries the hash of the one before.

    Triggers created by the baseline migration refuse UPDATE and DELETE on this table.
    """

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_entity", "entity", "entity_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(30))
    entity_key: Mapped[str] = mapped_column(String(40))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class CaseMaterial(Base):
    """The checklist state of one required material of a case (申请材料清单)."""

    __tablename__ = "case_material"

    case_id: Mapped[int] = mapped_column(ForeignKey("subsidy_case.id", ondelete="CASCADE"), primary_key=True)
    material_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    received: Mapped[bool] = mapped_column(default=False)
    # 审核原件后退回: the clerk saw the original and handed it back.
    original_seen: Mapped[bool] = mapped_column(default=False)
    copies_kept: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(String(200), default="")


class Attachment(Base):
    """A scan or photo kept for a case; the file lives in the content-addressed store by sha256."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("subsidy_case.id", ondelete="CASCADE"), index=True)
    material_id: Mapped[str | None] = mapped_column(String(60))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class CaseBeneficiary(Base):
    """One row of an organisation case's worker roster (花名册), as imported and checked."""

    __tablename__ = "case_beneficiary"
    __table_args__ = (UniqueConstraint("case_id", "id_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("subsidy_case.id", ondelete="CASCADE"), index=True)
    row_no: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(40))
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class OfficeDay(Base):
    """A statutory holiday, or a make-up working day (调休), entered by the office.

    Deadlines that end on a holiday move to the next working day (Civil Code art. 203).
    """

    __tablename__ = "office_day"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # "holiday" | "workday"
    label: Mapped[str] = mapped_column(String(40), default="")


class CatalogParameter(Base):
    """An amount the policy document refers to but does not state, entered by the office.

    `choice` is empty for a single value, or the choice-fact value it applies to.
    """

    __tablename__ = "catalog_parameter"

    catalog_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    parameter_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    choice: Mapped[str] = mapped_column(String(60), primary_key=True, default="")
    value: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Account(Base):
    """A person who logs in (core/accounts.py). Only Argon2id hashes are kept: of the password
    and of the first 管理员's recovery code (恢复码); never either in clear."""

    __tablename__ = "account"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    # The roles' values (core.actor.Role), comma-separated, in core.actor.ROLE_LABELS order.
    roles: Mapped[str] = mapped_column(String(100), default="")
    disabled: Mapped[bool] = mapped_column(default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    recovery_hash: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
