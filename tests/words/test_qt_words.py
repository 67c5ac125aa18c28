"""Qt's own dialogs speak Chinese once the program has loaded Qt's translation (ui/app.py):
the file picker, the input boxes and the message boxes of ui/dialog_service.py."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox

from tests.words.texts import findings, visible_texts
from ui.app import load_translations


def test_the_file_picker_says_nothing_in_english(qapp: QApplication, tmp_path: Path) -> None:
    load_translations(qapp)
    (tmp_path / "U盘").mkdir()
    picker = QFileDialog(None, "选择数据包", str(tmp_path), "数据包 (*.zip)")
    picker.setOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own: the one that needs the words
    picker.show()
    qapp.processEvents()
    texts = visible_texts(picker)
    picker.close()
    assert not [t for t in texts if "Look in" in t or "Files of type" in t or "File name" in t]
    assert "查找范围(&I)：" in texts, texts  # from ui/file_dialogs.QT_GAPS, without setting labels
    folders = [p.name for p in Path.home().parents] + [Path.home().name, tmp_path.name]
    assert findings("文件对话框", texts, folders) == []


def test_input_and_message_boxes_say_nothing_in_english(qapp: QApplication) -> None:
    load_translations(qapp)
    box = QInputDialog()
    box.setLabelText("不予通过理由")
    box.show()
    question = QMessageBox(QMessageBox.Icon.Question, "确认", "确定吗？")
    question.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    question.show()
    qapp.processEvents()
    texts = visible_texts(box) + visible_texts(question)
    box.close()
    question.close()
    assert findings("Qt 对话框", texts) == []
