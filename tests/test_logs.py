"""The program's log (core/logs.py): real files in a temp folder, a real crash for faulthandler."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest

from core.logs import BACKUP_COUNT, MAX_BYTES, current_log_path, log_exit, setup_logging

ROOT = Path(__file__).resolve().parents[1]


def _our_handlers() -> list[RotatingFileHandler]:
    return [h for h in logging.getLogger().handlers if isinstance(h, RotatingFileHandler)]


def _read(path: Path) -> str:
    for handler in _our_handlers():
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_log_file_is_made_in_the_data_folder(tmp_path: Path) -> None:
    path = setup_logging(tmp_path / "data")
    assert path == tmp_path / "data" / "logs" / "subsidydesk.log"
    assert path.is_file() and (path.parent / "faults.log").is_file()
    logging.getLogger("core.cases").info("受理了一件案件")
    log_exit(0)
    text = _read(path)
    assert "程序启动，版本 " in text and f"数据文件夹：{tmp_path / 'data'}" in text
    assert "INFO core.cases [MainThread] 受理了一件案件" in text
    assert "程序退出，退出码 0" in text


def test_log_rotates_at_one_megabyte_keeping_five_files(tmp_path: Path) -> None:
    path = setup_logging(tmp_path / "data")
    (handler,) = _our_handlers()
    assert (handler.maxBytes, handler.backupCount, handler.encoding) == (MAX_BYTES, BACKUP_COUNT, "utf-8")
    assert (MAX_BYTES, BACKUP_COUNT) == (1_000_000, 5)
    line = "补" * 300  # 900 bytes in UTF-8
    for _ in range(1200):
        logging.getLogger("test").info(line)
    assert path.with_name("subsidydesk.log.1").is_file()
    assert path.stat().st_size <= MAX_BYTES


def test_calling_twice_adds_no_second_handler(tmp_path: Path) -> None:
    first = setup_logging(tmp_path / "data")
    assert setup_logging(tmp_path / "data") == first
    assert len(_our_handlers()) == 1
    assert _read(first).count("程序启动") == 1


def test_another_folder_moves_the_log(tmp_path: Path) -> None:
    setup_logging(tmp_path / "one")
    second = setup_logging(tmp_path / "two")
    assert [Path(h.baseFilename) for h in _our_handlers()] == [second]
    assert current_log_path() == second


def test_relative_folder_is_logged_as_an_absolute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = setup_logging(Path("data"))
    assert path.is_absolute() and path == tmp_path / "data" / "logs" / "subsidydesk.log"


def test_unwritable_folder_runs_without_a_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")  # a folder cannot be made under a regular file
    path = setup_logging(blocker / "data")
    assert path == blocker / "data" / "logs" / "subsidydesk.log"
    assert current_log_path() is None and _our_handlers() == []
    assert "无法写入日志文件夹" in capsys.readouterr().err
    logging.getLogger("test").info("没有日志文件也不出错")


def test_unwritable_folder_without_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The console-less Windows program has sys.stderr = None."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setattr(sys, "stderr", None)
    setup_logging(blocker / "data")
    assert current_log_path() is None


def test_a_hard_crash_is_written_to_faults_log(tmp_path: Path) -> None:
    code = (
        "import faulthandler, sys; from pathlib import Path; from core.logs import setup_logging; "
        "setup_logging(Path(sys.argv[1])); faulthandler._sigsegv()"
    )
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "data")],
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    faults = (tmp_path / "data" / "logs" / "faults.log").read_text(encoding="utf-8")
    assert "fatal" in faults.lower() and "<module>" in faults  # the crash and where it happened
