"""Every window, tab and dialog of both stations, opened on sample data: no visible text holds a
Latin word outside the allow-list of tests/words/texts.py. Message boxes are read from the
scripted dialog service, printed documents from their PDF text.

`RECIPES` opens each dialog class of ui/ in a state that shows its data; a dialog class added
to ui/ without a recipe fails `test_every_dialog_has_a_recipe`.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from core.actor import Actor, Role, Station
from core.app.catalogs import read_catalog_names
from core.ids import CaseId
from tests.cycle.screens import Printed
from tests.printing.conftest import pdf_text
from tests.words.conftest import COUNTY_OFFICER, DATA_VALUES, Stations
from tests.words.texts import findings, visible_texts
from ui.dialog_service import ScriptedDialogs
from ui.main_window import MainWindow

UI = Path(__file__).resolve().parents[2] / "ui"
HEAD = Actor("赵所长", {Role.HEAD, Role.ADMIN}, Station.TOWN)
WINDOW_BASES = {"QDialog", "QWizard", "QMainWindow", "QPrintPreviewDialog"}
# Widgets that are also shown as windows of their own (上报批次, 县局审核).
OWN_WINDOWS = {"BatchesWindow", "CountyWindow"}


@dataclass
class Seen:
    """What the test saw: (where, texts), the message boxes, the printed documents."""

    stations: Stations
    qtbot: QtBot
    town: MainWindow
    county: MainWindow
    dialogs: ScriptedDialogs
    printed: Printed
    texts: list[tuple[str, list[str]]] = field(default_factory=list)
    sizes: list[tuple[str, QSize, QSize, QSize]] = field(default_factory=list)  # size, hint, minimum

    def look(self, where: str, widget: QWidget) -> None:
        widget.show()
        QApplication.processEvents()
        self.texts.append((where, visible_texts(widget)))
        self.sizes.append((where, widget.size(), widget.sizeHint(), widget.minimumSizeHint()))

    def too_big(self) -> list[str]:
        return [
            f"{where}: 窗口 {_wh(size)}，建议 {_wh(hint)}，最小 {_wh(least)}"
            for where, size, hint, least in self.sizes
            if not all(_fits(s) for s in (size, hint, least))
        ]

    def findings(self) -> list[str]:
        found = [f for where, texts in self.texts for f in findings(where, texts, DATA_VALUES)]
        for kind, title, text in self.dialogs.messages:
            found += findings(f"消息框（{kind}）", [title, text], DATA_VALUES)
        for title, data in self.printed.documents:
            found += findings(f"打印：{title}", [title, pdf_text(data)], DATA_VALUES)
        return found


SCREEN = QSize(1024, 768)  # an office PC's screen; the taskbar takes some of its height
USABLE = QSize(1024, 728)


def _fits(size: QSize) -> bool:
    return size.width() <= USABLE.width() and size.height() <= USABLE.height()


def _wh(size: QSize) -> str:
    return f"{size.width()}×{size.height()}"


def _windows(stations: Stations, qtbot: QtBot) -> Seen:
    dialogs, printed = ScriptedDialogs(), Printed()
    catalogs = read_catalog_names()
    town = MainWindow(stations.town.db, catalogs, dialogs, show=printed)
    county = MainWindow(stations.county.db, catalogs, dialogs, show=printed)
    for window in (town, county):
        qtbot.addWidget(window)
    return Seen(stations, qtbot, town, county, dialogs, printed)


@pytest.fixture
def seen(stations: Stations, qtbot: QtBot, qapp: QApplication) -> Iterator[Seen]:
    from ui.app import load_translations

    load_translations(qapp)
    yield _windows(stations, qtbot)


def wait_printed(seen: Seen, count: int) -> None:
    seen.qtbot.waitUntil(lambda: len(seen.printed.documents) >= count, timeout=20_000)


# ---- the recipes: each opens one dialog class in a state that shows its data -------------


def main_windows(seen: Seen) -> None:
    for name, window in (("乡镇主窗口", seen.town), ("县局主窗口", seen.county)):
        window.show()
        for i in range(window.tabs.count()):
            window.tabs.setCurrentIndex(i)
            seen.qtbot.wait(50)
            seen.look(f"{name}：{window.tabs.tabText(i)}", window)
    seen.town.actor = HEAD
    seen.town.open_queue()
    seen.look("乡镇主窗口：待初审", seen.town)


def case_details(seen: Seen) -> None:
    from ui.dialogs.case_detail import CaseDetailDialog

    for label, case_id in seen.stations.cases.items():
        dialog = CaseDetailDialog(
            seen.stations.town.db, CaseId(case_id), seen.stations.town.actor, seen.dialogs, lambda _c: None,
            parent=seen.town, show=seen.printed,
        )  # fmt: skip
        seen.look(f"案件详情：{label}", dialog)
        dialog.close()


def intake_wizard(seen: Seen) -> None:
    from ui.intake.wizard import IntakeWizard

    town = seen.stations.town
    wizard = IntakeWizard(town.db, seen.dialogs, town.actor, "qianyang-2021", "水沟镇", parent=seen.town)
    seen.look("受理向导：新申请", wizard)
    wizard.close()
    wizard = IntakeWizard(town.db, seen.dialogs, town.actor, "qianyang-2021", "水沟镇", parent=seen.town)
    wizard.resume(CaseId(seen.stations.cases["草稿"]))
    wizard.back()  # the subsidy step, with every subsidy of the catalog and who may file
    seen.look(f"受理向导：{wizard.currentPage().title()}", wizard)
    wizard.next()
    for _step in range(6):
        seen.look(f"受理向导：{wizard.currentPage().title()}", wizard)
        before = wizard.currentId()
        wizard.next()
        if wizard.currentId() == before:
            break
    wizard.close()
    wizard = IntakeWizard(town.db, seen.dialogs, town.actor, "qianyang-2021", "水沟镇", parent=seen.town)
    wizard.resume(CaseId(seen.stations.cases["单位草稿"]))
    titles = []
    for _step in range(6):  # facts, the roster of placed workers, materials, result
        titles.append(wizard.currentPage().title())
        seen.look(f"受理向导（单位）：{titles[-1]}", wizard)
        before = wizard.currentId()
        wizard.next()
        if wizard.currentId() == before:
            break
    wizard.close()
    assert "第3步（续）：人员花名册" in titles, titles


def person_dialog(seen: Seen) -> None:
    from core.app import applicants
    from ui.dialogs.person import PersonDialog

    db = seen.stations.town.db
    rows = applicants.person_rows(db, text="王秀兰")
    rows.reload()
    initial = applicants.load_person(db, person_id=rows.rows[0].id)
    seen.look("新建人员", PersonDialog(lambda _d: 0, parent=seen.town))
    town = seen.stations.town
    wrong = PersonDialog(
        lambda d: applicants.save_person(db, town.actor, person_id=None, data=d), parent=seen.town
    )
    wrong.id_number.setText("610328199013011231")  # no 13th month
    wrong.phone.setText("12")
    wrong.try_save()
    seen.look("新建人员：填错", wrong)
    seen.look("修改人员", PersonDialog(lambda _d: 0, initial=initial, parent=seen.town))


def organisation_dialog(seen: Seen) -> None:
    from core.app import applicants
    from ui.dialogs.organisation import OrganisationDialog

    db = seen.stations.town.db
    rows = applicants.organisation_rows(db, text="")
    rows.reload()
    row = rows.rows[0]
    initial = applicants.load_organisation(db, organisation_id=row.id)
    seen.look("新建单位", OrganisationDialog(lambda _d: 0, parent=seen.town))
    town = seen.stations.town
    wrong = OrganisationDialog(
        lambda d: applicants.save_organisation(db, town.actor, data=d), parent=seen.town
    )
    wrong.uscc.setText("916103283831495060")  # a wrong check character
    wrong.try_save()
    seen.look("新建单位：填错", wrong)
    seen.look("修改单位", OrganisationDialog(lambda _d: 0, initial=initial, parent=seen.town))


def office_dialog(seen: Seen) -> None:
    from core.app import office as office_ops
    from ui.dialogs.office import OfficeDialog

    initial = office_ops.load_office(seen.stations.town.db)
    dialog = OfficeDialog(lambda _d, _c: None, seen.town.catalogs.titles, initial=initial, parent=seen.town)
    seen.look("事务所设置", dialog)


def account_dialogs(seen: Seen) -> None:
    """The login, the first 管理员, the recovery code and its use, the lock, 账户管理 and its form."""
    from core.actor import STATION_ROLES
    from ui.dialogs.accounts import AccountForm, AccountsDialog
    from ui.dialogs.login import FirstAdminDialog, LockDialog, LoginDialog, RecoverDialog, RecoveryCodeDialog

    town = seen.stations.town
    seen.look(
        "登录", LoginDialog([HEAD.name, "李经办"], lambda _n, _p: HEAD, lambda _n, _c, _p: "", seen.town)
    )
    recover = RecoverDialog(HEAD.name, lambda _n, _c, _p: "", seen.town)
    seen.look("忘记密码", recover)
    seen.look("首次使用：管理员", FirstAdminDialog(lambda _n, _p: None, seen.town))  # type: ignore[arg-type, return-value]
    seen.look("恢复码", RecoveryCodeDialog("23456-78923-45678-92345", parent=seen.town))  # a code is data
    seen.look("锁定", LockDialog(HEAD, lambda _p: HEAD, seen.town))
    for name, site, actor in (("乡镇", town, HEAD), ("县局", seen.stations.county, COUNTY_OFFICER)):
        seen.look(f"账户管理（{name}）", AccountsDialog(site.db, actor, seen.dialogs, seen.town))
        form = AccountForm(
            "新建账户", lambda _f: None, roles=STATION_ROLES[actor.station], with_name=True, with_password=True,
            parent=seen.town,
        )  # fmt: skip
        seen.look(f"新建账户（{name}）", form)


def backup_dialogs(seen: Seen) -> None:
    from ui.dialogs.backups import BackupDialog, PasswordDialog

    town = seen.stations.town
    dialog = BackupDialog(town.db, HEAD, seen.dialogs, seen.town)
    seen.look("备份与恢复", dialog)
    seen.look("备份密码", PasswordDialog(town.data_dir, HEAD, seen.town))


def statistics_dialogs(seen: Seen) -> None:
    from ui.statistics.payments import PaymentSummaryDialog

    county = seen.stations.county
    seen.look(
        "拨付汇总表",
        PaymentSummaryDialog(county.db, seen.dialogs, COUNTY_OFFICER, seen.county, show=seen.printed),
    )


def network_dialogs(seen: Seen) -> None:
    """上报服务设置 with its errors, a batch waiting for the network, 网上收件, 接收服务设置."""
    from core.app import inbox, outbox
    from ui.batches.view import BatchesWindow
    from ui.county.inbox import InboxWindow
    from ui.dialogs.service_settings import ServiceSettingsDialog
    from ui.dialogs.upload_settings import UploadSettingsDialog

    town, county = seen.stations.town, seen.stations.county
    dialog = UploadSettingsDialog(
        lambda s: outbox.save_settings(town.db, HEAD, settings=s),
        outbox.load_settings(town.data_dir),
        seen.town,
    )
    seen.look("上报服务设置", dialog)
    dialog.url.setText("192.168.1.10:8443")
    dialog.fingerprint.setText("12")
    dialog.try_save()
    seen.look("上报服务设置：错误", dialog)
    outbox.save_settings(town.db, HEAD, settings=outbox.UploadSettings(url="http://127.0.0.1:9/"))
    outbox.queue(town.db, HEAD, number=1)
    outbox.send_due(town.db)
    window = BatchesWindow(town.db, lambda: HEAD, seen.dialogs, parent=seen.town, show=seen.printed)
    window.table.selectRow(window.model.rowCount() - 1)
    seen.look("上报批次：网上报送", window)
    seen.look("网上收件", InboxWindow(county.db, seen.dialogs, lambda: COUNTY_OFFICER, parent=seen.county))
    settings = ServiceSettingsDialog(
        inbox.load_service_settings(county.data_dir), lambda _s: None,
        lambda _h: ("", inbox.load_service_settings(county.data_dir)), lambda: None, seen.dialogs, seen.county,
    )  # fmt: skip
    seen.look("接收服务设置", settings)


def station_dialogs(seen: Seen) -> None:
    from ui.dialogs.station import CountyDialog, StationDialog

    seen.look("本机用途", StationDialog(lambda _s: None, parent=seen.town))
    seen.look("县局设置", CountyDialog(lambda _n: None, initial="千阳县劳动就业管理局", parent=seen.county))


def export_dialog(seen: Seen) -> None:
    from ui.dialogs.export_batch import ExportBatchDialog

    town = seen.stations.town
    dialog = ExportBatchDialog(town.db, town.actor, seen.dialogs, parent=seen.town, show=seen.printed)
    seen.look("导出上报批次", dialog)


def import_dialog(seen: Seen) -> None:
    from ui.dialogs.import_package import ImportPackageDialog

    county = seen.stations.county
    dialog = ImportPackageDialog(county.db, COUNTY_OFFICER, seen.dialogs, parent=seen.county)
    seen.look("导入数据包：未选", dialog)
    dialog.show_report(seen.stations.imported)
    seen.look("导入数据包：已导入", dialog)
    bad = seen.stations.root / "坏包.zip"
    bad.write_bytes(b"not a zip")
    job = dialog.run(bad)
    seen.qtbot.waitUntil(lambda: dialog.report is not None and dialog.report is not seen.stations.imported)
    del job
    seen.look("导入数据包：核验失败", dialog)
    again = dialog.run(next(seen.stations.usb.glob("*.zip")))
    seen.qtbot.waitUntil(lambda: "坏包" not in dialog.verdict.text() and "正在" not in dialog.verdict.text())
    del again
    seen.look("导入数据包：重复", dialog)


def results_dialog(seen: Seen) -> None:
    from ui.dialogs.results_summary import ResultsSummaryDialog

    report = seen.stations.results_report
    dialog = ResultsSummaryDialog(report, lambda _c: None, seen.town)
    seen.look("县局审核结果", dialog)
    seen.texts.append(("县局审核结果：提示", [report.summary]))  # the box after an import


def audit_dialog(seen: Seen) -> None:
    from ui.dialogs.audit_check import AuditCheckDialog

    for name, site in (("乡镇", seen.stations.town), ("县局", seen.stations.county)):
        dialog = AuditCheckDialog(site.db, site.actor, seen.dialogs, parent=seen.town)
        seen.look(f"审计核验（{name}）", dialog)
        for button in dialog.findChildren(QWidget):
            if hasattr(button, "click") and getattr(button, "text", lambda: "")().startswith("开始"):
                button.click()
        seen.qtbot.wait(300)
        seen.look(f"审计核验（{name}）：结果", dialog)


def town_keys(seen: Seen) -> None:
    from ui.dialogs.keys_town import CountyKeyImportDialog, OfficeKeyDialog

    town = seen.stations.town
    dialog = OfficeKeyDialog(town.db, town.actor, seen.dialogs, parent=seen.town, show=seen.printed)
    seen.look("本所密钥", dialog)
    dialog.print_slip()
    wait_printed(seen, 1)
    folder = seen.stations.root / "county-keys"
    folder.mkdir(exist_ok=True)
    from core.app import keys

    county_file = keys.write_public_key(seen.stations.county.db, target=folder / "县局公钥.pem", county=True)
    importer = CountyKeyImportDialog(town.db, HEAD, seen.dialogs, parent=seen.town)
    seen.look("导入县局公钥：未选", importer)
    importer.load(county_file)
    seen.look("导入县局公钥：已读", importer)


def county_keys(seen: Seen) -> None:
    from ui.dialogs.keys_county import CountyKeyDialog, OfficeRegistryDialog, RegisterOfficeKeyDialog

    county = seen.stations.county
    dialog = CountyKeyDialog(county.db, COUNTY_OFFICER, seen.dialogs, parent=seen.county, show=seen.printed)
    seen.look("县局密钥", dialog)
    count = len(seen.printed.documents)
    dialog.print_slip()
    wait_printed(seen, count + 1)
    seen.look(
        "站所密钥登记", OfficeRegistryDialog(county.db, COUNTY_OFFICER, seen.dialogs, parent=seen.county)
    )
    register = RegisterOfficeKeyDialog(county.db, COUNTY_OFFICER, seen.dialogs, parent=seen.county)
    seen.look("登记站所公钥：未选", register)
    from core.app import keys

    folder = seen.stations.root / "town-key"
    folder.mkdir(exist_ok=True)
    register.load(keys.write_public_key(seen.stations.town.db, target=folder / "533422101_公钥.pem"))
    seen.look("登记站所公钥：已读", register)


def catalog_updates(seen: Seen) -> None:
    from ui.county.catalog_update import CatalogUpdateDialog
    from ui.dialogs.catalog_update import InstallCatalogUpdateDialog

    county, town = seen.stations.county, seen.stations.town
    updates = CatalogUpdateDialog(county.db, COUNTY_OFFICER, seen.dialogs, parent=seen.county)
    updates.catalog.setCurrentIndex(updates.catalog.findData("qianyang-2021"))
    for i in range(updates.tabs.count()):
        updates.tabs.setCurrentIndex(i)
        seen.look(f"县局：政策目录更新：{updates.tabs.tabText(i)}", updates)
    box = next(iter(updates.reading_boxes.values()))  # the county picks another reading
    box.setCurrentIndex(box.count() - 1)
    said = len(seen.dialogs.messages)
    updates.preview()
    seen.qtbot.waitUntil(
        lambda: bool(updates.preview_text.toPlainText()) or len(seen.dialogs.messages) > said, timeout=20_000
    )
    assert updates.preview_text.toPlainText(), seen.dialogs.messages[said:]
    seen.look("县局：政策目录更新：预览", updates)
    install = InstallCatalogUpdateDialog(town.db, HEAD, seen.dialogs, parent=seen.town)
    seen.look("安装政策目录更新：未选", install)
    from core.app.county_catalogs import issue_update
    from tests.catalog_updates.conftest import EXTENSION

    folder = seen.stations.root / "update"
    if not folder.exists():  # issued once for the module: an extension cannot be issued twice
        folder.mkdir()
        issue_update(county.db, COUNTY_OFFICER, catalog_id="qianyang-2021", changes=EXTENSION, folder=folder)
    install.inspect(next(folder.glob("*.zip")))
    seen.qtbot.waitUntil(lambda: install.offer is not None, timeout=10_000)
    seen.look("安装政策目录更新：已读", install)


def county_screens(seen: Seen) -> None:
    from core.app import county as county_ops
    from core.app.county import CountyCaseFilter
    from ui.county.case_view import CountyCaseDialog
    from ui.county.view import CountyWindow

    county = seen.stations.county
    window = CountyWindow(county.db, seen.dialogs, lambda: COUNTY_OFFICER, seen.county.catalogs.subsidy_name)
    seen.qtbot.addWidget(window)
    seen.look("县局审核窗口", window)
    window.status.setCurrentIndex(0)  # every case, decided or not
    seen.look("县局审核窗口：全部案件", window)
    for name, uuid in seen.stations.uuids.items():
        dialog = CountyCaseDialog(county.db, seen.dialogs, lambda: COUNTY_OFFICER, uuid, parent=seen.county)
        for i in range(dialog.tabs.count()):
            dialog.tabs.setCurrentIndex(i)
            seen.look(f"县局案件：{name}：{dialog.tabs.tabText(i)}", dialog)
        dialog.close()
    del county_ops, CountyCaseFilter


def decision_forms(seen: Seen) -> None:
    from core.app import county as county_ops
    from ui.county.forms import FORMS

    county = seen.stations.county
    for name, uuid in seen.stations.uuids.items():
        row = county_ops.county_row(county.db, uuid=uuid)
        for kind, form_class in FORMS.items():
            form = form_class(county.db, COUNTY_OFFICER, seen.dialogs, row, name, seen.county)
            seen.look(f"县局{kind}：{name}", form)
            assert not form.submit()  # as opened (a reason missing, a state that refuses): nothing saved
            seen.look(f"县局{kind}：{name}：提交后", form)
            form.close()


def scan_viewer(seen: Seen) -> None:
    from PySide6.QtGui import QImage

    from ui.county.scan_viewer import ImageViewer

    image = QImage(400, 300, QImage.Format.Format_RGB32)
    image.fill(0xFFFFFF)
    seen.look("扫描件查看", ImageViewer(image, "劳动合同", seen.county))


def print_preview(seen: Seen) -> None:
    from ui.print_preview import PdfPreviewDialog

    if not seen.printed.documents:
        town_keys(seen)
    _title, data = seen.printed.documents[0]
    seen.look("打印预览", PdfPreviewDialog(seen.town, data, "密钥登记表", seen.dialogs))


def progress_dialog(seen: Seen) -> None:
    from ui.jobs import Job, _progress_dialog

    progress = _progress_dialog(seen.town, "正在导出……", True, Job(lambda _r: None))
    seen.look("进度", progress)
    progress.close()


def batches_window(seen: Seen) -> None:
    from ui.batches.view import BatchesWindow

    town = seen.stations.town
    window = BatchesWindow(town.db, lambda: town.actor, seen.dialogs, parent=seen.town, show=seen.printed)
    window.refresh()
    seen.look("上报批次", window)
    count = len(seen.printed.documents)
    window.table.selectRow(0)
    window.print_slip()
    wait_printed(seen, count + 1)
    window.print_roster(False)
    wait_printed(seen, count + 2)
    window.print_roster(True)
    wait_printed(seen, count + 3)


def town_documents(seen: Seen) -> None:
    """Every document the case detail prints (its preview items that are enabled), for each case."""
    from ui.dialogs.case_detail import CaseDetailDialog

    town = seen.stations.town
    for case_id in seen.stations.cases.values():
        dialog = CaseDetailDialog(
            town.db, CaseId(case_id), town.actor, seen.dialogs, lambda _c: None, parent=seen.town,
            show=seen.printed,
        )  # fmt: skip
        menu = dialog.print_button.menu()
        for action in menu.actions():
            if action.text().endswith("打印预览") and action.isEnabled():
                count = len(seen.printed.documents)
                action.trigger()
                wait_printed(seen, count + 1)
        dialog.close()


RECIPES: dict[str, Callable[[Seen], None]] = {
    "MainWindow": main_windows,
    "CaseDetailDialog": case_details,
    "IntakeWizard": intake_wizard,
    "PersonDialog": person_dialog,
    "OrganisationDialog": organisation_dialog,
    "OfficeDialog": office_dialog,
    "LoginDialog": account_dialogs,
    "RecoverDialog": account_dialogs,
    "FirstAdminDialog": account_dialogs,
    "RecoveryCodeDialog": account_dialogs,
    "LockDialog": account_dialogs,
    "AccountsDialog": account_dialogs,
    "AccountForm": account_dialogs,
    "BackupDialog": backup_dialogs,
    "PasswordDialog": backup_dialogs,
    "PaymentSummaryDialog": statistics_dialogs,
    "UploadSettingsDialog": network_dialogs,
    "ServiceSettingsDialog": network_dialogs,
    "StationDialog": station_dialogs,
    "CountyDialog": station_dialogs,
    "ExportBatchDialog": export_dialog,
    "ImportPackageDialog": import_dialog,
    "ResultsSummaryDialog": results_dialog,
    "AuditCheckDialog": audit_dialog,
    "OfficeKeyDialog": town_keys,
    "CountyKeyImportDialog": town_keys,
    "CountyKeyDialog": county_keys,
    "OfficeRegistryDialog": county_keys,
    "RegisterOfficeKeyDialog": county_keys,
    "CatalogUpdateDialog": catalog_updates,
    "InstallCatalogUpdateDialog": catalog_updates,
    "CountyWindow": county_screens,
    "CountyCaseDialog": county_screens,
    "DecisionForm": decision_forms,
    "ImageViewer": scan_viewer,
    "PdfPreviewDialog": print_preview,
    "BatchesWindow": batches_window,
}
EXTRA = {"进度": progress_dialog, "打印的文件": town_documents}


def window_classes() -> set[str]:
    """Every class in ui/ that is a dialog, a wizard or a window of its own."""
    found: set[str] = set()
    for path in UI.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases}
                if bases & WINDOW_BASES or node.name in OWN_WINDOWS:
                    found.add(node.name)
    return found


def test_every_dialog_has_a_recipe() -> None:
    assert window_classes() - set(RECIPES) == set(), "新的对话框需要在 RECIPES 中打开一次"


@pytest.mark.parametrize("name", sorted(set(RECIPES.values()) | set(EXTRA.values()), key=lambda f: f.__name__),
                         ids=lambda f: f.__name__)  # fmt: skip
def test_no_latin_word_is_shown(seen: Seen, name: Callable[[Seen], None]) -> None:
    name(seen)
    found = seen.findings()
    assert not found, "\n".join(found)


@pytest.mark.parametrize("name", sorted(set(RECIPES.values()) | {progress_dialog}, key=lambda f: f.__name__),
                         ids=lambda f: f.__name__)  # fmt: skip
def test_every_window_fits_1024_by_768(seen: Seen, name: Callable[[Seen], None]) -> None:
    """Its size as opened, its size hint and its minimum: within the screen less the taskbar."""
    name(seen)
    assert not seen.too_big(), "\n".join(seen.too_big())
