"""审计核验: the whole chain is recomputed; a changed or removed event is found and named, from
the screen and from the command line, and the check itself is recorded."""

from __future__ import annotations

import sqlite3

import pytest

from core.actor import Actor, Role
from core.app import applicants
from core.app.audit import verify_audit_trail
from core.applicant_types import PersonInput
from core.identity.id_number import check_character
from main import main
from tests.logins import add_account, password_file
from tests.waiting import wait_finished
from ui.dialog_service import ScriptedDialogs
from ui.dialogs.audit_check import AuditCheckDialog

HEAD = Actor("赵所长", (Role.CLERK, Role.HEAD))


@pytest.fixture
def three_persons(db):
    for n in range(3):
        first17 = f"61032819900101{n:03d}"
        applicants.save_person(
            db, HEAD, person_id=None, data=PersonInput(f"申请人{n}", first17 + check_character(first17))
        )
    return db


def tamper(db, sql: str) -> None:
    """What someone with the file and an SQLite tool could do (the triggers dropped first)."""
    con = sqlite3.connect(db.path)
    con.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
    con.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
    con.execute(sql)
    con.commit()
    con.close()


def test_an_intact_trail_passes_and_the_check_is_recorded(three_persons) -> None:
    verdict = verify_audit_trail(three_persons, HEAD)
    assert verdict.ok and verdict.total == 3 and "核验通过" in verdict.summary
    again = verify_audit_trail(three_persons, HEAD)
    assert again.ok and again.total == 4  # the first check is itself in the trail now


def test_a_changed_event_is_found_and_named(three_persons) -> None:
    tamper(three_persons, "UPDATE audit_event SET actor = '别人' WHERE id = 2")
    verdict = verify_audit_trail(three_persons, HEAD)
    assert not verdict.ok and "从第 2 条起" in verdict.summary and "别人" in verdict.summary
    assert "报告县局" in verdict.summary


def test_a_removed_event_breaks_the_chain_after_it(three_persons) -> None:
    tamper(three_persons, "DELETE FROM audit_event WHERE id = 2")
    verdict = verify_audit_trail(three_persons, HEAD)
    assert not verdict.ok and "从第 2 条起" in verdict.summary


def test_the_command_line_says_it_and_exits_10(three_persons, capsys, tmp_path) -> None:
    folder = str(three_persons.path.parent)
    add_account(three_persons, "赵所长", Role.HEAD)
    login = ["--data-dir", folder, "--user", "赵所长", "--password-file", str(password_file(tmp_path / "pw"))]
    assert main([*login, "audit-verify"]) == 0
    assert "核验通过" in capsys.readouterr().out
    tamper(three_persons, "UPDATE audit_event SET action = 'x' WHERE id = 1")
    assert main([*login, "audit-verify"]) == 10
    assert "核验未通过" in capsys.readouterr().err


def test_the_screen_runs_it_on_a_worker_and_shows_the_verdict(qtbot, three_persons) -> None:
    tamper(three_persons, "UPDATE audit_event SET actor = '别人' WHERE id = 3")
    dialog = AuditCheckDialog(three_persons, HEAD, ScriptedDialogs())
    qtbot.addWidget(dialog)
    wait_finished(qtbot, dialog.start())
    qtbot.waitUntil(lambda: dialog.verdict is not None)
    assert dialog.failure.isVisibleTo(dialog) and "从第 3 条起" in dialog.failure.text()
