"""A person at the screens, for the whole-cycle test: keys, clicks, menus and the modal dialogs.

A modal dialog (exec) blocks the step that opened it; `Modals.run` answers it from inside its
own event loop, as the person in front of it would: a timer waits until the expected dialog is
the active modal one and hands it to a function that types and clicks. A dialog opened from
inside another one is answered by a nested `run` in that function (Qt never re-enters a timer
that is still running, so every level has its own).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, QThread, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QMainWindow, QWidget

from ui.dialog_service import DialogService

Answer = tuple[type[QDialog], Callable[[Any], object]]
POLL_MS = 20
MODAL_TIMEOUT_S = 30


class Modals:
    def run(self, trigger: Callable[[], object], *answers: Answer) -> None:
        """Do `trigger` (a click, a menu item); answer each modal dialog it opens, in order."""
        pending = list(answers)
        failures: list[BaseException] = []
        handled: list[QDialog] = []
        deadline = time.monotonic() + MODAL_TIMEOUT_S
        timer = QTimer()
        timer.setInterval(POLL_MS)

        def poll() -> None:
            widget = QApplication.activeModalWidget()
            if not pending:
                timer.stop()
                return
            if time.monotonic() > deadline:
                failures.append(AssertionError(f"{pending[0][0].__name__} 没有出现（当前：{widget!r}）"))
                pending.clear()
                if isinstance(widget, QDialog):
                    widget.reject()
                return
            kind, answer = pending[0]
            if not isinstance(widget, kind) or any(widget is seen for seen in handled):
                return
            pending.pop(0)
            handled.append(widget)
            try:
                answer(widget)
            except BaseException as exc:  # the dialog must not stay open with nobody to close it
                failures.append(exc)
                pending.clear()
                widget.reject()

        timer.timeout.connect(poll)
        timer.start()
        try:
            trigger()
        finally:
            timer.stop()
        if failures:
            raise failures[0]
        assert not pending, f"没有出现：{[kind.__name__ for kind, _ in pending]}"


def button(parent: QWidget, text: str) -> QAbstractButton:
    """The button whose words start with `text` (as a person finds it on the screen)."""
    found = [b for b in parent.findChildren(QAbstractButton) if b.text().startswith(text) and b.isVisible()]
    assert len(found) == 1, (text, [b.text() for b in parent.findChildren(QAbstractButton)])
    return found[0]


def click(parent: QWidget, text: str) -> None:
    target = button(parent, text)
    assert target.isEnabled(), f"“{target.text()}”不能点"
    target.click()


def menu_item(window: QMainWindow, menu: str, item: str) -> Callable[[], None]:
    """A menu command (menu 上报, item 导出上报批次…), triggered as a click on it would."""
    for top in window.menuBar().actions():
        if top.text().startswith(menu) and top.menu() is not None and top.isVisible():
            for action in top.menu().actions():
                if action.text().startswith(item):
                    return action.trigger
    raise AssertionError(f"菜单中没有“{menu} → {item}”")


def type_text(widget: QWidget, text: str) -> None:
    """Type like a keyboard and an input method: one key event carrying each character."""
    widget.setFocus()
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def replace_text(widget: Any, text: str) -> None:
    widget.selectAll()
    type_text(widget, text)


class Keyboard:
    """Keys to whatever has the focus in `window`. Offscreen windows are never active, and two
    main windows and a wizard are open: the application's focus may be in another one."""

    def __init__(self, window: QWidget) -> None:
        self.window = window

    def _send(self, key: int, text: str = "") -> None:
        target = self.window.focusWidget() or QApplication.focusWidget()
        assert target is not None, "something must have the keyboard focus"
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text))
        QApplication.processEvents()

    def type(self, text: str) -> None:
        for ch in text:
            self._send(0, ch)

    def press(self, key: int, times: int = 1) -> None:
        for _ in range(times):
            self._send(key, " " if key == Qt.Key.Key_Space else "")


def press_enter(widget: QWidget) -> None:
    """Enter on a list: it opens the selected row (QAbstractItemView emits activated)."""
    widget.setFocus()
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier))


class Printed:
    """The scripted `show` of ui/printing.py: records each rendered document instead of a preview."""

    def __init__(self) -> None:
        self.documents: list[tuple[str, bytes]] = []
        self.on_gui_thread: list[bool] = []

    def __call__(self, parent: QWidget | None, data: bytes, title: str, dialogs: DialogService) -> None:
        app = QApplication.instance()
        self.on_gui_thread.append(app is not None and QThread.currentThread() is app.thread())
        self.documents.append((title, data))

    def titles(self) -> list[str]:
        return [title for title, _ in self.documents]

    def named(self, start: str) -> list[bytes]:
        return [data for title, data in self.documents if title.startswith(start)]
