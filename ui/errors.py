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
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QApplication, QWidget

from core.errors import SubsidyDeskError
from ui.dialog_service import DialogService

GENERIC_ZH = "程序遇到意外错误，刚才的操作没有完成。"
SAVED_ZH = "已保存的数据没有丢失。"

log = logging.getLogger(__name__)

ParentGetter = Callable[[], QWidget | None]


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
        # This object lives on the thread that made it (the GUI thread), so an emit from a
        # worker thread is queued there and an emit on the GUI thread is a direct call.
        self.arrived.connect(self._show)

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
        log.error("意外错误", exc_info=(exc_type, exc, tb))
        with contextlib.suppress(RuntimeError):  # Qt is gone (the program is closing)
            self.arrived.emit(exc)

    @Slot(object)
    def _show(self, exc: object) -> None:
        if QApplication.instance() is None:
            return  # no window left to show a box on; the log has it
        if self._showing:  # an exception while the box is open: one box at a time
            log.warning("上一个意外错误的提示还开着，这个错误只记入了日志。")
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
