"""The file picker in Chinese everywhere.

Windows shows its own picker, in the language of the system. Where Qt draws the picker itself
(Linux desktops without a portal, the tests), its words come from Qt's translation, which lags
behind Qt's source ("&Look in:" is not translated in qtbase_zh_CN of Qt 6.8 to 6.10): the
labels are therefore set here, and ignored by a native picker.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QFileDialog, QWidget

from ui.shield import shielded

LABELS = {
    QFileDialog.DialogLabel.LookIn: "查找范围(&I)：",
    QFileDialog.DialogLabel.FileName: "文件名(&N)：",
    QFileDialog.DialogLabel.FileType: "文件类型(&T)：",
    QFileDialog.DialogLabel.Reject: "取消",
}
ACCEPT = {
    QFileDialog.AcceptMode.AcceptOpen: "打开(&O)",
    QFileDialog.AcceptMode.AcceptSave: "保存(&S)",
}


def chinese_labels(picker: QFileDialog, accept: str | None = None) -> QFileDialog:
    for label, text in LABELS.items():
        picker.setLabelText(label, text)
    picker.setLabelText(QFileDialog.DialogLabel.Accept, accept or ACCEPT[picker.acceptMode()])
    return picker


def _run(picker: QFileDialog) -> str | None:
    if not picker.exec():
        return None
    chosen = picker.selectedFiles()
    return chosen[0] if chosen else None


def open_file(parent: QWidget | None, title: str, filters: str) -> str | None:
    picker = QFileDialog(parent, title, "", filters)
    picker.setFileMode(QFileDialog.FileMode.ExistingFile)
    return _run(chinese_labels(picker))


def save_file(parent: QWidget | None, title: str, suggested: str, filters: str) -> str | None:
    picker = QFileDialog(parent, title, suggested, filters)
    picker.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    picker.setFileMode(QFileDialog.FileMode.AnyFile)
    return _run(chinese_labels(picker))


def choose_folder(parent: QWidget | None, title: str) -> str | None:
    picker = QFileDialog(parent, title)
    picker.setFileMode(QFileDialog.FileMode.Directory)
    picker.setOption(QFileDialog.Option.ShowDirsOnly)
    return _run(chinese_labels(picker, "选择文件夹"))


# Words of Qt's own dialogs that its Chinese translation misses: Qt moved or renamed them after
# the translation was made (context, source text) -> Chinese.
QT_GAPS = {
    ("QFileDialog", "&Look in:"): "查找范围(&I)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QAbstractFileIconProvider", "Drive"): "驱动器",
    ("QAbstractFileIconProvider", "Folder"): "文件夹",
    ("QAbstractFileIconProvider", "File"): "文件",
    ("QAbstractFileIconProvider", "Shortcut"): "快捷方式",
    ("QAbstractFileIconProvider", "Unknown"): "未知",
}


class QtGaps(QTranslator):
    """Fills QT_GAPS; everything else is left to qtbase_zh_CN.qm (None, a null string, passes on)."""

    @shielded(cast("str | None", None))
    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        return QT_GAPS.get((context, source))

    @shielded(False)
    def isEmpty(self) -> bool:
        return False
