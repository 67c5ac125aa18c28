"""The screens: the town's banner and install dialog, the county's update dialog (offscreen)."""

from __future__ import annotations

import datetime as dt
import re

from pytestqt.qtbot import QtBot

from core.app.catalog_updates import inspect_update, install_update, notice_for
from core.app.catalogs import CatalogChoices
from tests.catalog_updates.conftest import CATALOG, HEAD, OFFICER, issue, job_seeking_draft, person
from tests.waiting import wait_finished
from ui.county.catalog_update import CatalogUpdateDialog
from ui.dialog_service import ScriptedDialogs
from ui.dialogs.catalog_update import InstallCatalogUpdateDialog
from ui.main_window import MainWindow

PROGRAM_WORDS = re.compile(r"[A-Za-z_]{2,}")


def test_the_banner_says_the_catalog_expired_and_what_to_do(qtbot: QtBot, town) -> None:
    window = MainWindow(town.db, CatalogChoices(), ScriptedDialogs())
    qtbot.addWidget(window)
    text = window.catalog_banner.text()
    assert not window.catalog_banner.isHidden()
    assert "已于2025年12月31日到期" in text and "索取政策目录更新包" in text and "所长" in text
    assert not PROGRAM_WORDS.search(text), text


def test_the_banner_warns_within_60_days_and_is_silent_otherwise(town, county, usb) -> None:
    soon = notice_for(town.data_dir, CATALOG, dt.date(2025, 11, 15))
    assert soon is not None and not soon.expired and "还有46天" in soon.text
    edge = notice_for(town.data_dir, CATALOG, dt.date(2025, 11, 1))
    assert edge is not None and "还有60天" in edge.text  # the 60th day is within 60 days
    assert notice_for(town.data_dir, CATALOG, dt.date(2025, 10, 31)) is None  # 61 days: fine
    assert notice_for(town.data_dir, "deqin-2021", dt.date(2030, 1, 1)) is None  # no end stated
    path = issue(county, usb)
    offer = inspect_update(town.db, HEAD, path=path)
    install_update(town.db, HEAD, path=path, manifest_sha256=offer.manifest_sha256)
    assert notice_for(town.data_dir, CATALOG, dt.date(2026, 6, 1)) is None  # extended to 2026-12-31
    later = notice_for(town.data_dir, CATALOG, dt.date(2026, 12, 1))
    assert later is not None and "2026年12月31日" in later.text


def test_the_banner_is_gone_once_the_update_is_installed(qtbot: QtBot, town, county, usb) -> None:
    path = issue(county, usb)
    job_seeking_draft(town, person(town), dt.date(2026, 3, 15), dt.date(2026, 4, 1))
    dialogs = ScriptedDialogs(answers=[True], files=[str(path)])
    dialog = InstallCatalogUpdateDialog(town.db, HEAD, dialogs)
    qtbot.addWidget(dialog)
    job = dialog.choose()
    assert job is not None
    wait_finished(qtbot, job)
    assert dialog.offer is not None and dialog.install_button.isEnabled()
    assert "2026-12-31" in dialog.changes.toPlainText()
    assert dialog.cases.rowCount() == 1 and dialog.cases.item(0, 4).text() == "符合条件，500.00 元"
    install = dialog.install()
    assert install is not None
    wait_finished(qtbot, install)
    assert dialog.outcome is not None and "结果有变化的 1 件" in dialog.verdict.text()
    assert dialog.cases.item(0, 3).text() == "不符合条件"
    assert [kind for kind, _, _ in dialogs.messages] == ["confirm", "info"]
    # 2026-12-31 is within 60 days of today (2026-12): the banner names the new end, not the old.
    text = notice_for(town.data_dir, CATALOG, dt.date(2026, 12, 1))
    assert text is not None and "2025" not in text.text


def test_a_tampered_update_is_refused_in_the_dialog(qtbot: QtBot, town, tmp_path) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04 cut off")
    dialogs = ScriptedDialogs(files=[str(bad)])
    dialog = InstallCatalogUpdateDialog(town.db, HEAD, dialogs)
    qtbot.addWidget(dialog)
    job = dialog.choose()
    assert job is not None
    wait_finished(qtbot, job)
    assert dialog.offer is None and not dialog.install_button.isEnabled()
    assert dialogs.messages and dialogs.messages[0][0] == "error"


def test_the_county_chooses_a_reading_previews_and_writes(qtbot: QtBot, county, usb) -> None:
    dialogs = ScriptedDialogs(answers=[True], files=[str(usb)])
    dialog = CatalogUpdateDialog(county.db, OFFICER, dialogs)
    qtbot.addWidget(dialog)
    dialog.catalog.setCurrentIndex(dialog.catalog.findData(CATALOG))
    box = dialog.reading_boxes["R-q8-startup-window"]
    assert box.currentData() is None and "按默认" in box.currentText()
    box.setCurrentIndex(box.findData("advisory"))
    preview = dialog.preview()
    assert preview is not None
    wait_finished(qtbot, preview)
    shown = dialog.preview_text.toPlainText()
    assert "1.1.0 → 1.1.0.1" in shown and "县人社局选择" in shown
    written = dialog.issue()
    assert written is not None
    wait_finished(qtbot, written)
    assert dialog.issued is not None and dialog.issued.path.parent == usb
    assert dialog.reading_boxes["R-q8-startup-window"].currentData() == "advisory"  # reloaded


def test_the_county_extends_a_policy_from_the_screen(qtbot: QtBot, county, usb) -> None:
    dialogs = ScriptedDialogs()
    dialog = CatalogUpdateDialog(county.db, OFFICER, dialogs)
    qtbot.addWidget(dialog)
    dialog.catalog.setCurrentIndex(dialog.catalog.findData(CATALOG))
    dialog.extend.setChecked(True)
    dialog.end.setText("2026-12-31")
    dialog.number.setText("千人社函〔2026〕测试1号")
    dialog.issued_on.setText("2026年1月5日")
    dialog.issuer.setText("千阳县人力资源和社会保障局（测试）")
    dialog.text.setPlainText("（测试用通知）执行期限延长至2026年12月31日。")
    preview = dialog.preview()
    assert preview is not None
    wait_finished(qtbot, preview)
    assert "2026-12-31" in dialog.preview_text.toPlainText()
    dialog.end.setText("明年")
    assert dialog.preview() is None
    assert dialogs.messages[-1][0] == "error" and "延期至" in dialogs.messages[-1][2]
