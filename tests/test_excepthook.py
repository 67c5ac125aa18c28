"""Unexpected exceptions (ui/errors.py): logged with the traceback, one Chinese box, and the
program goes on. Real buttons, real threads and a real log file; the box is scripted."""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEventLoop, Qt, QThread, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from core.errors import ValidationError
from core.logs import setup_logging
from ui.dialog_service import DialogService, ScriptedDialogs
from ui.errors import GENERIC_ZH, SAVED_ZH, ExceptionReporter, install_excepthook

# pytest-qt would catch these exceptions itself and fail the test; here the hook is under test.
pytestmark = pytest.mark.qt_no_exception_capture


def _look_up_case() -> None:
    raise KeyError("case 7")


@pytest.fixture
def log_path(tmp_path: Path) -> Path:
    return setup_logging(tmp_path / "data")


@pytest.fixture
def hooks() -> Iterator[None]:
    """Whatever a test installs, the next test finds pytest's own hooks again."""
    saved = sys.excepthook, threading.excepthook
    yield
    sys.excepthook, threading.excepthook = saved


@pytest.fixture
def dialogs(qapp: QApplication, hooks: None, log_path: Path) -> ScriptedDialogs:
    scripted = ScriptedDialogs()
    install_excepthook(scripted, log_path, QApplication.activeWindow)
    return scripted


class Recording(ScriptedDialogs):
    """Also notes the thread each box was opened on."""

    def __init__(self) -> None:
        super().__init__()
        self.shown_on: list[threading.Thread] = []

    def unexpected(self, parent: QWidget | None, message: str) -> None:
        self.shown_on.append(threading.current_thread())
        super().unexpected(parent, message)


def _button(qtbot: QtBot, slot: object) -> QPushButton:
    button = QPushButton("按钮")
    button.clicked.connect(slot)
    qtbot.addWidget(button)
    return button


def _shown(qtbot: QtBot, dialogs: ScriptedDialogs, count: int = 1) -> None:
    """The box opens once control is back in the event loop (never inside the failing code)."""
    qtbot.waitUntil(lambda: len(dialogs.messages) >= count)


def _log_text(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def _assert_plain_chinese(text: str, log_path: Path) -> None:
    """No traceback and no exception name: apart from the log's path, not one Latin letter."""
    assert str(log_path) in text
    assert not re.search(r"[A-Za-z]", text.replace(str(log_path), ""))


def test_exception_in_a_slot_shows_one_box_and_the_program_goes_on(
    qtbot: QtBot, dialogs: ScriptedDialogs, log_path: Path
) -> None:
    broken = _button(qtbot, _look_up_case)
    clicks: list[int] = []
    working = _button(qtbot, lambda: clicks.append(1))
    qtbot.mouseClick(broken, Qt.LeftButton)
    assert dialogs.messages == []  # not from inside the slot: from the event loop
    _shown(qtbot, dialogs)
    assert [(kind, title) for kind, title, _ in dialogs.messages] == [("unexpected", "意外错误")]
    text = dialogs.messages[0][2]
    assert text.startswith(GENERIC_ZH) and SAVED_ZH in text and "县局的技术人员" in text
    _assert_plain_chinese(text, log_path)
    log = _log_text(log_path)
    assert "ERROR ui.errors [MainThread] 意外错误" in log
    assert "Traceback (most recent call last)" in log and "_look_up_case" in log and "KeyError" in log
    qtbot.mouseClick(working, Qt.LeftButton)
    qtbot.wait(20)
    assert clicks == [1] and len(dialogs.messages) == 1


def test_the_event_loop_keeps_running_after_a_slot_raises(qtbot: QtBot, dialogs: ScriptedDialogs) -> None:
    """PySide6 hands the exception to sys.excepthook and its event loop carries on."""
    broken = _button(qtbot, _look_up_case)
    later: list[str] = []
    loop = QEventLoop()
    QTimer.singleShot(0, broken.click)
    QTimer.singleShot(20, lambda: later.append("after"))
    QTimer.singleShot(40, loop.quit)
    loop.exec()
    assert later == ["after"]
    assert [kind for kind, _, _ in dialogs.messages] == ["unexpected"]


def test_a_project_error_that_escapes_shows_its_own_message(
    qtbot: QtBot, dialogs: ScriptedDialogs, log_path: Path
) -> None:
    def save() -> None:
        raise ValidationError("ID_NUMBER_CHECK", "id_number", "身份证号的校验位不对，请核对后重新输入。")

    qtbot.mouseClick(_button(qtbot, save), Qt.LeftButton)
    _shown(qtbot, dialogs)
    ((kind, _, text),) = dialogs.messages
    assert kind == "unexpected" and text.startswith("身份证号的校验位不对，请核对后重新输入。")
    assert GENERIC_ZH not in text and SAVED_ZH in text
    _assert_plain_chinese(text, log_path)
    assert "ID_NUMBER_CHECK" in _log_text(log_path)


def test_exception_in_a_python_thread_is_shown_on_the_gui_thread(
    qtbot: QtBot, hooks: None, log_path: Path
) -> None:
    dialogs = Recording()
    install_excepthook(dialogs, log_path, QApplication.activeWindow)
    worker = threading.Thread(target=_look_up_case, name="导出批次")
    worker.start()
    worker.join()
    assert dialogs.messages == []  # not from the worker: it waits for the GUI thread
    qtbot.waitUntil(lambda: len(dialogs.messages) == 1)
    assert dialogs.shown_on == [threading.main_thread()]
    assert "[导出批次] 意外错误" in _log_text(log_path)


def test_exception_in_a_qthread_is_shown_on_the_gui_thread(qtbot: QtBot, hooks: None, log_path: Path) -> None:
    """A QThread's run() that raises reaches sys.excepthook on the worker thread."""

    class Worker(QThread):
        def run(self) -> None:
            _look_up_case()

    dialogs = Recording()
    install_excepthook(dialogs, log_path, QApplication.activeWindow)
    worker = Worker()
    worker.start()
    assert worker.wait(5000)
    qtbot.waitUntil(lambda: len(dialogs.messages) == 1)
    assert dialogs.shown_on == [threading.main_thread()]
    assert "KeyError" in _log_text(log_path)


def test_exceptions_while_the_box_is_open_are_only_logged(qtbot: QtBot, hooks: None, log_path: Path) -> None:
    """A modal box runs its own event loop, in which other slots (and queued worker errors) run."""

    def second_failure() -> None:
        raise ValueError("second")

    other = _button(qtbot, second_failure)

    class ModalLike(ScriptedDialogs):
        def unexpected(self, parent: QWidget | None, message: str) -> None:
            super().unexpected(parent, message)
            loop = QEventLoop()  # stands in for the box's own event loop
            QTimer.singleShot(0, other.click)
            threading.Thread(target=_look_up_case, name="worker").start()
            QTimer.singleShot(100, loop.quit)
            loop.exec()

    dialogs = ModalLike()
    install_excepthook(dialogs, log_path, QApplication.activeWindow)
    first = _button(qtbot, _look_up_case)
    qtbot.mouseClick(first, Qt.LeftButton)
    _shown(qtbot, dialogs)
    qtbot.waitUntil(lambda: _log_text(log_path).count("只记入了日志") == 2)
    assert len(dialogs.messages) == 1
    log = _log_text(log_path)
    assert log.count("意外错误\nTraceback") == 3
    assert "ValueError: second" in log and log.count("只记入了日志") == 2
    # The box was closed: the next error (from elsewhere) gets one again.
    qtbot.mouseClick(_button(qtbot, lambda: {}["其他"]), Qt.LeftButton)
    _shown(qtbot, dialogs, 2)
    assert len(dialogs.messages) == 2


def test_the_box_says_when_the_log_could_not_be_written(qtbot: QtBot, hooks: None, tmp_path: Path) -> None:
    dialogs = ScriptedDialogs()
    install_excepthook(dialogs, tmp_path / "nowhere" / "subsidydesk.log", QApplication.activeWindow)
    qtbot.mouseClick(_button(qtbot, _look_up_case), Qt.LeftButton)
    _shown(qtbot, dialogs)
    ((_, _, text),) = dialogs.messages
    assert "没能写入日志文件" in text and "nowhere" not in text


def test_ctrl_c_is_not_reported_as_a_bug(
    hooks: None, qapp: QApplication, log_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dialogs = ScriptedDialogs()
    reporter = install_excepthook(dialogs, log_path, QApplication.activeWindow)
    assert isinstance(reporter, ExceptionReporter)
    reporter.excepthook(KeyboardInterrupt, KeyboardInterrupt(), None)
    assert dialogs.messages == [] and "KeyboardInterrupt" in capsys.readouterr().err


def test_the_real_box_is_a_critical_box_titled_unexpected_error(qtbot: QtBot) -> None:
    seen: list[tuple[str, str, QMessageBox.Icon]] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, answer)
            return
        seen.append((box.windowTitle(), box.text(), box.icon()))
        box.accept()

    QTimer.singleShot(0, answer)
    DialogService().unexpected(None, "程序遇到意外错误。")
    assert seen == [("意外错误", "程序遇到意外错误。", QMessageBox.Icon.Critical)]


def test_an_error_inside_a_table_model_reaches_the_clerk_as_one_box(
    qtbot: QtBot, dialogs: ScriptedDialogs, log_path: Path
) -> None:
    """The shield (ui/shield.py) hands the error to the hook; the box waits for the event loop,
    not opening in the middle of painting the table, and the program does not crash."""
    from PySide6.QtWidgets import QTableView

    from core.app.paging import PagedRows
    from ui.paging import Column, PagedTableModel

    rows = PagedRows(lambda: 1, lambda offset, limit: [{"amount": "x"}])
    model = PagedTableModel([Column("金额", lambda r: f"{int(r['amount'])}")], rows)  # ValueError in C
    model.show_rows(rows)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.show()
    qtbot.waitExposed(view)
    _shown(qtbot, dialogs)
    assert dialogs.messages[0][0] == "unexpected"
    assert "ValueError" in _log_text(log_path)


def test_the_same_error_again_and_again_shows_one_box(
    qtbot: QtBot, dialogs: ScriptedDialogs, log_path: Path
) -> None:
    broken = _button(qtbot, _look_up_case)
    for _ in range(5):
        qtbot.mouseClick(broken, Qt.LeftButton)
        qtbot.wait(5)
    _shown(qtbot, dialogs)
    qtbot.wait(20)
    assert len(dialogs.messages) == 1
    assert _log_text(log_path).count("刚提示过") == 4
