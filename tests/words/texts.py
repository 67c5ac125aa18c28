"""Every text a person can read on a window: labels, buttons, group titles, tabs, headers, cells,
list and combo items, tooltips, placeholders, window titles, menus; and the Latin words in them.

A Latin word is a run of two or more ASCII letters, or one letter standing alone. Allowed are the
few the office itself says (PDF, Excel, QR, USB, U盘, ID), the program's name, and whatever the
sample data holds itself (file names, folders, a bank's account letters): `allowed_data` takes
those values and strips them before looking.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, Qt
from PySide6.QtGui import QAction, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
    QWizard,
)

# The words the office uses itself, and the program's own name (its title bar and About box).
ALLOWED = {"PDF", "Excel", "QR", "USB", "U", "ID", "SubsidyDesk", "xlsx", "zip", "pdf", "png", "jpg"}
# Qt puts "&" before a mnemonic letter; the letter itself is the shortcut, not a word: (&N).
MNEMONIC = re.compile(r"\(&[A-Za-z0-9]\)|&(?=[A-Za-z0-9])")
WORD = re.compile(r"[A-Za-z]+")
# A key's fingerprint as the key dialogs and slips show it: groups of four hex digits.
FINGERPRINT = re.compile(r"(?:[0-9a-f]{4}\s+){2,}[0-9a-f]{4}")
PATTERN = re.compile(r"\*\.[a-z]+")  # a file picker's filter: (*.zip *.sealed)
# A number's stand-in in the catalogs' readings: 第N个月, “不超过X”.
PLACEHOLDER = re.compile(r"(?<=[\u4e00-\u9fff“：，、])[NX](?=[\u4e00-\u9fff”])")
# A keyboard shortcut as printed on the keys (Ctrl+V), and a file's real name on the stick.
SHORTCUT = re.compile(r"\b(?:Ctrl|Alt|Shift)\+(?:[A-Z0-9]|F\d{1,2})\b")
FILE_NAME = re.compile(r"[^\s“”（）():：，、]+\.(?:zip|sealed|pem|pdf|xlsx|png|jpg|jpeg|tif|tiff)\b")
PATH = re.compile(r"(?:[A-Za-z]:)?[/\\][^\s，。：；、）)]+")
MAX_ROWS = 200
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
CASE_UUID_LINE = "case_uuid"  # ui/county/case_view.py: the details line of the county's case view
TAG = re.compile(r"<[A-Za-z/!][^>]*>")


def latin_words(text: str, data: Iterable[str] = ()) -> list[str]:
    """The Latin words of `text` outside the allow-list, after removing data values and paths."""
    for value in sorted(data, key=len, reverse=True):
        if value:
            text = text.replace(value, " ")
    for pattern in (FINGERPRINT, PATTERN, FILE_NAME, PATH, SHORTCUT, PLACEHOLDER):
        text = pattern.sub(" ", text)
    text = MNEMONIC.sub("", text)
    return [w for w in WORD.findall(text) if w not in ALLOWED]


def _model_texts(model: QAbstractItemModel) -> Iterator[str]:
    """Headers and cells (tables and lists: the program shows no trees)."""
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount()
    for section in range(columns):
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = model.headerData(section, Qt.Orientation.Horizontal, role)
            if isinstance(value, str):
                yield value
    for row in range(min(model.rowCount(), MAX_ROWS)):
        for column in range(columns):
            index = model.index(row, column)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.data(index, role)
                if isinstance(value, str):
                    yield value


def _own_texts(widget: QWidget) -> Iterator[str]:
    yield widget.toolTip()
    yield widget.statusTip()
    yield widget.whatsThis()
    if widget.isWindow():
        yield widget.windowTitle()
    if isinstance(widget, QLabel):
        yield _label_text(widget)
    elif isinstance(widget, QAbstractButton):
        yield widget.text()
    elif isinstance(widget, QGroupBox):
        yield widget.title()
    elif isinstance(widget, QLineEdit):
        yield widget.placeholderText()
        yield widget.text()
    elif isinstance(widget, QPlainTextEdit | QTextEdit):
        yield widget.placeholderText()
        yield widget.toPlainText()
    elif isinstance(widget, QComboBox):
        yield from (widget.itemText(i) for i in range(widget.count()))
        yield widget.placeholderText()
    if isinstance(widget, QTabWidget):
        for i in range(widget.count()):
            yield widget.tabText(i)
            yield widget.tabToolTip(i)
    if isinstance(widget, QAbstractItemView) and widget.model() is not None:
        yield from _model_texts(widget.model())
    if isinstance(widget, QWizard):
        for page_id in widget.pageIds():
            page = widget.page(page_id)
            yield page.title()
            yield page.subTitle()
    if isinstance(widget, QMainWindow):
        for top in widget.menuBar().actions():
            if not top.isVisible():
                continue
            yield top.text()
            if top.menu() is not None:
                yield from _menu_texts(top.menu())
    for action in widget.actions():
        yield from _action_texts(action)


def _label_text(label: QLabel) -> str:
    """As drawn: rich text without its tags; a mnemonic only works with a buddy, else its "&"
    and letter are printed as they are (marked with a full-width ＆ so the letter is found)."""
    text = label.text()
    if label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and TAG.search(text)
    ):
        document = QTextDocument()
        document.setHtml(text)
        return document.toPlainText()
    if label.buddy() is None:
        return text.replace("&&", "＆").replace("&", "＆")
    return text


def _menu_texts(menu: QMenu) -> Iterator[str]:
    for action in menu.actions():
        yield from _action_texts(action)
        if action.menu() is not None:
            yield from _menu_texts(action.menu())


def _plain(text: str) -> str:
    return text.replace("&", "").removesuffix("…").removesuffix("...")


def _action_texts(action: QAction) -> Iterator[str]:
    yield action.text()
    if action.toolTip() != _plain(action.text()):  # Qt's default tooltip is the text
        yield action.toolTip()


def visible_texts(window: QWidget) -> list[str]:
    """What `window` shows now: its own texts and those of every visible widget in it."""
    found = list(_own_texts(window))
    for child in window.findChildren(QWidget):
        if child.objectName() == CASE_UUID_LINE:  # the one place the county reads the case's mark
            found.extend(UUID.sub(" ", t) for t in _own_texts(child))
        elif child.isVisibleTo(window) or isinstance(child, QDialog):
            found.extend(_own_texts(child))
    return [t for t in found if t]


def findings(where: str, texts: Iterable[str], data: Iterable[str] = ()) -> list[str]:
    """`where: text` for each text with a Latin word outside the allow-list."""
    data = list(data)
    return [f"{where}: {t!r} {words}" for t in texts if (words := latin_words(t, data))]
