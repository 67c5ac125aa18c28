"""What a clerk types for an applicant, as plain data: importable without the database layer."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ApplicantKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


@dataclass
class PersonInput:
    name: str
    id_number: str
    registered_town: str = ""
    registered_village: str = ""
    categories: list[str] = field(default_factory=list)
    phone: str = ""
    account_kind: str = ""
    account_number: str = ""


@dataclass
class OrganisationInput:
    name: str
    uscc: str
    org_type: str = ""
    legal_representative: str = ""
    town: str = ""
    address: str = ""
    phone: str = ""
    bank_name: str = ""
    bank_account: str = ""
