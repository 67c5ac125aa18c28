"""设置 → 备份与恢复 from the screen, and the window's backup on exit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from core.actor import Actor, Role
from core.app.catalogs import CatalogChoices
from core.backups.config import load_config
from core.backups.layout import list_sets, primary_target
from core.db.engine import DB_FILENAME
from tests.backups.office import add_cases, case_count, set_office
from tests.waiting import wait_finished
from ui.dialog_service import ScriptedDialogs
from ui.dialogs.backups import BackupDialog, PasswordDialog
from ui.main_window import MainWindow

HEAD = Actor("赵所长", {Role.HEAD, Role.ADMIN})
CLERK = Actor("李会计")


@pytest.fixture
def office(db):
    set_office(db)
    add_cases(db, 2)
    return db


def test_backup_now_lists_the_new_backup(qtbot, office) -> None:
    dialogs = ScriptedDialogs()
    dialog = BackupDialog(office, CLERK, dialogs)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0 and not dialog.restore_button.isEnabled()
    wait_finished(qtbot, dialog.backup_now())
    assert dialog.table.rowCount() == 1
    row = [dialog.table.item(0, c).text() for c in range(dialog.table.columnCount())]
    assert row[1:3] == ["手动备份", "2"] and row[4] == "否"
    assert dialogs.messages[-1][0] == "info" and "2件案件" in dialogs.messages[-1][2]


def test_a_clerk_may_not_restore_and_is_told_so(qtbot, office) -> None:
    dialogs = ScriptedDialogs()
    dialog = BackupDialog(office, CLERK, dialogs)
    qtbot.addWidget(dialog)
    wait_finished(qtbot, dialog.backup_now())
    dialog.restore_button.click()
    assert dialogs.messages[-1][0] == "error" and "管理员" in dialogs.messages[-1][2]


def test_restore_from_the_list_replaces_the_data_and_asks_the_window_to_close(
    qtbot, office, data_dir
) -> None:
    dialogs = ScriptedDialogs(answers=[True])
    dialog = BackupDialog(office, HEAD, dialogs)
    qtbot.addWidget(dialog)
    wait_finished(qtbot, dialog.backup_now())
    add_cases(office, 3, start=20)
    with qtbot.waitSignal(dialog.restored, timeout=30_000):
        dialog.restore_selected()
    assert case_count(data_dir / DB_FILENAME) == 2
    assert "程序现在关闭" in dialogs.messages[-1][2]


def test_declining_the_confirmation_changes_nothing(qtbot, office, data_dir) -> None:
    dialogs = ScriptedDialogs(answers=[False])
    dialog = BackupDialog(office, HEAD, dialogs)
    qtbot.addWidget(dialog)
    wait_finished(qtbot, dialog.backup_now())
    add_cases(office, 1, start=30)
    assert dialog.restore_selected() is None
    assert case_count(data_dir / DB_FILENAME) == 3


def test_a_missing_stick_is_shown_in_red(qtbot, office, data_dir, tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    dialogs = ScriptedDialogs(files=[str(stick)])
    dialog = BackupDialog(office, HEAD, dialogs)
    qtbot.addWidget(dialog)
    dialog.target_button.click()
    assert str(stick) in dialog.where.text() and dialog.missing.isHidden()
    stick.rmdir()
    dialog.refresh()
    assert not dialog.missing.isHidden() and "U盘没有插上" in dialog.missing.text()


def test_the_password_dialog_names_the_mistake(qtbot, db, data_dir) -> None:
    dialog = PasswordDialog(data_dir, HEAD)
    qtbot.addWidget(dialog)
    dialog.first.setText("1234")
    dialog.again.setText("1234")
    dialog.save()
    assert "至少要8个字符" in dialog.problem.text()
    dialog.first.setText("山里的备份2026")
    dialog.again.setText("山里的备份2026")
    dialog.save()
    assert load_config(data_dir).encrypted


def test_the_window_backs_up_on_exit_once_an_hour(qtbot, office, data_dir) -> None:
    window = MainWindow(office, CatalogChoices(), ScriptedDialogs(), auto_backup=True)
    qtbot.addWidget(window)
    window.show()
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=30_000)
    assert [i.kind for i in list_sets(primary_target(data_dir))] == ["auto"]
    last = load_config(data_dir).last_auto_at
    assert last is not None and dt.datetime.now() - last < dt.timedelta(minutes=5)
    again = MainWindow(office, CatalogChoices(), ScriptedDialogs(), auto_backup=True)
    qtbot.addWidget(again)
    again.show()
    again.close()  # within the hour: closes at once, no second backup
    assert not again.isVisible()
    assert len(list_sets(primary_target(data_dir))) == 1
