"""Wrappers the intake wizard and the case detail call; one session per call."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

from core.applicant_query import PersonRow, fetch_persons
from core.attachments import AttachmentStore
from core.cases import intake, overview
from core.cases.intake import MaterialState
from core.db import Database
from core.db.models import Organisation, Person
from core.policy import model as m
from core.policy.assessment import Assessment
from core.policy.service import get_catalog
from core.settings import get_office

if TYPE_CHECKING:
    from core.cases.roster import RosterImport


def store_for(db: Database) -> AttachmentStore:
    return AttachmentStore(db.path.parent / "attachments")


def find_persons(db: Database, text: str) -> list[PersonRow]:
    with db.reader() as conn:
        return fetch_persons(conn, text, 0, 50)


def find_organisations(db: Database, text: str) -> list[tuple[int, str, str]]:
    from sqlalchemy import select

    with db.session() as s:
        stmt = select(Organisation).order_by(Organisation.name).limit(50)
        if text.strip():
            term = text.strip()
            stmt = stmt.where(
                (Organisation.name.contains(term)) | (Organisation.uscc.startswith(term.upper()))
            )
        return [(o.id, o.name, o.uscc) for o in s.scalars(stmt)]


def person_town(db: Database, person_id: int) -> str:
    with db.session() as s:
        p = s.get(Person, person_id)
        return p.registered_town if p else ""


def office_catalog(db: Database) -> tuple[str | None, str]:
    with db.session() as s:
        office = get_office(s)
        return (office.catalog_id, office.town) if office else (None, "")


def subsidy_choices(catalog_id: str, kind: str, on: dt.date) -> list[overview.SubsidyChoice]:
    return overview.subsidy_choices(catalog_id, kind, on)


def subsidy(catalog_id: str, subsidy_id: str) -> m.Subsidy:
    found = get_catalog(catalog_id).subsidy(subsidy_id)
    assert found is not None
    return found


def start(
    db: Database,
    catalog_id: str,
    subsidy_id: str,
    on: dt.date,
    actor: str,
    person_id: int | None,
    organisation_id: int | None,
    submitted_by: str,
    handler: str,
) -> int:
    with db.session() as s, s.begin():
        office = get_office(s)
        assert office is not None, "the office is set up before the first case"
        return intake.start_case(
            s,
            office,
            catalog_id,
            subsidy_id,
            on,
            actor,
            person_id=person_id,
            organisation_id=organisation_id,
            submitted_by=submitted_by,
            handler_name=handler,
        ).id


def change_subsidy(db: Database, case_id: int, subsidy_id: str, actor: str) -> None:
    from core.cases.service import update_case

    with db.session() as s, s.begin():
        update_case(s, case_id, {"subsidy_id": subsidy_id, "facts": {}, "event_date": None}, actor)


def save_facts(db: Database, case_id: int, values: dict[str, m.FactValue | None], actor: str) -> None:
    with db.session() as s, s.begin():
        intake.set_facts(s, case_id, values, actor)


def load_case(db: Database, case_id: int) -> tuple[str, str, dict[str, object], dict[str, MaterialState]]:
    """Catalog id, subsidy id, stored facts and checklist of a case (to resume a draft)."""
    with db.session() as s:
        case = intake.get_case(s, case_id)
        return case.catalog_id, case.subsidy_id, dict(case.facts), intake.checklist(s, case_id)


def save_checklist(db: Database, case_id: int, states: dict[str, MaterialState], actor: str) -> None:
    with db.session() as s, s.begin():
        for material_id, state in states.items():
            intake.set_material(s, case_id, material_id, state, actor)


def attach(db: Database, case_id: int, material_id: str | None, path: Path, actor: str) -> str:
    with db.session() as s, s.begin():
        return intake.attach_file(s, store_for(db), case_id, material_id, path, actor).filename


def preview(
    db: Database, case_id: int, facts: dict[str, m.FactValue], received: frozenset[str] | None = None
) -> Assessment:
    with db.session() as s:
        return overview.preview(s, case_id, facts, received)


def assess(db: Database, case_id: int, actor: str) -> tuple[Assessment, list[str]]:
    """The assessment (stored on the case) and other cases of the same person and subsidy this year."""
    with db.session() as s, s.begin():
        result = intake.assess_case(s, case_id, actor)
        case = intake.get_case(s, case_id)
        dupes = [
            f"{c.case_number or '草稿'}（{c.application_date.isoformat()}，{overview.status_label(c.status)}）"
            for c in intake.duplicate_cases(s, case)
        ]
        return result, dupes


def accept(db: Database, case_id: int, actor: str, today: dt.date) -> str:
    with db.session() as s, s.begin():
        return intake.accept_case(s, case_id, actor, today).case_number or ""


def mark_pending(db: Database, case_id: int, due: dt.date, actor: str) -> None:
    with db.session() as s, s.begin():
        intake.mark_pending(s, case_id, due, actor)


def review(
    db: Database, case_id: int, passed: bool, note: str, reviewer: str, today: dt.date, role: str
) -> None:
    with db.session() as s, s.begin():
        intake.review_case(s, case_id, passed, note, reviewer, today, role)


def detail(db: Database, case_id: int) -> overview.CaseDetail:
    with db.session() as s:
        return overview.case_detail(s, case_id)


def attachments_count(db: Database, case_id: int) -> dict[str | None, int]:
    from sqlalchemy import func, select

    from core.db.models import Attachment

    with db.session() as s:
        rows = s.execute(
            select(Attachment.material_id, func.count())
            .where(Attachment.case_id == case_id)
            .group_by(Attachment.material_id)
        )
        return {mid: n for mid, n in rows}


def roster_template(catalog_id: str, subsidy_id: str) -> bytes:
    from core.cases.roster import roster_template as build

    return build(subsidy(catalog_id, subsidy_id))


def read_roster_file(db: Database, case_id: int, path: Path) -> RosterImport:
    """Read and check an Excel roster against the case's subsidy and this year's claims (not saved)."""
    from core.cases.roster import claims_for, read_roster

    data = path.read_bytes()
    with db.session() as s:
        case = intake.get_case(s, case_id)
        return read_roster(data, intake.subsidy_of(case), claims_for(s, case))


def save_roster(db: Database, case_id: int, rows: list[dict[str, object]], actor: str) -> int:
    from core.cases.roster import set_roster

    with db.session() as s, s.begin():
        return set_roster(s, case_id, rows, actor)


def roster_rows(db: Database, case_id: int) -> list[tuple[str, str, str]]:
    """(name, masked ID, categories) of the stored roster, for display."""
    from core.categories import category_label
    from core.identity import mask_id_number

    with db.reader() as conn:
        rows = conn.execute(
            "SELECT name, id_number, categories FROM case_beneficiary WHERE case_id = ? ORDER BY row_no",
            [case_id],
        ).fetchall()
    return [
        (n, mask_id_number(i), "、".join(category_label(c) for c in json.loads(cats))) for n, i, cats in rows
    ]
