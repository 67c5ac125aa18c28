"""The window's printing functions: rendered off the GUI thread, handed to the viewer or saved."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.printing.conftest import Printing, pdf_text
from ui.dialog_service import ScriptedDialogs
from ui.printing import RenderJob, preview_document, preview_roster, save_document_as, save_roster_as


def wait(qtbot: QtBot, job: RenderJob | None, done: list[object]) -> None:
    assert job is not None
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)


def test_preview_renders_and_opens_the_viewer(qtbot: QtBot, printing: Printing) -> None:
    opened: list[Path] = []
    job = preview_document(
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
        preview_document(None, "receipt", printing.cases.notice, printing.db, dialogs, opener=print) is None
    )
    assert dialogs.messages[0][0] == "error" and "尚未受理" in dialogs.messages[0][2]


def test_roster_preview_and_xlsx(qtbot: QtBot, printing: Printing, tmp_path: Path) -> None:
    opened: list[Path] = []
    ids = [printing.cases.form, printing.cases.notice]
    wait(
        qtbot,
        preview_roster(None, ids, printing.db, ScriptedDialogs(), public=True, opener=opened.append),
        opened,
    )
    assert "公示名单" in pdf_text(opened[0].read_bytes())
    target = tmp_path / "花名册.xlsx"
    dialogs = ScriptedDialogs(files=[str(target)])
    save_roster_as(None, ids, printing.db, dialogs)
    qtbot.waitUntil(lambda: bool(dialogs.messages), timeout=10_000)
    assert target.read_bytes().startswith(b"PK")
