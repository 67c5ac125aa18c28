"""Message boxes and file pickers behind one object, so tests can answer them instead of a person."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from ui import file_dialogs

UNEXPECTED_TITLE = "意外错误"


class DialogService:
    """The real thing: modal Qt boxes. Tests replace it with a scripted subclass."""

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.critical(parent, title, text)

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    def unexpected(self, parent: QWidget | None, message: str) -> None:
        """A bug reached the user (ui/errors.py): one box, the same title every time."""
        QMessageBox.critical(parent, UNEXPECTED_TITLE, message)

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            parent,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def open_file(self, parent: QWidget | None, title: str, filters: str) -> str | None:
        return file_dialogs.open_file(parent, title, filters)

    def ask_text(self, parent: QWidget | None, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getMultiLineText(parent, title, label)
        return text if ok else None

    def ask_password(self, parent: QWidget | None, title: str, label: str) -> str | None:
        """A password typed without showing it; None if cancelled."""
        text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Password)
        return text if ok else None

    def ask_choice(
        self, parent: QWidget | None, title: str, label: str, choices: Sequence[str]
    ) -> str | None:
        """One of `choices`, or what the user typed instead (an editable list); None if cancelled."""
        text, ok = QInputDialog.getItem(parent, title, label, list(choices), 0, True)
        return text if ok else None

    def save_file(self, parent: QWidget | None, title: str, suggested: str, filters: str) -> str | None:
        return file_dialogs.save_file(parent, title, suggested, filters)

    def choose_folder(self, parent: QWidget | None, title: str) -> str | None:
        return file_dialogs.choose_folder(parent, title)


class ScriptedDialogs(DialogService):
    """For tests: records every message and answers confirmations from a list."""

    def __init__(
        self,
        answers: list[bool] | None = None,
        files: list[str] | None = None,
        texts: list[str] | None = None,
    ) -> None:
        self.messages: list[tuple[str, str, str]] = []
        self.answers = list(answers or [])
        self.files = list(files or [])
        self.texts = list(texts or [])

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        self.messages.append(("error", title, text))

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        self.messages.append(("info", title, text))

    def unexpected(self, parent: QWidget | None, message: str) -> None:
        self.messages.append(("unexpected", UNEXPECTED_TITLE, message))

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        self.messages.append(("confirm", title, text))
        return self.answers.pop(0) if self.answers else False

    def open_file(self, parent: QWidget | None, title: str, filters: str) -> str | None:
        return self.files.pop(0) if self.files else None

    def ask_text(self, parent: QWidget | None, title: str, label: str) -> str | None:
        self.messages.append(("ask", title, label))
        return self.texts.pop(0) if self.texts else None

    def ask_password(self, parent: QWidget | None, title: str, label: str) -> str | None:
        self.messages.append(("ask", title, label))
        return self.texts.pop(0) if self.texts else None

    def ask_choice(
        self, parent: QWidget | None, title: str, label: str, choices: Sequence[str]
    ) -> str | None:
        self.messages.append(("ask", title, label))
        return self.texts.pop(0) if self.texts else None

    def save_file(self, parent: QWidget | None, title: str, suggested: str, filters: str) -> str | None:
        return self.files.pop(0) if self.files else None

    def choose_folder(self, parent: QWidget | None, title: str) -> str | None:
        return self.files.pop(0) if self.files else None
