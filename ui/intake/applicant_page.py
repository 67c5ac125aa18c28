"""Step 1: who applies. Search by name or ID number, or register a new person on the spot."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWizardPage,
)

from ui.dialogs.organisation import OrganisationDialog
from ui.dialogs.person import PersonDialog
from ui.intake.context import IntakeContext
from ui.operations import applicants as applicant_ops
from ui.operations import intake as ops


class ApplicantPage(QWizardPage):
    def __init__(self, ctx: IntakeContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setTitle("第1步：申请人")
        self.setSubTitle("输入姓名或身份证号查找；查不到时按“新建人员”登记。单位申请请选“单位”。")
        self.person_radio = QRadioButton("个人(&P)")
        self.org_radio = QRadioButton("单位(&U)")
        self.person_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.person_radio)
        group.addButton(self.org_radio)
        self.search = QLineEdit(placeholderText="姓名、身份证号或后四位；单位名称或信用代码")
        self.results = QListWidget()
        self.new_person = QPushButton("新建人员(&N)…")
        self.new_org = QPushButton("新建单位(&O)…")
        self.warning = QLabel(styleSheet="color: #9a5b00;", wordWrap=True)
        self._timer = QTimer(self, singleShot=True, interval=150)
        top = QHBoxLayout()
        top.addWidget(self.person_radio)
        top.addWidget(self.org_radio)
        top.addStretch(1)
        top.addWidget(self.new_person)
        top.addWidget(self.new_org)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.search)
        layout.addWidget(self.results)
        layout.addWidget(self.warning)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self._timer.timeout.connect(self.refresh)
        self.person_radio.toggled.connect(lambda _on: self.refresh())
        self.results.currentItemChanged.connect(self._picked)
        self.new_person.setAutoDefault(False)
        self.new_org.setAutoDefault(False)
        self.new_person.clicked.connect(self._create_person)
        self.new_org.clicked.connect(self._create_organisation)
        # Down arrow from the search box goes into the results, as in any search field.
        self.search.installEventFilter(self)

    def eventFilter(self, obj, event):
        from PySide6.QtCore import QEvent

        if obj is self.search and event.type() == QEvent.KeyPress and event.key() == Qt.Key_Down:
            self.results.setFocus()
            if self.results.currentRow() < 0 and self.results.count():
                self.results.setCurrentRow(0)
            return True
        return super().eventFilter(obj, event)

    def initializePage(self) -> None:
        self.refresh()
        QTimer.singleShot(0, self.search.setFocus)

    def refresh(self) -> None:
        self._timer.stop()
        self.results.clear()
        text = self.search.text()
        if self.person_radio.isChecked():
            for row in ops.find_persons(self.ctx.db, text):
                item = QListWidgetItem(
                    f"{row.name}　{row.id_number_masked}　{row.registered_town}{row.registered_village}　{row.categories}"
                )
                item.setData(Qt.UserRole, ("person", row.id, row.name))
                self.results.addItem(item)
        else:
            for oid, name, uscc in ops.find_organisations(self.ctx.db, text):
                item = QListWidgetItem(f"{name}　{uscc}")
                item.setData(Qt.UserRole, ("organisation", oid, name))
                self.results.addItem(item)
        if self.results.count() == 1:
            self.results.setCurrentRow(0)
        self.completeChanged.emit()

    def _picked(self, item: QListWidgetItem | None, _prev: QListWidgetItem | None = None) -> None:
        self.warning.clear()
        if item is not None:
            kind, key, _name = item.data(Qt.UserRole)
            if kind == "person":
                town = ops.person_town(self.ctx.db, key)
                if town and self.ctx.office_town and town != self.ctx.office_town:
                    self.warning.setText(
                        f"注意：该人员户籍在{town}，不在本镇（{self.ctx.office_town}）。"
                        "多数补贴应向户籍所在镇申请，请核实。"
                    )
        self.completeChanged.emit()

    def _create_person(self) -> None:
        dialog = PersonDialog(
            lambda data: applicant_ops.save_person(self.ctx.db, None, data, self.ctx.actor), parent=self
        )
        if dialog.exec() and dialog.saved_id is not None:
            self.person_radio.setChecked(True)
            self.search.setText("")
            self.refresh()
            for i in range(self.results.count()):
                if self.results.item(i).data(Qt.UserRole)[1] == dialog.saved_id:
                    self.results.setCurrentRow(i)

    def _create_organisation(self) -> None:
        dialog = OrganisationDialog(
            lambda data: applicant_ops.save_organisation(self.ctx.db, data, self.ctx.actor), parent=self
        )
        if dialog.exec() and dialog.saved_id is not None:
            self.org_radio.setChecked(True)
            self.search.setText("")
            self.refresh()
            for i in range(self.results.count()):
                if self.results.item(i).data(Qt.UserRole)[1] == dialog.saved_id:
                    self.results.setCurrentRow(i)

    def isComplete(self) -> bool:
        return self.results.currentItem() is not None

    def validatePage(self) -> bool:
        item = self.results.currentItem()
        if item is None:
            return False
        kind, key, name = item.data(Qt.UserRole)
        if self.ctx.case_id is not None and (kind, key) != (
            self.ctx.kind,
            self.ctx.person_id or self.ctx.organisation_id,
        ):
            self.ctx.dialogs.error(self, "不能更换申请人", "草稿已建立，不能更换申请人。请关闭后重新办理。")
            return False
        self.ctx.kind = kind
        self.ctx.person_id = key if kind == "person" else None
        self.ctx.organisation_id = key if kind == "organisation" else None
        self.ctx.applicant_label = name
        return True
