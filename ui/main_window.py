"""The main window: the case list in the centre, the lists of persons and organisations beside it in tabs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMenu, QTabWidget, QVBoxLayout, QWidget

from core.actor import STATION_LABELS, Actor, Role, Station
from core.app import applicants as applicant_ops
from core.app import cases as case_ops
from core.app import office as office_ops
from core.app.catalogs import CatalogChoices
from core.app.storage import Database
from core.idle import IdleLock
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
from ui.shield import shielded
from ui.tab_keys import number_tabs

if TYPE_CHECKING:
    from core.app.batches import ResultsImport
    from ui.auto_backup import AutoBackup
    from ui.batches.sender import OutboxSender
    from ui.batches.view import BatchesWindow
    from ui.dialogs.results_summary import ResultsSummaryDialog
    from ui.intake.wizard import IntakeWizard
    from ui.printing import Show
    from ui.statistics.view import StatisticsWindow

SENDER_DELAY_MS = 5000  # the outbox's sender starts after the window is up, never slowing the start

# Dialogs, the intake wizard and the services behind them are imported when first used:
# they pull in the ORM and the policy engine, which the first window does not need.

IDLE_CHECK_MS = 15_000  # how often the idle lock looks at the clock
_INPUT_EVENTS = frozenset(
    {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel}
)
# Who sees which menu item; the use cases check the role again (core/app).
TOWN_WORK = (Role.CLERK, Role.HEAD)
COUNTY_WORK = (Role.REVIEWER, Role.FINANCE)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class _InputWatch(QObject):
    """Any key or mouse input anywhere in the program counts as activity for the idle lock."""

    def __init__(self, seen: Callable[[], None]) -> None:
        super().__init__()
        self._seen = seen

    @shielded(False)
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS:
            self._seen()
        return False


class MainWindow(QMainWindow):
    def __init__(
        self,
        db: Database,
        catalogs: CatalogChoices,
        dialogs: DialogService,
        parent: QWidget | None = None,
        show: Show | None = None,
        actor: Actor | None = None,
        clock: Callable[[], dt.datetime] = _utcnow,
        auto_backup: bool = False,
    ) -> None:
        """`actor`: who has logged in (ui/app.py logs in before the window shows); None at a
        first start, until the first 管理员 is made. `clock` (naive UTC) drives the idle lock."""
        super().__init__(parent)
        self.db = db
        self.catalogs = catalogs
        self.dialogs = dialogs
        self._show_pdf = show  # the printed documents' preview; None: the in-program one
        self.actor: Actor = actor or office_ops.nobody(db.path.parent)
        self.clock = clock
        self.idle = IdleLock(dt.timedelta(minutes=self._idle_minutes()), clock())
        self.locked = False
        self.resize(1000, 700)  # an office PC's 1024×768 screen, with its taskbar
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
        number_tabs(self.tabs)  # Alt+1, Alt+2 …
        self.tabs.addTab(self.cases, "案件")
        self.tabs.addTab(self.persons, "人员")
        self.tabs.addTab(self.organisations, "单位")
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
        self.statistics_window: StatisticsWindow | None = None
        self.refresh_office()
        self.refresh_operator()
        self.refresh_filters()
        if self._reviews():
            self.open_queue()
        else:
            self.cases.apply_filters()
        self.apply_station()
        self._watch = _InputWatch(lambda: self.idle.touch(self.clock()))
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._watch)
        self.idle_timer = QTimer(self, interval=IDLE_CHECK_MS)
        self.idle_timer.timeout.connect(self.check_idle)
        self.idle_timer.start()
        self.auto_backup: AutoBackup | None = None
        # The program's window; tests and the self-test make none, nor a server's (backup_now).
        if auto_backup and not db.is_postgres:
            from ui.auto_backup import AutoBackup

            self.auto_backup = AutoBackup(self, db.path.parent, dialogs)
        QTimer.singleShot(SENDER_DELAY_MS, self.start_sender)

    def _idle_minutes(self) -> int:
        from core.app.accounts import idle_minutes_at_start

        return idle_minutes_at_start(self.db)

    @shielded(None)
    def closeEvent(self, event: QCloseEvent) -> None:
        """On exit the program backs up (not more than once an hour); the window waits for it."""
        if self.auto_backup is not None and self.auto_backup.hold_close():
            event.ignore()
            return
        event.accept()

    def open_backups(self) -> None:
        """设置 → 备份与恢复."""
        from ui.dialogs.backups import BackupDialog

        dialog = BackupDialog(self.db, self.actor, self.dialogs, parent=self)
        dialog.restored.connect(self._after_restore)
        dialog.exec()

    def _after_restore(self) -> None:
        """The database was replaced under the window: close without backing up the old one."""
        if self.auto_backup is not None:
            self.auto_backup.exit_done = True
        self.close()

    def start_sender(self) -> None:
        """Send due batches in the background; started after the first paint, never at a county."""
        from ui.batches.sender import OutboxSender

        if self.outbox_sender is None and self.actor.station == Station.TOWN:
            self.outbox_sender = OutboxSender(self.db, self)
            self.outbox_sender.poll()

    def _reviews(self) -> bool:
        """The operator is a town's office head, who does the town review."""
        return self.actor.has(Role.HEAD) and self.actor.station == Station.TOWN

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
        self.apply_roles()
        self.office_action.setText("县局设置(&O)…" if county else "事务所设置(&O)…")
        self.refresh_office()
        self.refresh_catalog_banner()
        if county and self.county_tab is None:
            from ui.county.view import CountyWindow

            self.county_tab = CountyWindow(
                self.db, self.dialogs, lambda: self.actor, self.catalogs.subsidy_name
            )
            self.tabs.insertTab(0, self.county_tab, "县局审核")
            self.tabs.setCurrentIndex(0)
        elif not county and self.county_tab is not None:
            self.tabs.removeTab(self.tabs.indexOf(self.county_tab))
            self.county_tab.deleteLater()
            self.county_tab = None

    def apply_roles(self) -> None:
        """Each item shows for the roles that may use it; hidden is not the guard (core/app is)."""
        for action, roles in self._role_items:
            action.setVisible(any(self.actor.has(r) for r in roles))
        self.person_menu.menuAction().setVisible(self.actor.has(Role.CLERK) or self.actor.has(Role.HEAD))

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
        self._action(file_menu, "导出当前列表到Excel(&E)…", self.export_list, QKeySequence("Ctrl+E"))
        self._action(file_menu, "统计(&T)…", self.open_statistics, QKeySequence("Ctrl+T"))
        file_menu.addSeparator()
        self._action(file_menu, "退出(&X)", self.close, QKeySequence.StandardKey.Quit)
        self.case_menu = case_menu = bar.addMenu("案件(&C)")
        self._role_items: list[tuple[QAction, tuple[Role, ...]]] = []
        self._for(
            (Role.CLERK,), self._action(case_menu, "受理新申请(&N)…", self.new_case, QKeySequence("Ctrl+N"))
        )
        self._action(case_menu, "打开选中案件(&O)", self.open_selected_case)
        self._action(case_menu, "查找(&F)", self.focus_search, QKeySequence.StandardKey.Find)
        self.person_menu = person_menu = bar.addMenu("人员(&P)")
        self._for(
            (Role.CLERK,),
            self._action(person_menu, "新建人员(&N)…", self.new_person, QKeySequence("Ctrl+Shift+N")),
        )
        self._for((Role.CLERK,), self._action(person_menu, "新建单位(&O)…", self.new_organisation))
        self.report_menu = report_menu = bar.addMenu("上报(&R)")
        self._for((Role.HEAD,), self._action(report_menu, "导出上报批次（U盘）(&E)…", self.export_batch))
        self._for(TOWN_WORK, self._action(report_menu, "上报批次(&B)…", self.open_batches))
        self._for(TOWN_WORK, self._action(report_menu, "导入县局审核结果(&I)…", self.import_results))
        self._for(
            (Role.HEAD,), self._action(report_menu, "安装政策目录更新(&U)…", self.install_catalog_update)
        )
        report_menu.addSeparator()
        self._for((Role.ADMIN,), self._action(report_menu, "本所密钥(&K)…", self.open_office_keys))
        self._for((Role.ADMIN,), self._action(report_menu, "导入县局公钥(&P)…", self.import_county_key))
        self.county_menu = county_menu = bar.addMenu("县局(&X)")
        self._for(
            COUNTY_WORK,
            self._action(county_menu, "县局审核（导入、审核、拨付、结果）(&C)…", self.open_county),
        )
        self._for((Role.REVIEWER,), self._action(county_menu, "导入乡镇上报包(&I)…", self.import_package))
        self._for(
            (Role.REVIEWER,),
            self._action(county_menu, "政策目录更新（解读、参数、延期）(&P)…", self.open_catalog_updates),
        )
        county_menu.addSeparator()
        self._for((Role.ADMIN,), self._action(county_menu, "站所密钥登记(&R)…", self.open_office_registry))
        self._for((Role.ADMIN,), self._action(county_menu, "县局密钥(&K)…", self.open_county_keys))
        settings_menu = bar.addMenu("设置(&S)")
        self.office_action = self._action(settings_menu, "事务所设置(&O)…", self.edit_office)
        self._for((Role.ADMIN,), self.office_action)
        self._for((Role.ADMIN,), self._action(settings_menu, "账户管理(&U)…", self.manage_accounts))
        self._for(
            (Role.ADMIN,), self._action(settings_menu, "本机用途（乡镇 / 县局）(&M)…", self.change_station)
        )
        self._action(settings_menu, "审计核验(&A)…", self.check_audit)
        self._action(settings_menu, "备份与恢复(&B)…", self.open_backups)
        settings_menu.addSeparator()
        self._action(settings_menu, "修改密码(&P)…", self.change_password)
        self._action(settings_menu, "锁定(&K)", self.lock, QKeySequence("Ctrl+L"))
        self._action(settings_menu, "注销(&L)…", self.log_out)
        self.catalog_errors_action = self._action(
            settings_menu, "政策目录错误(&E)…", self.show_catalog_errors
        )
        self.catalog_errors_action.setVisible(bool(self.catalogs.errors))
        help_menu = bar.addMenu("帮助(&H)")
        self._action(help_menu, "关于(&A)", self.about)

    def _for(self, roles: tuple[Role, ...], action: QAction) -> QAction:
        self._role_items.append((action, roles))
        return action

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

    def set_actor(self, actor: Actor) -> None:
        """Who is logged in from now on: the menus, the status bar and the head's queue follow."""
        before = self._reviews()
        self.actor = actor
        self.refresh_operator()
        self.apply_station()
        if self._reviews() and not before:
            self.open_queue()
        elif before and not self._reviews():
            self.cases.set_queue(False)  # a clerk begins with every case
        self.cases.apply_filters()  # the tab counts the queue for the head only
        self.idle.touch(self.clock())

    def log_in(self) -> bool:
        """The login screen: pick the name, type the password. False when the person leaves."""
        from core.app import accounts
        from ui.dialogs.login import LoginDialog

        db = self.db
        dialog = LoginDialog(
            accounts.login_names(db),
            lambda name, password: accounts.login(db, name=name, password=password, now=self.clock()),
            lambda name, code, new: accounts.recover_with_code(db, name=name, code=code, new_password=new),
            parent=self if self.isVisible() else None,
        )
        if not dialog.exec() or dialog.actor is None:
            return False
        self.set_actor(dialog.actor)
        return True

    def log_out(self) -> None:
        """注销: the next person logs in; leaving the login screen closes the program."""
        from core.app import accounts

        if self.actor.name:
            accounts.logout(self.db, self.actor)
        self.set_actor(office_ops.nobody(self.db.path.parent))
        if not self.log_in():
            self.close()

    def lock(self) -> None:
        """锁定 (or the idle lock): the same person's password again; open dialogs stay open."""
        from core.app import accounts
        from ui.dialogs.login import LockDialog

        if self.locked or not self.actor.name:
            return
        self.locked = True
        actor, db = self.actor, self.db
        try:
            dialog = LockDialog(
                actor, lambda pw: accounts.unlock(db, actor, password=pw, now=self.clock()), self
            )
            dialog.exec()
        finally:
            self.locked = False
        if dialog.actor is not None and dialog.actor != self.actor:
            self.set_actor(dialog.actor)  # the 管理员 may have changed the roles meanwhile
        self.idle.touch(self.clock())

    def check_idle(self) -> None:
        if self.idle.due(self.clock()):
            self.lock()

    def create_first_admin(self) -> bool:
        """First start: the first 管理员, with the recovery code shown once."""
        from core.app import accounts
        from ui.dialogs.login import FirstAdminDialog

        db = self.db
        dialog = FirstAdminDialog(
            lambda name, pw: accounts.create_first_admin(db, name=name, password=pw), self
        )
        if not dialog.exec() or dialog.first is None:
            return False
        self.set_actor(dialog.first.actor)
        return True

    def manage_accounts(self) -> None:
        from ui.dialogs.accounts import AccountsDialog

        AccountsDialog(self.db, self.actor, self.dialogs, parent=self).exec()
        self.idle = IdleLock(dt.timedelta(minutes=self._idle_minutes()), self.clock())

    def change_password(self) -> None:
        from core.app import accounts
        from ui.dialogs.accounts import AccountForm

        def save(form: AccountForm) -> None:
            accounts.change_own_password(self.db, self.actor, old=form.old.text(), new=form.password.text())

        if AccountForm("修改密码", save, with_password=True, with_old=True, parent=self).exec():
            self.dialogs.info(self, "修改密码", "密码已修改。")

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

    def export_list(self) -> Job | None:
        """The current tab's list, as it is shown, to an .xlsx (ui/exports.py)."""
        from ui.exports import export_current_list

        return export_current_list(self)

    def open_statistics(self) -> None:
        """统计 at the town or the county, in its own window (ui/statistics/view.py)."""
        from ui.statistics.view import open_statistics

        self.statistics_window = open_statistics(
            self, self.db, self.dialogs, lambda: self.actor, show=self.show_pdf()
        )

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
