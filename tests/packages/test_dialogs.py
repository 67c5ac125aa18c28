"""The two dialogs, offscreen: export on a worker thread, import with its per-case report."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from core.cases.states import CaseStatus
from core.db.models import AuditEvent, Case
from tests.packages.conftest import Site
from ui.dialog_service import ScriptedDialogs
from ui.dialogs.export_batch import ExportBatchDialog
from ui.dialogs.import_package import ImportPackageDialog


def test_export_then_import_through_the_dialogs(qtbot: QtBot, town: Site, county: Site, usb: Path) -> None:
    town.add_case("张三", "53342219900101123")
    dialogs = ScriptedDialogs(files=[str(usb)])  # answers choose_folder
    dialog = ExportBatchDialog(town.db, town.actor, dialogs)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1
    dialog.choose_folder()
    assert dialog.folder.text() == str(usb)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.result_value is not None or bool(dialogs.messages), timeout=10000)
    assert dialogs.messages[0][0] == "info", dialogs.messages
    assert "核验通过" in dialogs.messages[0][2]
    with town.db.session() as s:
        assert set(s.scalars(select(Case.status))) == {CaseStatus.EXPORTED.value}
        # The audit names the operator at the keyboard, not the PC's login.
        assert s.scalar(select(AuditEvent.actor).where(AuditEvent.entity == "batch")) == "李经办"

    county_dialogs = ScriptedDialogs(files=[str(dialog.result_value.path)])
    importer = ImportPackageDialog(county.db, county.actor, county_dialogs)
    qtbot.addWidget(importer)
    importer.choose()
    qtbot.waitUntil(lambda: importer.report is not None, timeout=10000)
    assert importer.report.status == "imported"
    assert importer.table.rowCount() == 1 and importer.table.item(0, 4).text() == "接收"
    with county.db.session() as s:
        assert s.scalar(select(AuditEvent.actor).where(AuditEvent.action == "import")) == "王审核"


def test_import_dialog_shows_a_rejected_package(qtbot: QtBot, county: Site, tmp_path: Path) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04 cut off")
    dialogs = ScriptedDialogs()
    importer = ImportPackageDialog(county.db, county.actor, dialogs)
    qtbot.addWidget(importer)
    importer.run(bad)
    qtbot.waitUntil(lambda: importer.report is not None, timeout=10000)
    assert importer.report.verification.code == "PKG_TRUNCATED"
    assert dialogs.messages and dialogs.messages[0][0] == "error"
