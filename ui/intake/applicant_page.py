"""Step 1: who applies. Search by name or ID number, or register a new person on the spot."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
)

from core.app import applicants as applicant_ops
from core.applicant_types import ApplicantKind
from core.ids import OrganisationId, PersonId
from ui.dialogs.organisation import OrganisationDialog
from ui.dialogs.person import PersonDialog
from ui.intake.context import IntakeContext
from ui.intake.step import StepPage, focus_later
from ui.labels import warning_label
from ui.shield import shielded


class ApplicantPage(StepPage):
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
        self.warning = warning_label()
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

    @shielded(False)
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        down = isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Down
        if obj is self.search and event.type() == QEvent.Type.KeyPress and down:
            self.results.setFocus()
            if self.results.currentRow() < 0 and self.results.count():
                self.results.setCurrentRow(0)
            return True
        return super().eventFilter(obj, event)

    @shielded(None)
    def initializePage(self) -> None:
        if self.ctx.person_id is not None or self.ctx.organisation_id is not None:
            self._show_chosen()
        else:
            self.refresh()
        focus_later(self.search)

    def _show_chosen(self) -> None:
        """Back on this step (or resuming a draft): the applicant already chosen, selected."""
        person = self.ctx.kind == ApplicantKind.PERSON
        (self.person_radio if person else self.org_radio).setChecked(True)
        self.search.blockSignals(True)
        self.search.setText(self.ctx.applicant_label)
        self.search.blockSignals(False)
        self.refresh()
        key = self.ctx.person_id if person else self.ctx.organisation_id
        if not self._select(key):
            item = QListWidgetItem(self.ctx.applicant_label)
            item.setData(Qt.ItemDataRole.UserRole, (self.ctx.kind, key, self.ctx.applicant_label))
            self.results.insertItem(0, item)
            self.results.setCurrentRow(0)

    def _select(self, key: int | None) -> bool:
        for i in range(self.results.count()):
            if self.results.item(i).data(Qt.ItemDataRole.UserRole)[1] == key:
                self.results.setCurrentRow(i)
                return True
        return False

    def refresh(self) -> None:
        self._timer.stop()
        self.results.clear()
        text = self.search.text()
        if self.person_radio.isChecked():
            for row in applicant_ops.find_persons(self.ctx.db, text=text):
                item = QListWidgetItem(
                    f"{row.name}　{row.id_number_masked}　{row.registered_town}{row.registered_village}　{row.categories}"
                )
                item.setData(Qt.ItemDataRole.UserRole, (ApplicantKind.PERSON, row.id, row.name))
                self.results.addItem(item)
        else:
            for org in applicant_ops.find_organisations(self.ctx.db, text=text):
                item = QListWidgetItem(f"{org.name}　{org.uscc}")
                item.setData(Qt.ItemDataRole.UserRole, (ApplicantKind.ORGANISATION, org.id, org.name))
                self.results.addItem(item)
        if self.results.count() == 1:
            self.results.setCurrentRow(0)
        self.completeChanged.emit()

    def _picked(self, item: QListWidgetItem | None, _prev: QListWidgetItem | None = None) -> None:
        self.warning.clear()
        if item is not None:
            kind, key, _name = item.data(Qt.ItemDataRole.UserRole)
            if kind == ApplicantKind.PERSON:
                town = applicant_ops.person_town(self.ctx.db, person_id=key)
                if town and self.ctx.office_town and town != self.ctx.office_town:
                    self.warning.setText(
                        f"注意：该人员户籍在{town}，不在本镇（{self.ctx.office_town}）。"
                        "多数补贴应向户籍所在镇申请，请核实。"
                    )
        self.completeChanged.emit()

    def _create_person(self) -> None:
        dialog = PersonDialog(
            lambda data: applicant_ops.save_person(self.ctx.db, self.ctx.actor, person_id=None, data=data),
            parent=self,
        )
        if dialog.exec() and dialog.saved_id is not None:
            self.person_radio.setChecked(True)
            self.search.setText("")
            self.refresh()
            self._select(dialog.saved_id)

    def _create_organisation(self) -> None:
        dialog = OrganisationDialog(
            lambda data: applicant_ops.save_organisation(self.ctx.db, self.ctx.actor, data=data), parent=self
        )
        if dialog.exec() and dialog.saved_id is not None:
            self.org_radio.setChecked(True)
            self.search.setText("")
            self.refresh()
            self._select(dialog.saved_id)

    @shielded(False)
    def isComplete(self) -> bool:
        return self.results.currentItem() is not None

    @shielded(False)
    def validatePage(self) -> bool:
        item = self.results.currentItem()
        if item is None:
            return False
        kind, key, name = item.data(Qt.ItemDataRole.UserRole)
        if self.ctx.case_id is not None and (kind, key) != (
            self.ctx.kind,
            self.ctx.person_id or self.ctx.organisation_id,
        ):
            self.ctx.dialogs.error(self, "不能更换申请人", "草稿已建立，不能更换申请人。请关闭后重新办理。")
            return False
        self.ctx.kind = kind
        self.ctx.person_id = PersonId(key) if kind == ApplicantKind.PERSON else None
        self.ctx.organisation_id = OrganisationId(key) if kind == ApplicantKind.ORGANISATION else None
        self.ctx.applicant_label = name
        return True
