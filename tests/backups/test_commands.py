"""`backup` and `restore` from the command line: the same use cases, Chinese lines, documented exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.backups import EXIT_BACKUP_INCOMPLETE
from core.actor import Role
from core.db.engine import DB_FILENAME
from main import main
from tests.backups.office import add_cases, case_count, set_office
from tests.logins import add_account, password_file


@pytest.fixture
def office(db):
    set_office(db)
    add_cases(db, 2)
    add_account(db, "赵所长", Role.HEAD, Role.ADMIN)
    db.close()
    return db


def run(data_dir: Path, *args: str, operator: str = "赵所长") -> int:
    secret = password_file(data_dir.parent / "secret")
    return main(["--data-dir", str(data_dir), "--user", operator, "--password-file", str(secret), *args])


def test_backup_list_and_restore(office, data_dir: Path, capsys) -> None:
    assert run(data_dir, "backup") == 0
    out = capsys.readouterr().out
    assert "已备份：2件案件，0个扫描件" in out
    assert run(data_dir, "backup", "--list") == 0
    listed = capsys.readouterr().out
    assert "手动备份  2件" in listed
    folder = listed.split()[-1]
    assert run(data_dir, "restore", folder) == 0
    out = capsys.readouterr().out
    assert "已从备份恢复" in out and "恢复前的数据已先备份到" in out
    assert case_count(data_dir / DB_FILENAME) == 2


def test_a_missing_stick_gives_its_own_exit_code(office, data_dir: Path, tmp_path: Path, capsys) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    assert run(data_dir, "backup", "--set-target", str(stick)) == 0
    stick.rmdir()
    assert run(data_dir, "backup") == EXIT_BACKUP_INCOMPLETE
    captured = capsys.readouterr()
    assert "U盘没有插上" in captured.err and "Traceback" not in captured.err


def test_restoring_something_that_is_not_a_backup_is_refused_in_chinese(
    office, data_dir, tmp_path, capsys
) -> None:
    assert run(data_dir, "restore", str(tmp_path / "nothing")) == 2
    err = capsys.readouterr().err
    assert "不是 SubsidyDesk 的备份" in err and "Traceback" not in err


def test_an_encrypted_backup_restores_with_the_password_from_the_environment(
    office, data_dir, tmp_path, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("SUBSIDYDESK_BACKUP_PASSWORD", "县里的密码2026")
    assert run(data_dir, "backup", "--set-password") == 0
    assert run(data_dir, "backup") == 0
    capsys.readouterr()
    assert run(data_dir, "backup", "--list") == 0
    folder = capsys.readouterr().out.split()[-1]
    new_pc = tmp_path / "new-pc"
    monkeypatch.setenv("SUBSIDYDESK_BACKUP_PASSWORD", "不对的密码")
    assert run(new_pc, "restore", folder) == 2
    assert "备份密码不对" in capsys.readouterr().err
    monkeypatch.setenv("SUBSIDYDESK_BACKUP_PASSWORD", "县里的密码2026")
    assert run(new_pc, "restore", folder) == 0
    assert case_count(new_pc / DB_FILENAME) == 2
