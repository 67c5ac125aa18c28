"""上报服务设置: where the county's receiving service is, how to reach it, whether to send by itself.

The certificate fingerprint is typed from the county's key slip (密钥登记表); the program sends
nothing to a server whose certificate does not have it. Each field shows its own error.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.app.outbox import UploadSettings
from core.errors import InvalidInput, SubsidyDeskError
from ui.labels import error_label

FIELDS = ("服务地址", "证书指纹", "代理服务器", "超时")


class UploadSettingsDialog(QDialog):
    def __init__(
        self, save: Callable[[UploadSettings], object], initial: UploadSettings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("上报服务设置")
        self.setMinimumWidth(560)
        self._save = save
        self.url = QLineEdit(initial.url, placeholderText="如 192.168.1.10:8443（地址和端口向县局询问）")
        self.fingerprint = QLineEdit(
            initial.fingerprint, placeholderText="64位，照县局密钥公布表上的“上报服务证书指纹”填写"
        )
        self.proxy = QLineEdit(initial.proxy, placeholderText="没有代理就留空；如 10.0.0.1:3128")
        self.timeout = QSpinBox(minimum=5, maximum=600, value=initial.timeout_s, suffix=" 秒")
        self.auto_send = QCheckBox("导出批次后自动通过网络报送（没有网络时会等网络恢复再发送）")
        self.auto_send.setChecked(initial.auto_send)
        self.error_labels = {name: error_label(visible=False) for name in FIELDS}
        self.errors = error_label(visible=False)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.try_save)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        for label, widget, field in (
            ("服务地址(&A)", self.url, "服务地址"),
            ("证书指纹(&P)", self.fingerprint, "证书指纹"),
            ("代理服务器(&X)", self.proxy, "代理服务器"),
            ("超时(&T)", self.timeout, "超时"),
        ):
            form.addRow(label, widget)
            form.addRow("", self.error_labels[field])
        form.addRow("", self.auto_send)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel("有网络时，批次可以直接报送县局；没有网络时照常用U盘报送。\n地址和证书指纹由县局提供。")
        )
        layout.addLayout(form)
        layout.addWidget(self.errors)
        layout.addWidget(buttons)

    def value(self) -> UploadSettings:
        return UploadSettings(
            self.url.text(),
            self.fingerprint.text(),
            self.proxy.text(),
            self.timeout.value(),
            self.auto_send.isChecked(),
        )

    def try_save(self) -> None:
        try:
            self._save(self.value())
        except InvalidInput as exc:
            by_field = {e.field: e.message_zh for e in exc.errors}
            for field, label in self.error_labels.items():
                label.setText(by_field.get(field, ""))
                label.setVisible(field in by_field)
            rest = [e.message_zh for e in exc.errors if e.field not in self.error_labels]
            self.errors.setText("\n".join(rest))
            self.errors.setVisible(bool(rest))
            return
        except SubsidyDeskError as exc:
            self.errors.setText(exc.message_zh)
            self.errors.setVisible(True)
            return
        self.accept()
