"""The main window: the case list in the centre, the lists of persons and organisations beside it in tabs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QTabWidget, QVBoxLayout, QWidget

from core.actor import STATION_LABELS, Actor, Role, Station
from core.app import applicants as applicant_ops
from core.app import cases as case_ops
from core.app import office as office_ops
from core.app.catalogs import CatalogChoices
from core.app.storage import Database
from core.ids import CaseId
from ui.applicants.model import PersonTableModel
from ui.applicants.view import PersonListView
from ui.cases.model import CaseTableModel
from ui.cases.queue import case_tab_text, queue_stepper
from ui.cases.state import CaseListState
from ui.cases.view import CaseListView
from ui.dialog_service import DialogService
from ui.jobs import Job, run_job
from ui.organisations.model import OrganisationTableModel
from ui.organisations.state import OrganisationListState
from ui.organisations.view import OrganisationListView

if TYPE_CHECKING:
    from core.app.batches import ResultsImport
    from ui.batches.sender import OutboxSender
    from ui.batches.view import BatchesWindow
    from ui.dialogs.results_summary import ResultsSummaryDialog
    from ui.intake.wizard import IntakeWizard
    from ui.printing import Show

SENDER_DELAY_MS = 5000  # the outbox's sender starts after the window is up, never slowing the start

# Dialogs, the intake wizard and the services behind them are imported when first used:
# they pull in the ORM and the policy engine, which the first window does not need.


class MainWindow(QMainWindow):
    def __init__(
        self,
        db: Database,
        catalogs: CatalogChoices,
        dialogs: DialogService,
        parent: QWidget | None = None,
        show: Show | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.catalogs = catalogs
        self.dialogs = dialogs
        self._show_pdf = show  # the printed documents' preview; None: the in-program one
        self.actor: Actor = office_ops.current_actor(db.path.parent)
        self.resize(1100, 680)
        state = CaseListState()
        self.case_model = CaseTableModel(
            state,
            lambda s: case_ops.case_rows(db, filter=s.filter, sort=s.sort, descending=s.descending),
            catalogs.subsidy_name,
        )
        self.cases = CaseListView(self.case_model, lambda: case_ops.review_queue_count(db))
        self.cases.queue_counted.connect(self._queue_counted)
        self.person_model = PersonTableModel(lambda text: applicant_ops.person_rows(db, text=text))
        self.persons = PersonListView(self.person_model)
        self.organisation_model = OrganisationTableModel(
            OrganisationListState(), lambda text: applicant_ops.organisation_rows(db, text=text)
        )
        self.organisations = OrganisationListView(self.organisation_model)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.cases, "案件(&1)")
        self.tabs.addTab(self.persons, "人员(&2)")
        self.tabs.addTab(self.organisations, "单位(&3)")
        self.catalog_banner = QLabel(wordWrap=True)  # the office's catalog expired or ends soon
        self.catalog_banner.setVisible(False)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.catalog_banner)
        column.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.office_label = QLabel()
        self.operator_label = QLabel()
        self.statusBar().addPermanentWidget(self.operator_label)
        self.statusBar().addPermanentWidget(self.office_label)
        self._make_menus()
        self.cases.case_activated.connect(lambda case_id: self.open_case(CaseId(case_id)))
        self.persons.person_activated.connect(self.edit_person)
        self.persons.new_person_requested.connect(self.new_person)
        self.organisations.organisation_activated.connect(self.edit_organisation)
        self.organisations.new_organisation_requested.connect(self.new_organisation)
        self._persons_loaded = False
        self._organisations_loaded = False
        self.tabs.currentChanged.connect(self._tab_changed)
        self.county_tab: QWidget | None = None
        self._batches_window: BatchesWindow | None = None
        self.outbox_sender: OutboxSender | None = None  # the outbox's background sender, at a town
        self.results_dialog: ResultsSummaryDialog | None = None
        self.refresh_office()
        self.refresh_operator()
        self.refresh_filters()
        if self._reviews():
            self.open_queue()
        else:
            self.cases.apply_filters()
        self.apply_station()
        QTimer.singleShot(SENDER_DELAY_MS, self.start_sender)

    def start_sender(self) -> None:
        """Send due batches in the background; started after the first paint, never at a county."""
        from ui.batches.sender import OutboxSender

        if self.outbox_sender is None and self.actor.station == Station.TOWN:
            self.outbox_sender = OutboxSender(self.db, self)
            self.outbox_sender.poll()

    def _reviews(self) -> bool:
        """The operator is a town's office head, who does the town review."""
        return self.actor.role == Role.HEAD and self.actor.station == Station.TOWN

    def open_queue(self) -> None:
        """The office head's 待初审 queue, its first case selected: Enter opens it."""
        self.tabs.setCurrentWidget(self.cases)
        self.cases.set_queue(True)
        self.cases.table.setFocus()

    def show_pdf(self) -> Show:
        """How a printed document is shown: the in-program preview, or the hook given to the window."""
        if self._show_pdf is not None:
            return self._show_pdf
        from ui.print_preview import show_print_preview

        return show_print_preview

    def _queue_counted(self, waiting: int) -> None:
        self.tabs.setTabText(self.tabs.indexOf(self.cases), case_tab_text(self.actor, waiting))

    def apply_station(self) -> None:
        """A town office receives and reports cases; the county imports, decides and pays.

        Each sees the menus of its own work; the county gets its screen as a tab.
        """
        county = self.actor.station == Station.COUNTY
        self.cases.show_queue_bar(not county)
        self.case_menu.menuAction().setVisible(not county)
        self.report_menu.menuAction().setVisible(not county)
        self.county_menu.menuAction().setVisible(county)
        self.office_action.setText("县局设置(&O)…" if county else "事务所设置(&O)…")
        self.refresh_office()
        self.refresh_catalog_banner()
        if county and self.county_tab is None:
            from ui.county.view import CountyWindow

            self.county_tab = CountyWindow(
                self.db, self.dialogs, lambda: self.actor, self.catalogs.subsidy_name
            )
            self.tabs.insertTab(0, self.county_tab, "县局审核(&0)")
            self.tabs.setCurrentIndex(0)
        elif not county and self.county_tab is not None:
            self.tabs.removeTab(self.tabs.indexOf(self.county_tab))
            self.county_tab.deleteLater()
            self.county_tab = None

    def change_station(self) -> None:
        target = Station.TOWN if self.actor.station == Station.COUNTY else Station.COUNTY
        if not self.dialogs.confirm(
            self, "本机用途", f"把本机改为“{STATION_LABELS[target]}”使用吗？菜单会随之改变，数据不受影响。"
        ):
            return
        self.actor = office_ops.change_station(self.db.path.parent, self.actor, station=target)
        self.apply_station()

    def _tab_changed(self, _index: int) -> None:
        # The applicant list is read when first looked at, not at start-up.
        if self.tabs.currentWidget() is self.persons and not self._persons_loaded:
            self._persons_loaded = True
            self.persons.apply_search()
        if self.tabs.currentWidget() is self.organisations and not self._organisations_loaded:
            self._organisations_loaded = True
            self.organisations.apply_search()

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("文件(&F)")
        self._action(file_menu, "退出(&X)", self.close, QKeySequence.StandardKey.Quit)
        self.case_menu = case_menu = bar.addMenu("案件(&C)")
        self._action(case_menu, "受理新申请(&N)…", self.new_case, QKeySequence("Ctrl+N"))
        self._action(case_menu, "打开选中案件(&O)", self.open_selected_case)
        self._action(case_menu, "查找(&F)", self.focus_search, QKeySequence.StandardKey.Find)
        person_menu = bar.addMenu("人员(&P)")
        self._action(person_menu, "新建人员(&N)…", self.new_person, QKeySequence("Ctrl+Shift+N"))
        self._action(person_menu, "新建单位(&O)…", self.new_organisation)
        self.report_menu = report_menu = bar.addMenu("上报(&R)")
        self._action(report_menu, "导出上报批次（U盘）(&E)…", self.export_batch)
        self._action(report_menu, "上报批次(&B)…", self.open_batches)
        self._action(report_menu, "导入县局审核结果(&I)…", self.import_results)
        self._action(report_menu, "安装政策目录更新(&U)…", self.install_catalog_update)
        report_menu.addSeparator()
        self._action(report_menu, "本所密钥(&K)…", self.open_office_keys)
        self._action(report_menu, "导入县局公钥(&P)…", self.import_county_key)
        self.county_menu = county_menu = bar.addMenu("县局(&X)")
        self._action(county_menu, "县局审核（导入、审核、拨付、结果）(&C)…", self.open_county)
        self._action(county_menu, "导入乡镇上报包(&I)…", self.import_package)
        self._action(county_menu, "政策目录更新（解读、参数、延期）(&P)…", self.open_catalog_updates)
        county_menu.addSeparator()
        self._action(county_menu, "站所密钥登记(&R)…", self.open_office_registry)
        self._action(county_menu, "县局密钥(&K)…", self.open_county_keys)
        settings_menu = bar.addMenu("设置(&S)")
        self.office_action = self._action(settings_menu, "事务所设置(&O)…", self.edit_office)
        self._action(settings_menu, "切换操作人(&U)…", self.change_operator)
        self._action(settings_menu, "本机用途（乡镇 / 县局）(&M)…", self.change_station)
        self._action(settings_menu, "审计核验(&A)…", self.check_audit)
        self.catalog_errors_action = self._action(
            settings_menu, "政策目录错误(&E)…", self.show_catalog_errors
        )
        self.catalog_errors_action.setVisible(bool(self.catalogs.errors))
        help_menu = bar.addMenu("帮助(&H)")
        self._action(help_menu, "关于(&A)", self.about)

    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def refresh_office(self) -> None:
        if self.actor.station == Station.COUNTY:  # the county names itself, not a town office
            name = office_ops.county_name(self.db)
            self.office_label.setText(name or "尚未填写县局名称（设置 → 县局设置）")
            self.setWindowTitle(f"SubsidyDesk — {name}" if name else "SubsidyDesk 就业帮扶补贴受理")
            return
        office = office_ops.load_office(self.db)
        if office is None:
            self.office_label.setText("尚未设置事务所")
            self.setWindowTitle("SubsidyDesk 就业帮扶补贴受理")
            return
        catalog = self.catalogs.titles.get(office.catalog_id or "", "未选择政策文件")
        self.office_label.setText(f"{office.name}　执行：{catalog}")
        self.setWindowTitle(f"SubsidyDesk — {office.name}")

    def refresh_filters(self) -> None:
        """Subsidies of the office's catalog (all catalogs until one is chosen), and known villages."""
        office = office_ops.load_office(self.db)
        chosen = office.catalog_id if office else None
        seen: dict[str, str] = {}
        for (cid, sid), name in self.catalogs.subsidy_names.items():
            if chosen in (None, cid):
                seen.setdefault(sid, name)
        self.cases.set_choices(
            sorted(seen.items(), key=lambda item: item[1]), case_ops.village_choices(self.db)
        )

    def refresh_catalog_banner(self) -> None:
        """Say plainly, at a town, when the office's catalog has expired or ends within 60 days."""
        import datetime as dt

        from core.app.catalog_updates import catalog_notice

        notice = (
            None if self.actor.station == Station.COUNTY else catalog_notice(self.db, today=dt.date.today())
        )
        self.catalog_banner.setVisible(notice is not None)
        if notice is not None:
            colour = "#f8d7da; color: #721c24" if notice.expired else "#fff3cd; color: #664d03"
            self.catalog_banner.setStyleSheet(f"background: {colour}; padding: 6px; font-weight: bold;")
            self.catalog_banner.setText(notice.text)

    def install_catalog_update(self) -> None:
        from ui.dialogs.catalog_update import InstallCatalogUpdateDialog

        InstallCatalogUpdateDialog(self.db, self.actor, self.dialogs, parent=self).exec()
        self.refresh_catalog_banner()
        self.cases.apply_filters()

    def open_catalog_updates(self) -> None:
        from ui.county.catalog_update import CatalogUpdateDialog

        CatalogUpdateDialog(self.db, self.actor, self.dialogs, parent=self).exec()

    def refresh_operator(self) -> None:
        self.operator_label.setText(f"操作人：{self.actor.label}")

    def change_operator(self) -> None:
        from ui.dialogs.operator import OperatorDialog

        def save(name: str, role: str) -> None:
            self.actor = office_ops.switch_operator(self.db.path.parent, name=name, role=role)

        before = self._reviews()
        if OperatorDialog(self.actor, save, self).exec():
            self.refresh_operator()
            if self._reviews() and not before:
                self.open_queue()
            elif before and not self._reviews():
                self.cases.set_queue(False)  # a clerk begins with every case
            self.cases.apply_filters()  # the tab counts the queue for the head only

    def new_case(self) -> None:
        from core.app import intake as intake_ops
        from ui.intake.wizard import IntakeWizard

        catalog_id, town = intake_ops.office_catalog(self.db)
        if catalog_id is None:
            self.dialogs.error(
                self, "尚未选择政策文件", "请先在“设置 → 事务所设置”中选择本所执行的政策文件。"
            )
            return
        self._run_wizard(IntakeWizard(self.db, self.dialogs, self.actor, catalog_id, town, parent=self))

    def resume_case(self, case_id: CaseId) -> None:
        from core.app import intake as intake_ops
        from ui.intake.wizard import IntakeWizard

        catalog_id, town = intake_ops.office_catalog(self.db)
        wizard = IntakeWizard(self.db, self.dialogs, self.actor, catalog_id or "", town, parent=self)
        wizard.resume(case_id)
        self._run_wizard(wizard)

    def _run_wizard(self, wizard: IntakeWizard) -> None:
        wizard.exec()
        number = wizard.result_page.accepted_number
        case_id = wizard.case_id
        self.refresh_filters()
        self.cases.apply_filters()
        if case_id is None:
            return
        from ui.printing import preview_document

        if number and self.dialogs.confirm(
            self, "已受理", f"已受理，受理编号 {number}。现在打印受理回执吗？"
        ):
            preview_document(self, "receipt", case_id, self.db, self.dialogs, show=self.show_pdf())
        elif wizard.saved_pending and self.dialogs.confirm(
            self, "待补材料", "案件已存为“待补材料”。现在打印一次性告知书吗？"
        ):
            preview_document(self, "notice", case_id, self.db, self.dialogs, show=self.show_pdf())

    def export_batch(self) -> None:
        from ui.dialogs.export_batch import ExportBatchDialog

        ExportBatchDialog(
            self.db,
            self.actor,
            self.dialogs,
            parent=self,
            open_settings=self.edit_office,
            show=self.show_pdf(),
        ).exec()
        self.cases.apply_filters()
        if self._batches_window is not None:
            self._batches_window.refresh()

    def open_batches(self) -> None:
        from ui.batches.view import BatchesWindow

        if self._batches_window is None:
            self._batches_window = BatchesWindow(
                self.db,
                lambda: self.actor,
                self.dialogs,
                parent=self,
                show=self.show_pdf(),
                sender=self.outbox_sender,
            )
        self._batches_window.refresh()
        self._batches_window.show()
        self._batches_window.raise_()

    def open_office_keys(self) -> None:
        from ui.dialogs.keys_town import OfficeKeyDialog

        OfficeKeyDialog(self.db, self.actor, self.dialogs, parent=self, show=self.show_pdf()).exec()

    def import_county_key(self) -> None:
        from ui.dialogs.keys_town import CountyKeyImportDialog

        CountyKeyImportDialog(self.db, self.actor, self.dialogs, parent=self).exec()

    def open_office_registry(self) -> None:
        from ui.dialogs.keys_county import OfficeRegistryDialog

        OfficeRegistryDialog(self.db, self.actor, self.dialogs, parent=self).exec()

    def open_county_keys(self) -> None:
        from ui.dialogs.keys_county import CountyKeyDialog

        CountyKeyDialog(self.db, self.actor, self.dialogs, parent=self, show=self.show_pdf()).exec()

    def open_county(self) -> None:
        from ui.county.view import open_county_window

        self._county_window = open_county_window(
            self.db, self.dialogs, lambda: self.actor, self.catalogs.subsidy_name
        )

    def import_package(self) -> None:
        from ui.dialogs.import_package import ImportPackageDialog

        ImportPackageDialog(self.db, self.actor, self.dialogs, parent=self).exec()

    def import_results(self) -> Job | None:
        from core.app.batches import import_results

        path = self.dialogs.open_file(self, "选择县局结果包", "县局结果包 (*.zip)")
        if not path:
            return None
        db, actor = self.db, self.actor
        return run_job(
            self, self.dialogs, lambda _report: import_results(db, actor, path=Path(path)), self._results_imported,
            title="导入县局结果", label="正在核验并导入县局结果……",
        )  # fmt: skip

    def _results_imported(self, report: ResultsImport) -> None:
        from ui.dialogs.results_summary import show_results

        self.cases.apply_filters()
        if self.results_dialog is not None:  # the last import's table gives way to this one's
            self.results_dialog.deleteLater()
        self.results_dialog = show_results(self, self.dialogs, report, self.open_case)

    def open_selected_case(self) -> None:
        case_id = self.cases.selected_case_id()
        if case_id is not None:
            self.open_case(case_id)

    def open_case(self, case_id: CaseId) -> None:
        """The case's detail; the office head steps on through his queue from there."""
        from ui.dialogs.case_detail import CaseDetailDialog

        next_case = queue_stepper(self.db, self.case_model.state) if self._reviews() else None
        CaseDetailDialog(
            self.db, case_id, self.actor, self.dialogs, self.resume_case, parent=self,
            next_case=next_case, show=self.show_pdf(),
        ).exec()  # fmt: skip
        self.cases.apply_filters()

    def focus_search(self) -> None:
        view = self.tabs.currentWidget()
        if isinstance(view, CaseListView | PersonListView | OrganisationListView):
            view.search.setFocus()
            view.search.selectAll()

    def new_person(self) -> None:
        from ui.dialogs.person import PersonDialog

        dialog = PersonDialog(
            lambda data: applicant_ops.save_person(self.db, self.actor, person_id=None, data=data),
            parent=self,
        )
        if dialog.exec():
            self._after_person_saved()

    def edit_person(self, person_id: int) -> None:
        from core.errors import SubsidyDeskError
        from ui.dialogs.person import PersonDialog

        try:
            initial = applicant_ops.load_person(self.db, person_id=person_id)
        except SubsidyDeskError as exc:
            self.dialogs.error(self, "找不到人员", exc.message_zh)
            return
        dialog = PersonDialog(
            lambda data: applicant_ops.save_person(self.db, self.actor, person_id=person_id, data=data),
            initial=initial,
            parent=self,
        )
        if dialog.exec():
            self._after_person_saved()

    def _after_person_saved(self) -> None:
        self._persons_loaded = True
        self.persons.refresh()
        self.refresh_filters()
        self.cases.apply_filters()

    def new_organisation(self) -> None:
        from ui.organisations.editing import new_organisation

        if new_organisation(self, self.db, self.actor) is not None:
            self._after_organisation_saved()

    def edit_organisation(self, organisation_id: int) -> None:
        from ui.organisations.editing import edit_organisation

        if edit_organisation(self, self.db, self.actor, self.dialogs, organisation_id) is not None:
            self._after_organisation_saved()

    def _after_organisation_saved(self) -> None:
        self._organisations_loaded = True
        self.organisations.refresh()
        self.cases.apply_filters()

    def edit_office(self) -> None:
        """设置 → 事务所设置 at a town, 县局设置 at the county (ui/first_start.py)."""
        from ui import first_start

        first_start.edit_settings(self)
        self.refresh_catalog_banner()  # the office may have chosen another catalog

    def ask_office_if_missing(self) -> None:
        """First start: this PC's use, the operator, then the office or the county (ui/first_start.py)."""
        from ui import first_start

        first_start.run(self)
        self.refresh_catalog_banner()

    def check_audit(self) -> None:
        from ui.dialogs.audit_check import AuditCheckDialog

        AuditCheckDialog(self.db, self.actor, self.dialogs, parent=self).exec()

    def check_catalogs(self) -> Job:
        """Run the full catalog checks on a worker; a broken catalog is reported and leaves the choices."""
        from core.app.catalogs import load_all_catalogs

        return run_job(
            self, self.dialogs, lambda _report: load_all_catalogs(), self._catalogs_checked,
            title="政策目录", label="正在检查政策目录……", background=True,
        )  # fmt: skip

    def _catalogs_checked(self, _result: object) -> None:
        from core.app.catalogs import validate_catalogs

        validate_catalogs(self.catalogs)  # the worker has loaded them: this only reads the result
        self.catalog_errors_action.setVisible(bool(self.catalogs.errors))
        if self.catalogs.errors:
            self.statusBar().showMessage("有政策目录文件存在错误，已停用，详见“设置 → 政策目录错误”。")
        self.refresh_office()
        self.refresh_filters()

    def show_catalog_errors(self) -> None:
        self.dialogs.error(
            self, "政策目录错误", "以下政策目录文件有错误，已暂停使用：\n\n" + "\n".join(self.catalogs.errors)
        )

    def about(self) -> None:
        self.dialogs.info(
            self, "关于 SubsidyDesk", f"SubsidyDesk 就业帮扶补贴受理程序\n数据文件：{self.db.path}"
        )
