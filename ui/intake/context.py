"""What the wizard's pages share: the database, who is working, and the case being built."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from core.db import Database
from ui.dialog_service import DialogService


@dataclass
class IntakeContext:
    db: Database
    dialogs: DialogService
    actor: str
    today: dt.date
    catalog_id: str
    office_town: str = ""
    kind: str = "person"  # person | organisation
    person_id: int | None = None
    organisation_id: int | None = None
    applicant_label: str = ""
    subsidy_id: str | None = None
    application_date: dt.date | None = None
    submitted_by: str = "self"
    handler_name: str = ""
    case_id: int | None = None
    facts: dict[str, object] = field(default_factory=dict)
