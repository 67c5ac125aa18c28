"""Render a screenshot of the main window and of each intake step into docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_screenshots.py

Uses a throw-away database with a few synthetic cases, and the real Qianyang catalog.
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

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from bench.generate import generate  # noqa: E402
from core.actor import Actor, Role  # noqa: E402
from core.app.catalogs import load_catalog_choices  # noqa: E402
from core.applicants import PersonInput, create_person  # noqa: E402
from core.db import open_database  # noqa: E402
from core.identity.id_number import check_character  # noqa: E402
from ui.app import load_fonts, load_translations  # noqa: E402
from ui.dialog_service import DialogService  # noqa: E402
from ui.intake.wizard import IntakeWizard  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
TODAY = dt.date(2025, 3, 3)


def shot(widget: QWidget, name: str) -> None:
    QApplication.processEvents()
    widget.grab().save(str(OUT / name))
    print("wrote", OUT / name)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = QApplication([])
    load_translations(app)
    load_fonts(app)
    data = Path(tempfile.mkdtemp()) / "data"
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
    window = MainWindow(db, load_catalog_choices(), DialogService())
    window.show()
    shot(window, "main-window.png")

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
        if fid in values:
            field.widget.setText(values[fid])  # type: ignore[union-attr]
        elif hasattr(field.widget, "setCurrentIndex"):
            field.widget.setCurrentIndex(1)  # type: ignore[union-attr]
    wizard.facts.update_preview()
    shot(wizard, "intake-3-facts.png")
    wizard.next()
    from PySide6.QtCore import Qt

    for row in (0, 3, 4):
        wizard.materials.table.item(row, 2).setCheckState(Qt.Checked)
    shot(wizard, "intake-4-materials.png")
    wizard.next()
    shot(wizard, "intake-5-result.png")
    wizard.result_page.validatePage()  # 受理

    from ui.dialogs.case_detail import CaseDetailDialog

    assert wizard.case_id is not None
    detail = CaseDetailDialog(
        db, wizard.case_id, Actor("赵所长", Role.HEAD), DialogService(), lambda _id: None
    )
    detail.show()
    detail.tabs.setCurrentIndex(1)
    shot(detail, "case-detail.png")
    db.close()


if __name__ == "__main__":
    main()
