"""Unexpected exceptions: logged with their traceback, told to the clerk in one Chinese box.

PySide6 hands an exception raised in a slot or in a Python override (paintEvent, data(), a
QThread's run) to sys.excepthook and keeps the event loop running; the console-less program
would otherwise drop it unseen. Exceptions of Python threads end in threading.excepthook.
Either hook may run on a worker thread, so the box is opened by a signal queued to the GUI
thread, never from the worker.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QApplication, QWidget

from core.errors import SubsidyDeskError
from ui.dialog_service import DialogService

GENERIC_ZH = "程序遇到意外错误，刚才的操作没有完成。"
SAVED_ZH = "已保存的数据没有丢失。"

log = logging.getLogger(__name__)

ParentGetter = Callable[[], QWidget | None]
REPEAT_QUIET_SECONDS = 60.0  # the same error from the same place is shown once in this time


def _origin(exc: object) -> tuple[str, str, int]:
    """The kind of error and the line that raised it."""
    tb = exc.__traceback__ if isinstance(exc, BaseException) else None
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return (type(exc).__name__, "", 0)
    return (type(exc).__name__, tb.tb_frame.f_code.co_filename, tb.tb_lineno)


def unexpected_text(exc: object, log_path: Path | None) -> str:
    """What the clerk reads: plain words and where the log is; no traceback, no class name."""
    what = exc.message_zh if isinstance(exc, SubsidyDeskError) else GENERIC_ZH
    return f"{what}\n{SAVED_ZH}\n\n{_where_logged(log_path)}"


def _where_logged(log_path: Path | None) -> str:
    if log_path is not None and log_path.is_file():
        return f"详细情况已记入日志文件：\n{log_path}\n请把这个文件发给县局的技术人员。"
    return "详细情况没能写入日志文件。请记下刚才做了什么操作，告诉县局的技术人员。"


class ExceptionReporter(QObject):
    """Logs every unexpected exception and shows one box at a time, on the GUI thread."""

    arrived = Signal(object)  # the exception; emitted from whichever thread raised it

    def __init__(self, dialogs: DialogService, log_path: Path | None, parent_getter: ParentGetter) -> None:
        super().__init__()  # no Qt parent: the hooks may outlive the QApplication
        self._dialogs = dialogs
        self._log_path = log_path
        self._parent_getter = parent_getter
        self._showing = False
        self._shown_at: dict[tuple[str, str, int], float] = {}
        # Always queued to the thread that made this object (the GUI thread): from a worker,
        # and also on the GUI thread, where the error may come from inside a paint or a
        # model's data() that must not open a modal box in the middle of its work.
        self.arrived.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def excepthook(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):  # Ctrl+C in a console is not a bug
            sys.__excepthook__(exc_type, exc, tb)
            return
        self._report(exc_type, exc, tb)

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if issubclass(args.exc_type, SystemExit):  # threading's own hook ignores it too
            return
        self._report(args.exc_type, args.exc_value, args.exc_traceback)

    def _report(
        self, exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        log.error("意外错误", exc_info=(exc_type, exc, tb) if exc is not None else True)
        with contextlib.suppress(RuntimeError):  # Qt is gone (the program is closing)
            self.arrived.emit(exc)

    def _seen_lately(self, exc: object) -> bool:
        now = time.monotonic()
        where = _origin(exc)
        last = self._shown_at.get(where)
        self._shown_at[where] = now
        return last is not None and now - last < REPEAT_QUIET_SECONDS

    @Slot(object)
    def _show(self, exc: object) -> None:
        if QApplication.instance() is None:
            return  # no window left to show a box on; the log has it
        if self._showing:  # an exception while the box is open: one box at a time
            log.warning("上一个意外错误的提示还开着，这个错误只记入了日志。")
            return
        if self._seen_lately(exc):  # e.g. a table that fails on every repaint: one box, not a stream
            log.warning("同一处的意外错误刚提示过，这次只记入了日志。")
            return
        self._showing = True
        try:
            self._dialogs.unexpected(self._parent_getter(), unexpected_text(exc, self._log_path))
        except Exception:
            log.exception("无法显示意外错误的提示")  # the hook itself must never fail
        finally:
            self._showing = False


def install_excepthook(
    dialogs: DialogService, log_path: Path | None, parent_getter: ParentGetter
) -> ExceptionReporter:
    """Route unexpected exceptions of every thread to one reporter; call on the GUI thread."""
    reporter = ExceptionReporter(dialogs, log_path, parent_getter)
    sys.excepthook = reporter.excepthook
    threading.excepthook = reporter.thread_excepthook
    return reporter
