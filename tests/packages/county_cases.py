"""Real cases for the county's screens: entered at a town through the intake use cases (facts,
checklist, scans, roster, assessment with clauses, 受理, 初审), exported in a signed batch and
imported at the county. Nothing here writes the database behind the use cases' backs."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from core.actor import Actor, Role, Station
from core.app import applicants, intake, review
from core.app import county as county_ops
from core.app.batches import export_batch
from core.app.intake import Application
from core.applicant_types import OrganisationInput, PersonInput
from core.cases.checklist import ChecklistMark
from core.ids import CaseId, OrganisationId, PersonId
from tests.packages.conftest import Site, id_number

CATALOG = "qianyang-2021"
TODAY = dt.date(2022, 3, 1)
HEAD = Actor("赵所长", Role.HEAD, Station.TOWN)
PERSON_FACTS = {
    "employment_date": dt.date(2022, 1, 10),
    "is_transfer_employment": True,
    "contract_months": 12,
    "applicant_group": "labourer",
}
PERSON_MATERIALS = ("labour_contract", "id_card_copy", "social_security_card_copy", "written_application")
ORG_MATERIALS = (
    "subsidy_application_report", "business_license_copy", "placement_license_copy", "beneficiary_roster",
    "identity_proofs", "labour_contract_copies", "bank_basic_account",
)  # fmt: skip
ROSTER = [
    {"name": "张国强", "id_number": "610328198702143018", "categories": ["poverty_alleviated"],
     "facts": {"contract_months": 12}},
    {"name": "刘桂芳", "id_number": "610328197909303029", "categories": ["migrant_worker"],
     "facts": {"contract_months": 24}},
]  # fmt: skip


def png_file(folder: Path, name: str = "劳动合同.png", size: tuple[int, int] = (1200, 800)) -> Path:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).rectangle((100, 100, size[0] - 100, size[1] - 100), outline="black", width=8)
    path = folder / name
    image.save(path, "PNG")
    return path


def pdf_file(folder: Path, name: str = "身份证复印件.pdf") -> Path:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(100, 700, "ID card copy")
    page.showPage()
    page.save()
    path = folder / name
    path.write_bytes(out.getvalue())
    return path


def person_case(town: Site, files: Path, name: str = "王秀兰", first17: str = "61032819900101124") -> CaseId:
    """一次性求职补贴 for a person, with a scanned image and a scanned PDF, reviewed at the town."""
    data = PersonInput(name, id_number(first17), "水沟镇", "东村", ["poverty_alleviated"], "13800138000",
                       "bank_card", "6222020200112233446")  # fmt: skip
    person = PersonId(applicants.save_person(town.db, town.actor, person_id=None, data=data))
    case_id = intake.start_case(
        town.db, town.actor, catalog_id=CATALOG, person_id=person, organisation_id=None,
        application=Application("job_seeking_once", TODAY), today=TODAY,
    )  # fmt: skip
    intake.save_facts(town.db, town.actor, case_id=case_id, values=PERSON_FACTS)
    marks = {
        m: ChecklistMark(received=True, original_seen=m == "labour_contract", copies="1")
        for m in PERSON_MATERIALS
    }
    intake.save_checklist(town.db, town.actor, case_id=case_id, marks=marks)
    files.mkdir(exist_ok=True)
    intake.attach_scan(
        town.db, town.actor, case_id=case_id, material_id="labour_contract", path=png_file(files)
    )
    intake.attach_scan(town.db, town.actor, case_id=case_id, material_id="id_card_copy", path=pdf_file(files))
    return _accept_and_review(town, case_id)


def organisation_case(town: Site) -> CaseId:
    """职业介绍补贴 for an agency, with a roster of two placed workers."""
    data = OrganisationInput("千阳县顺达人力资源服务有限公司", "91610328383149506Q", "hr_agency", "李明", "水沟镇",
                             bank_name="农业银行千阳支行", bank_account="2605010104000123")  # fmt: skip
    org = OrganisationId(applicants.save_organisation(town.db, town.actor, data=data))
    case_id = intake.start_case(
        town.db, town.actor, catalog_id=CATALOG, person_id=None, organisation_id=org,
        application=Application("job_placement", TODAY), today=TODAY,
    )  # fmt: skip
    facts = {"placement_completed_date": dt.date(2022, 2, 10), "agency_licensed": True, "free_service": True}
    intake.save_facts(town.db, town.actor, case_id=case_id, values=facts)
    intake.save_roster(town.db, town.actor, case_id=case_id, rows=ROSTER)
    marks = {m: ChecklistMark(received=True, copies="1") for m in ORG_MATERIALS}
    intake.save_checklist(town.db, town.actor, case_id=case_id, marks=marks)
    return _accept_and_review(town, case_id)


def _accept_and_review(town: Site, case_id: CaseId) -> CaseId:
    intake.accept_case(town.db, town.actor, case_id=case_id, today=TODAY)
    review.review_case(town.db, HEAD, case_id=case_id, passed=True, note="材料齐全", today=TODAY)
    return case_id


def export_and_import(town: Site, county: Site, usb: Path) -> dict[str, str]:
    """The town's next batch, imported at the county: {applicant name: case uuid}."""
    path = export_batch(town.db, town.actor, folder=usb).path
    report = county_ops.import_package(county.db, county.actor, path=path)
    assert report.status == "imported", report.summary
    return {c.applicant: c.uuid for c in report.cases}
