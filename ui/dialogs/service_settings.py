"""上报接收服务设置 (county): the address and port the service listens on, its certificate, the
size cap, whether to import verified packages at once, and whether this program receives while
it is open (otherwise the service runs on its own: docs/network.md)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.app.inbox import ServiceSettings
from core.errors import SubsidyDeskError
from core.packages.keys import display_fingerprint
from ui.dialog_service import DialogService
from ui.labels import error_label


class ServiceSettingsDialog(QDialog):
    def __init__(
        self,
        initial: ServiceSettings,
        save: Callable[[ServiceSettings], object],
        make_certificate: Callable[[list[str]], tuple[str, ServiceSettings]],
        fingerprint: Callable[[], str | None],
        dialogs: DialogService,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("上报接收服务设置")
        self.setMinimumWidth(600)
        self._save, self._make, self._fingerprint, self.dialogs = save, make_certificate, fingerprint, dialogs
        self.initial = initial
        self.host = QLineEdit(initial.host, placeholderText="0.0.0.0 表示本机所有网络地址")
        self.port = QSpinBox(minimum=1, maximum=65535, value=initial.port)
        self.certificate = QLineEdit(
            initial.certificate, placeholderText="证书文件；没有证书可点“生成自签名证书”"
        )
        self.private_key = QLineEdit(initial.private_key, placeholderText="证书的私钥文件")
        self.make_button = QPushButton("生成自签名证书(&G)…")
        self.make_button.clicked.connect(self.make)
        self.max_mb = QSpinBox(minimum=1, maximum=100_000, value=initial.max_mb, suffix=" MB")
        self.auto_import = QCheckBox("核验通过的数据包立即导入（否则在“网上收件”中由审核员导入）")
        self.auto_import.setChecked(initial.auto_import)
        self.run_in_program = QCheckBox("本程序打开时接收乡镇的网上报送（不另行安装服务）")
        self.run_in_program.setChecked(initial.run_in_program)
        self.fingerprint_label = QLabel()
        self.fingerprint_label.setWordWrap(True)
        self.errors = error_label(visible=False)
        cert_row = QHBoxLayout()
        cert_row.addWidget(self.certificate, 1)
        choose_cert = QPushButton("选择(&O)…")
        choose_cert.clicked.connect(lambda: self._choose(self.certificate, "选择证书文件"))
        cert_row.addWidget(choose_cert)
        cert_row.addWidget(self.make_button)
        key_row = QHBoxLayout()
        key_row.addWidget(self.private_key, 1)
        choose_key = QPushButton("选择(&Y)…")
        choose_key.clicked.connect(lambda: self._choose(self.private_key, "选择证书私钥文件"))
        key_row.addWidget(choose_key)
        form = QFormLayout()
        form.addRow("监听地址(&H)", self.host)
        form.addRow("端口(&P)", self.port)
        form.addRow("证书(&C)", cert_row)
        form.addRow("证书私钥(&K)", key_row)
        form.addRow("", self.fingerprint_label)
        form.addRow("单个数据包上限(&M)", self.max_mb)
        form.addRow("", self.auto_import)
        form.addRow("", self.run_in_program)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.try_save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "乡镇有网络时可直接把数据包报送县局。乡镇需要本服务的地址和证书指纹（印在县局的密钥登记表上）。"
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.errors)
        layout.addWidget(buttons)
        self._show_fingerprint()

    def _choose(self, field: QLineEdit, title: str) -> None:
        path = self.dialogs.open_file(self, title, "证书文件 (*.pem *.crt *.cer *.key);;所有文件 (*)")
        if path:
            field.setText(path)

    def _show_fingerprint(self) -> None:
        fp = self._fingerprint()
        self.fingerprint_label.setText(
            f"证书指纹：{display_fingerprint(fp)}"
            if fp
            else "还没有证书：没有证书时只能在有加密代理的内网中使用。"
        )

    def make(self) -> None:
        hosts = self.dialogs.ask_text(
            self, "生成自签名证书", "乡镇连接本服务所用的地址（IP 或域名，多个用空格分开）："
        )
        if not hosts or not hosts.split():
            return
        try:
            fp, made = self._make(hosts.split())
        except SubsidyDeskError as exc:
            self.dialogs.error(self, "生成自签名证书", exc.message_zh)
            return
        self.certificate.setText(made.certificate)
        self.private_key.setText(made.private_key)
        self._show_fingerprint()
        self.dialogs.info(
            self,
            "生成自签名证书",
            f"证书已生成。请把证书指纹告诉各乡镇（密钥登记表上也会印出）：\n{display_fingerprint(fp)}",
        )

    def value(self) -> ServiceSettings:
        return ServiceSettings(
            self.host.text().strip() or "0.0.0.0", self.port.value(), self.certificate.text().strip(),
            self.private_key.text().strip(), self.max_mb.value(), self.auto_import.isChecked(),
            self.run_in_program.isChecked(),
        )  # fmt: skip

    def try_save(self) -> None:
        try:
            self._save(self.value())
        except SubsidyDeskError as exc:
            self.errors.setText(exc.message_zh)
            self.errors.setVisible(True)
            return
        self.accept()
