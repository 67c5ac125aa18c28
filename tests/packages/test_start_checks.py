"""After the window is up: what a kill left is settled and told in one box; a scan's temporary
file is removed; the full integrity check reports damage found later."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from core.db.models import Case
from core.packages import export_journal
from core.packages.models import Batch
from tests.packages.conftest import Site
from tests.waiting import wait_finished
from ui.dialog_service import ScriptedDialogs
from ui.start_checks import INTERRUPTED_TITLE, run_start_checks


def _killed_export(town: Site) -> None:
    """An export killed before its package was written: only the reservation is there."""
    with town.db.session() as s, s.begin():
        cases = list(s.scalars(select(Case)))
        export_journal.reserve(s, cases, town.office_id, town.code, 1, cases[0].created_at, "李经办")


def test_the_next_start_undoes_a_killed_export_and_says_so(qtbot: QtBot, town: Site) -> None:
    case_id = town.add_case("张三", "53342219900101123")
    _killed_export(town)
    temp = town.data_dir / "attachments" / "ab" / ".abcdef.x1y2.part"
    temp.parent.mkdir(parents=True, exist_ok=True)
    temp.write_bytes(b"half a scan")
    window = QWidget()
    qtbot.addWidget(window)
    dialogs = ScriptedDialogs()
    wait_finished(qtbot, run_start_checks(window, town.db, dialogs))
    qtbot.waitUntil(lambda: bool(dialogs.messages))
    kind, title, text = dialogs.messages[0]
    assert (kind, title) == ("info", INTERRUPTED_TITLE)
    assert "第1批" in text and "已撤销" in text and "1件" in text
    assert not temp.exists()
    with town.db.session() as s:
        assert s.query(Batch).count() == 0
        assert s.get(Case, case_id).status == "review_passed"


def test_nothing_to_settle_says_nothing(qtbot: QtBot, town: Site) -> None:
    town.add_case("张三", "53342219900101123")
    window = QWidget()
    qtbot.addWidget(window)
    dialogs = ScriptedDialogs()
    job = run_start_checks(window, town.db, dialogs)
    wait_finished(qtbot, job)
    qtbot.wait(200)  # the integrity check that follows
    assert dialogs.messages == []


def test_a_leftover_in_the_outbox_alone_is_removed(town: Site) -> None:
    from core.app.storage import settle_interrupted

    leftover = town.data_dir / "outbox" / f"batch-{town.code}-00003.zip"
    leftover.parent.mkdir()
    leftover.write_bytes(b"PK")
    assert settle_interrupted(town.db) == []
    assert not leftover.exists()
    assert Path(town.data_dir / "outbox").is_dir()
