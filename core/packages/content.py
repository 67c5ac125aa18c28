"""The documents a batch carries: one JSON per case, with everything the county needs to review.

A case document holds the applicant, the facts, the materials checklist, the attachments (by
sha256), the worker roster of an organisation case, the assessment with its rule trace, and
the case's audit history.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.db.models import Attachment, Case, CaseBeneficiary, CaseMaterial, Organisation, Person

_CASE_FIELDS = (
    "uuid",
    "case_number",
    "catalog_id",
    "catalog_version",
    "catalog_hash",
    "subsidy_id",
    "status",
    "application_date",
    "event_date",
    "accepted_on",
    "amount_fen",
    "submitted_by",
    "handler_name",
    "note",
    "reviewed_by",
    "reviewed_on",
    "review_note",
    "created_by",
    "created_at",
)
_PERSON_FIELDS = ("name", "id_number", "birth_date", "sex", "registered_town", "registered_village", "phone")
_PERSON_FIELDS_2 = ("account_kind", "account_number")
_ORG_FIELDS = ("name", "uscc", "org_type", "legal_representative", "town", "address", "phone")
_ORG_FIELDS_2 = ("bank_name", "bank_account")


def jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _pick(obj: object, names: tuple[str, ...]) -> dict[str, Any]:
    return {n: jsonable(getattr(obj, n)) for n in names}


def applicant_document(case: Case) -> dict[str, Any]:
    if case.person is not None:
        return _person(case.person)
    assert case.organisation is not None  # the schema's one_applicant constraint
    return _organisation(case.organisation)


def _person(p: Person) -> dict[str, Any]:
    return {"kind": "person", **_pick(p, _PERSON_FIELDS + _PERSON_FIELDS_2), "categories": p.category_codes}


def _organisation(o: Organisation) -> dict[str, Any]:
    return {"kind": "organisation", **_pick(o, _ORG_FIELDS + _ORG_FIELDS_2)}


def applicant_key(document: dict[str, Any]) -> tuple[str, str]:
    """(name, 身份证号 or 统一社会信用代码) of a case document's applicant."""
    a = document["applicant"]
    return a["name"], a["id_number"] if a["kind"] == "person" else a["uscc"]


def case_attachments(session: Session, case_id: int) -> list[Attachment]:
    return list(
        session.scalars(select(Attachment).where(Attachment.case_id == case_id).order_by(Attachment.id))
    )


def _checklist(session: Session, case_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(CaseMaterial).where(CaseMaterial.case_id == case_id).order_by(CaseMaterial.material_id)
    )
    return [_pick(m, ("material_id", "received", "original_seen", "copies_kept", "note")) for m in rows]


def _beneficiaries(session: Session, case_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(CaseBeneficiary).where(CaseBeneficiary.case_id == case_id).order_by(CaseBeneficiary.row_no)
    )
    return [_pick(b, ("row_no", "name", "id_number", "categories", "facts")) for b in rows]


def _history(session: Session, uuid: str) -> list[dict[str, Any]]:
    events = audit.history(session, "case", uuid)
    return [_pick(e, ("at", "actor", "action", "changes", "prev_hash", "hash")) for e in events]


def case_document(session: Session, case: Case, attachments: list[Attachment]) -> dict[str, Any]:
    """Everything about one case, as it leaves the office."""
    return {
        "case": _pick(case, _CASE_FIELDS),
        "applicant": applicant_document(case),
        "facts": case.facts,
        "assessment": case.assessment,
        "checklist": _checklist(session, case.id),
        "attachments": [
            _pick(a, ("sha256", "filename", "size", "media_type", "material_id", "created_at"))
            for a in attachments
        ],
        "beneficiaries": _beneficiaries(session, case.id),
        "history": _history(session, case.uuid),
    }
