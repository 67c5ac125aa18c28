"""Receiving an application: the intake wizard's steps, each one saved when the clerk leaves it.

applicant → subsidy and date → facts → (roster) → checklist and scans → assessment → 受理, or
待补材料 with a due date. A draft can be resumed at any step and corrected until the review.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.actor import Actor, Role, Station
from core.app.base import reading, unit_of_work
from core.applicant_types import ApplicantKind
from core.cases.checklist import ChecklistLine, ChecklistMark, MaterialState
from core.cases.states import CaseStatus
from core.db import Database
from core.ids import CaseId, OrganisationId, PersonId

# The documents set no time to bring missing materials; half a month is the offices' custom
# and only a suggestion on the screen.
MATERIALS_DUE_DAYS = 15

if TYPE_CHECKING:
    from core.cases.overview import SubsidyChoice
    from core.cases.roster import RosterImport
    from core.errors import ValidationError
    from core.policy import model as m
    from core.policy.assessment import Assessment


@dataclass(frozen=True)
class Application:
    """What the subsidy step asks: which subsidy, the day it was handed in, and who filed it."""

    subsidy_id: str
    application_date: dt.date
    submitted_by: str = "self"  # self, or who filed on the applicant's behalf (spouse, ...)
    handler_name: str = ""


@dataclass(frozen=True)
class Draft:
    """A case as the wizard resumes it."""

    case_id: CaseId
    status: CaseStatus
    catalog_id: str
    person_id: PersonId | None
    organisation_id: OrganisationId | None
    applicant_name: str
    application: Application
    facts: dict[str, Any]  # as stored: dates as ISO text, money as fen

    @property
    def kind(self) -> ApplicantKind:
        return ApplicantKind.PERSON if self.person_id is not None else ApplicantKind.ORGANISATION


@dataclass(frozen=True)
class Preview:
    """The live check beside the facts form: the decision line and one line per rule."""

    headline: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class AssessmentView:
    """The result step: the stored assessment, whether it allows 受理, and why not."""

    assessment: Assessment
    headline: str
    can_accept: bool
    why_not: str
    warnings: tuple[str, ...]  # other cases this year, conflicts with earlier grants
    text: str  # every rule with its clause


@dataclass(frozen=True)
class Attached:
    filename: str
    files_for_material: int


@dataclass(frozen=True)
class RosterLine:
    name: str
    id_number_masked: str
    categories: str


def _clerk(actor: Actor) -> str:
    actor.require_station(Station.TOWN, "受理申请")
    actor.require_role(Role.CLERK, "受理申请")
    return actor.audit_name


def office_catalog(db: Database) -> tuple[str | None, str]:
    """The catalog the office applies, and its town (to warn about applicants from elsewhere)."""
    from core.app.office import load_office

    office = load_office(db)
    return (office.catalog_id, office.town) if office else (None, "")


def subsidy_choices(*, catalog_id: str, kind: ApplicantKind, on: dt.date) -> list[SubsidyChoice]:
    from core.cases.overview import subsidy_choices as choices

    return choices(catalog_id, kind, on)


def start_case(
    db: Database,
    actor: Actor,
    *,
    catalog_id: str,
    person_id: PersonId | None,
    organisation_id: OrganisationId | None,
    application: Application,
    today: dt.date,
) -> CaseId:
    """A new draft for the applicant; the application date may not lie in the future."""
    from core.cases import intake
    from core.errors import SubsidyDeskError
    from core.settings import get_office

    who = _clerk(actor)
    with unit_of_work(db) as s:
        office = get_office(s)
        if office is None:
            raise SubsidyDeskError("OFFICE_MISSING", "请先在“设置 → 事务所设置”中填写本所信息。")
        case = intake.start_case(
            s, office, catalog_id, application.subsidy_id, application.application_date, who,
            person_id=person_id, organisation_id=organisation_id, submitted_by=application.submitted_by,
            handler_name=application.handler_name, today=today,
        )  # fmt: skip
        return CaseId(case.id)


def change_application(
    db: Database, actor: Actor, *, case_id: CaseId, application: Application, today: dt.date
) -> None:
    """Save the subsidy step again; a new subsidy keeps the facts that still apply."""
    from core.cases import intake

    who = _clerk(actor)
    with unit_of_work(db) as s:
        intake.change_application(
            s, case_id, who, subsidy_id=application.subsidy_id, application_date=application.application_date,
            submitted_by=application.submitted_by, handler_name=application.handler_name, today=today,
        )  # fmt: skip


def load_draft(db: Database, *, case_id: CaseId) -> Draft:
    from core.cases.service import get_case

    with reading(db) as s:
        case = get_case(s, case_id)
        who = case.person.name if case.person else (case.organisation.name if case.organisation else "")
        return Draft(
            case_id=case_id,
            status=CaseStatus(case.status),
            catalog_id=case.catalog_id,
            person_id=PersonId(case.person_id) if case.person_id is not None else None,
            organisation_id=OrganisationId(case.organisation_id)
            if case.organisation_id is not None
            else None,
            applicant_name=who,
            application=Application(
                case.subsidy_id, case.application_date, case.submitted_by, case.handler_name
            ),
            facts=dict(case.facts),
        )


def save_facts(
    db: Database,
    actor: Actor,
    *,
    case_id: CaseId,
    values: Mapping[str, m.FactValue | None],
    keep_valid: bool = False,
) -> list[ValidationError]:
    """Store the facts as typed (None clears one); InvalidInput names every fact to fix.

    `keep_valid` is for leaving the step backwards or closing the wizard: the good values are
    saved and the problems returned, so that nothing the clerk typed correctly is lost.
    """
    from core.cases import intake

    who = _clerk(actor)
    with unit_of_work(db) as s:
        return intake.set_facts(s, case_id, dict(values), who, keep_valid=keep_valid)


def preview(
    db: Database, *, case_id: CaseId, facts: Mapping[str, m.FactValue], received: frozenset[str] | None = None
) -> Preview:
    """Assess what is on the screen without saving it."""
    from core.app.catalogs import subsidy
    from core.cases import overview
    from core.policy.explain import OUTCOME_MARK, decision_line

    with reading(db) as s:
        result = overview.preview(s, case_id, dict(facts), received)
    name = subsidy(catalog_id=result.catalog_id, subsidy_id=result.subsidy_id).name
    lines = tuple(f"{OUTCOME_MARK[o.outcome]} {o.message_zh}" for o in result.trace if o.kind != "material")
    return Preview(decision_line(result, name), lines)


def checklist(db: Database, *, case_id: CaseId) -> list[ChecklistLine]:
    """Every material the subsidy asks for, with what was marked and how many scans it has."""
    from core.cases import intake
    from core.cases.checklist import checklist_lines
    from core.cases.service import get_case

    with reading(db) as s:
        subsidy = intake.subsidy_of(get_case(s, case_id))
        return checklist_lines(subsidy, intake.checklist(s, case_id), _file_counts(s, case_id))


def _file_counts(session: Any, case_id: int) -> dict[str | None, int]:
    from sqlalchemy import func, select

    from core.db.models import Attachment

    rows = session.execute(
        select(Attachment.material_id, func.count())
        .where(Attachment.case_id == case_id)
        .group_by(Attachment.material_id)
    )
    return {material_id: n for material_id, n in rows}


def save_checklist(
    db: Database,
    actor: Actor,
    *,
    case_id: CaseId,
    marks: Mapping[str, ChecklistMark],
    keep_valid: bool = False,
) -> list[ValidationError]:
    """Store the checklist as marked; InvalidInput names each line to fix, and nothing is saved
    (with `keep_valid`, the good lines are saved and the bad ones returned)."""
    from core.cases import intake

    who = _clerk(actor)
    with unit_of_work(db) as s:
        return intake.set_checklist(s, case_id, dict(marks), who, keep_valid=keep_valid)


def attach_scan(
    db: Database, actor: Actor, *, case_id: CaseId, material_id: str | None, path: Path
) -> Attached:
    """Store a scan (downscaled when it is a large photo) and mark its material received."""
    from core.attachments import AttachmentStore
    from core.cases import intake
    from core.errors import SubsidyDeskError
    from core.files import DISK_ERRNOS, disk_error

    who = _clerk(actor)
    store = AttachmentStore(db.path.parent / "attachments")
    with unit_of_work(db) as s:
        try:
            attachment = intake.attach_file(s, store, case_id, material_id, path, who)
        except OSError as exc:
            if exc.errno in DISK_ERRNOS:  # the data disk is full (or failing): nothing was recorded
                raise disk_error(exc, "数据所在的磁盘", store.root, _size(path)) from exc
            raise SubsidyDeskError(
                "ATTACH_UNREADABLE", f"无法读取文件“{path.name}”，请检查文件是否还在、能否打开后重试。"
            ) from exc
        if material_id is not None:
            states = intake.checklist(s, case_id)
            state = states.get(material_id, MaterialState())
            if not state.received:
                intake.set_material(s, case_id, material_id, MaterialState(True, state.original_seen,
                                                                          state.copies_kept, state.note), who)  # fmt: skip
        return Attached(attachment.filename, _file_counts(s, case_id).get(material_id, 0))


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def assess_case(db: Database, actor: Actor, *, case_id: CaseId) -> AssessmentView:
    """Assess with the office's history and keep the result on the case."""
    from core.cases import intake
    from core.cases.states import status_label
    from core.policy.explain import decision_line, format_assessment
    from core.policy.service import get_catalog

    who = _clerk(actor)
    with unit_of_work(db) as s:
        result = intake.assess_case(s, case_id, who)
        case = intake.get_case(s, case_id)
        others = [
            f"{c.case_number or '草稿'}（{c.application_date.isoformat()}，{status_label(c.status)}）"
            for c in intake.duplicate_cases(s, case)
        ]
        catalog = get_catalog(result.catalog_id)  # this data folder's catalogs (an update's too)
    found = catalog.subsidy(result.subsidy_id)
    allowed, why = intake.can_accept(result)
    warnings = ([f"本人今年已有同一补贴的案件：{'、'.join(others)}"] if others else []) + [
        c.message_zh for c in result.conflicts
    ]
    return AssessmentView(
        assessment=result,
        headline=decision_line(result, found.name if found else result.subsidy_id),
        can_accept=allowed,
        why_not=why,
        warnings=tuple(warnings),
        text=format_assessment(result, catalog),
    )


def accept_case(db: Database, actor: Actor, *, case_id: CaseId, today: dt.date) -> str:
    """受理: assess again, and give the case its number; refused with the reason when not allowed."""
    from core.cases import intake

    who = _clerk(actor)
    with unit_of_work(db) as s:
        return intake.accept_case(s, case_id, who, today).case_number or ""


def default_materials_due(today: dt.date) -> dt.date:
    """The due date the 一次性告知书 suggests; the clerk can change it."""
    return today + dt.timedelta(days=MATERIALS_DUE_DAYS)


def mark_pending(db: Database, actor: Actor, *, case_id: CaseId, due_on: dt.date, today: dt.date) -> None:
    """待补材料 until `due_on` (not a day already past)."""
    from core.cases import intake

    who = _clerk(actor)
    with unit_of_work(db) as s:
        intake.mark_pending(s, case_id, due_on, who, today)


def save_roster_template(*, catalog_id: str, subsidy_id: str, target: Path) -> Path:
    """The Excel roster template of the subsidy, for the organisation to fill in."""
    from core.app.catalogs import subsidy
    from core.cases.roster import roster_template
    from core.printing.output import save_bytes

    return save_bytes(target, roster_template(subsidy(catalog_id=catalog_id, subsidy_id=subsidy_id)))


def read_roster(db: Database, *, case_id: CaseId, path: Path) -> RosterImport:
    """Read and check a filled roster against the case's subsidy and this year's claims (not saved)."""
    from core.cases import intake
    from core.cases.roster import claims_for
    from core.cases.roster import read_roster as read
    from core.errors import SubsidyDeskError

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SubsidyDeskError("ROSTER_FILE_UNREADABLE", f"无法读取文件 {path}：{exc.strerror}。") from exc
    with reading(db) as s:
        case = intake.get_case(s, case_id)
        return read(data, intake.subsidy_of(case), claims_for(s, case))


def save_roster(db: Database, actor: Actor, *, case_id: CaseId, rows: list[dict[str, object]]) -> int:
    from core.cases.roster import set_roster

    who = _clerk(actor)
    with unit_of_work(db) as s:
        return set_roster(s, case_id, rows, who)


def roster_lines(db: Database, *, case_id: CaseId) -> list[RosterLine]:
    """The stored roster for display, ID numbers masked."""
    import json

    from core.categories import category_label
    from core.identity import mask_id_number

    with db.reader() as conn:
        rows = conn.execute(
            "SELECT name, id_number, categories FROM case_beneficiary WHERE case_id = ? ORDER BY row_no",
            [case_id],
        ).fetchall()
    return [
        RosterLine(name, mask_id_number(number), "、".join(category_label(c) for c in json.loads(cats)))
        for name, number, cats in rows
    ]
