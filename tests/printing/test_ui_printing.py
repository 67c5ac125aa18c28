"""The window's printing functions: rendered off the GUI thread, then previewed, printed or saved."""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from tests.printing.conftest import Printing, pdf_text
from ui.dialog_service import DialogService, ScriptedDialogs
from ui.jobs import Job
from ui.print_preview import show_print_preview
from ui.printing import (
    open_in_system_viewer,
    preview_document,
    preview_roster,
    print_document,
    save_document_as,
    save_roster_as,
    show_in_system_viewer,
)


class Shown:
    """Stands in for the preview / print dialog: records what it was handed, on which thread."""

    def __init__(self) -> None:
        self.calls: list[tuple[bytes, str]] = []
        self.on_gui_thread: list[bool] = []

    def __call__(self, parent: QWidget | None, data: bytes, title: str, dialogs: DialogService) -> None:
        app = QApplication.instance()
        self.on_gui_thread.append(app is not None and QThread.currentThread() is app.thread())
        self.calls.append((data, title))


def wait(qtbot: QtBot, job: Job | None, done: Sequence[object]) -> None:
    assert job is not None
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)


def test_preview_renders_off_the_gui_thread_and_shows_in_the_program(
    qtbot: QtBot, printing: Printing
) -> None:
    shown = Shown()
    job = preview_document(
        None, "receipt", printing.cases.receipt, printing.db, ScriptedDialogs(), show=shown
    )
    wait(qtbot, job, shown.calls)
    data, title = shown.calls[0]
    assert "已受理，待县级审核" in pdf_text(data)
    assert title == "受理回执_610328-2024-0007"
    assert shown.on_gui_thread == [True]


def test_print_document_hands_the_pdf_to_the_printer(qtbot: QtBot, printing: Printing) -> None:
    shown = Shown()
    job = print_document(None, "notice", printing.cases.notice, printing.db, ScriptedDialogs(), show=shown)
    wait(qtbot, job, shown.calls)
    assert "一次性告知书" in pdf_text(shown.calls[0][0])


def test_preview_is_the_in_program_dialog_by_default() -> None:
    assert inspect.signature(preview_document).parameters["show"].default is show_print_preview
    assert inspect.signature(preview_roster).parameters["show"].default is show_print_preview


def test_open_in_system_viewer_still_there(qtbot: QtBot, printing: Printing) -> None:
    opened: list[Path] = []
    job = open_in_system_viewer(
        None, "receipt", printing.cases.receipt, printing.db, ScriptedDialogs(), opener=opened.append
    )
    wait(qtbot, job, opened)
    assert "已受理，待县级审核" in pdf_text(opened[0].read_bytes())
    assert opened[0].name == "受理回执_610328-2024-0007.pdf"


def test_save_as_pdf_asks_for_the_file(qtbot: QtBot, printing: Printing, tmp_path: Path) -> None:
    target = tmp_path / "告知书.pdf"
    dialogs = ScriptedDialogs(files=[str(target)])
    save_document_as(None, "notice", printing.cases.notice, printing.db, dialogs)
    qtbot.waitUntil(lambda: bool(dialogs.messages), timeout=10_000)
    assert dialogs.messages[0][0] == "info"
    assert "一次性告知书" in pdf_text(target.read_bytes())


def test_refusals_are_shown_not_raised(qtbot: QtBot, printing: Printing) -> None:
    dialogs = ScriptedDialogs()
    assert (
        preview_document(None, "receipt", printing.cases.notice, printing.db, dialogs, show=Shown()) is None
    )
    assert dialogs.messages[0][0] == "error" and "尚未受理" in dialogs.messages[0][2]


def test_roster_preview_and_xlsx(qtbot: QtBot, printing: Printing, tmp_path: Path) -> None:
    shown = Shown()
    ids = [printing.cases.form, printing.cases.notice]
    wait(
        qtbot, preview_roster(None, ids, printing.db, ScriptedDialogs(), public=True, show=shown), shown.calls
    )
    data, title = shown.calls[0]
    assert "公示名单" in pdf_text(data) and "公示名单" in title
    opened: list[Path] = []
    show_in_system_viewer(None, data, title, ScriptedDialogs(), opener=opened.append)
    assert opened[0].name == f"{title}.pdf" and opened[0].read_bytes() == data
    target = tmp_path / "花名册.xlsx"
    dialogs = ScriptedDialogs(files=[str(target)])
    save_roster_as(None, ids, printing.db, dialogs)
    qtbot.waitUntil(lambda: bool(dialogs.messages), timeout=10_000)
    assert target.read_bytes().startswith(b"PK")
