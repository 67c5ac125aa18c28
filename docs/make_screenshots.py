"""Render the README's screenshots into docs/screenshots/, each at most 1024×768 (an office PC).

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_screenshots.py

The town's list and the intake wizard use a throw-away database with 500 synthetic cases and
the real Qianyang catalog; the reporting cycle (keys, batches, the county's screens, the
county's results at the town) uses a town and a county set up through core/app with real keys
and packages (docs/screenshot_cycle.py). PNGs are saved with 256 colours to keep them small.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget  # noqa: E402

from bench.generate import generate  # noqa: E402
from core.actor import Actor, Role  # noqa: E402
from core.app.catalogs import load_catalog_choices  # noqa: E402
from core.applicants import PersonInput, create_person  # noqa: E402
from core.db import open_database  # noqa: E402
from core.identity.id_number import check_character  # noqa: E402
from docs.screenshot_cycle import CLERK, HEAD, OFFICER, Cycle, make_cycle  # noqa: E402
from ui.app import load_fonts, load_translations  # noqa: E402
from ui.dialog_service import DialogService  # noqa: E402
from ui.intake.wizard import IntakeWizard  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
TODAY = dt.date(2025, 3, 3)
SCREEN = (1024, 768)


def shot(widget: QWidget, name: str) -> None:
    """Save `widget` as it is drawn, no larger than the screen, in 256 colours."""
    width, height = min(widget.width(), SCREEN[0]), min(widget.height(), SCREEN[1])
    if (width, height) != (widget.width(), widget.height()):
        widget.resize(width, height)
    for _ in range(3):  # layouts settle over a few passes
        QApplication.processEvents()
    image = widget.grab().toImage()
    image = image.convertToFormat(QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.ThresholdDither)
    image.save(str(OUT / name), quality=0)  # PNG: quality 0 is the strongest compression
    print("wrote", OUT / name, f"{image.width()}×{image.height()}")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = QApplication([])
    load_translations(app)
    load_fonts(app)
    root = Path(tempfile.mkdtemp())
    town_screens(root / "qianyang")
    cycle_screens(make_cycle(root / "cycle"))
    del app


def town_screens(data: Path) -> None:
    """The case list (a clerk's, then the office head's queue), the wizard's steps, the case detail."""
    generate(data, 500)
    db = open_database(data)
    first17 = "61032819900101124"
    with db.session() as s, s.begin():
        create_person(
            s,
            PersonInput(
                "王秀兰",
                first17 + check_character(first17),
                registered_town="水沟镇",
                registered_village="柿沟村",
                categories=["poverty_alleviated"],
                phone="13912345678",
            ),
            "经办人",
        )
    catalogs = load_catalog_choices()
    window = MainWindow(db, catalogs, DialogService(), actor=Actor("李会计"))
    window.resize(*SCREEN)
    window.show()
    shot(window, "main-window.png")
    window.close()
    head = MainWindow(db, catalogs, DialogService(), actor=Actor("赵所长", Role.HEAD))
    head.resize(*SCREEN)
    head.show()
    shot(head, "main-window-queue.png")
    head.close()

    wizard = IntakeWizard(db, DialogService(), Actor("李会计"), "qianyang-2021", "水沟镇", today=TODAY)
    wizard.show()
    wizard.applicant.search.setText("王秀兰")
    wizard.applicant.refresh()
    shot(wizard, "intake-1-applicant.png")
    wizard.next()
    shot(wizard, "intake-2-subsidy.png")
    wizard.next()
    form = wizard.facts.form
    assert form is not None
    values = {"employment_date": "2025-01-06", "contract_months": "12"}
    for fid, field in form.fields.items():
        if isinstance(field.widget, QLineEdit):
            field.widget.setText(values.get(fid, ""))
        else:
            field.widget.setCurrentIndex(1)
    wizard.facts.update_preview()
    shot(wizard, "intake-3-facts.png")
    wizard.next()
    for row in (0, 3, 4, 6):  # 劳动合同, 身份证, 社保卡, 书面申请
        item = wizard.materials.table.item(row, 2)
        assert item is not None
        item.setCheckState(Qt.CheckState.Checked)
    shot(wizard, "intake-4-materials.png")
    wizard.next()
    shot(wizard, "intake-5-result.png")
    wizard.result_page.validatePage()  # 受理

    from ui.cases.queue import queue_stepper
    from ui.dialogs.case_detail import CaseDetailDialog

    assert wizard.case_id is not None
    detail = CaseDetailDialog(
        db, wizard.case_id, Actor("赵所长", Role.HEAD), DialogService(), lambda _id: None,
        next_case=queue_stepper(db, head.case_model.state),
    )  # fmt: skip
    detail.show()
    detail.tabs.setCurrentIndex(1)
    shot(detail, "case-detail.png")
    db.close()


def cycle_screens(cycle: Cycle) -> None:
    """The keys, the batches, the county's screen and case view, the county's results at the town."""
    from core.app.catalogs import read_catalog_names
    from ui.batches.view import BatchesWindow
    from ui.county.case_view import CountyCaseDialog
    from ui.county.view import CountyWindow
    from ui.dialogs.case_detail import CaseDetailDialog
    from ui.dialogs.keys_county import CountyKeyDialog, RegisterOfficeKeyDialog
    from ui.dialogs.keys_town import CountyKeyImportDialog, OfficeKeyDialog
    from ui.dialogs.results_summary import ResultsSummaryDialog

    dialogs = DialogService()
    keys_office = OfficeKeyDialog(cycle.town, CLERK, dialogs)
    keys_office.show()
    shot(keys_office, "keys-office.png")
    register = RegisterOfficeKeyDialog(cycle.county, OFFICER, dialogs)
    register.show()
    assert cycle.newcomer is not None
    register.load(cycle.newcomer)
    shot(register, "keys-register.png")
    keys_county = CountyKeyDialog(cycle.county, OFFICER, dialogs)
    keys_county.show()
    shot(keys_county, "keys-county.png")
    key_import = CountyKeyImportDialog(cycle.town, CLERK, dialogs)
    key_import.show()
    key_import.load(cycle.usb / "县局公钥.pem")
    shot(key_import, "keys-import.png")

    batches = BatchesWindow(cycle.town, lambda: CLERK, dialogs)
    batches.refresh()
    batches.show()
    batches.table.selectRow(0)
    shot(batches, "batches.png")

    county = MainWindow(cycle.county, read_catalog_names(), dialogs, actor=OFFICER)
    county.resize(*SCREEN)
    county.show()
    assert isinstance(county.county_tab, CountyWindow)
    county.county_tab.table.selectRow(0)
    shot(county, "county-screen.png")
    case = CountyCaseDialog(cycle.county, dialogs, lambda: OFFICER, cycle.uuids[2])
    case.show()
    case.tabs.setCurrentIndex(3)  # 核对结果
    shot(case, "county-case.png")

    assert cycle.results is not None
    results = ResultsSummaryDialog(cycle.results, lambda _c: None)
    results.show()
    shot(results, "results.png")
    detail = CaseDetailDialog(cycle.town, cycle.cases[1], HEAD, dialogs, lambda _c: None)
    detail.show()
    shot(detail, "case-detail-county.png")


if __name__ == "__main__":
    main()
