"""Starting the program: Qt application, fonts, the database, the first-start dialog, the window."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from core.app.catalogs import read_catalog_names
from core.errors import EXIT_LOCKED, DatabaseUnavailable
from core.instance import InstanceLock
from core.logs import log_version, setup_logging
from core.resources import resource_dir
from ui.dialog_service import DialogService, ScriptedDialogs
from ui.errors import install_excepthook

if TYPE_CHECKING:
    from core.app.storage import Database
    from ui.main_window import MainWindow

# The full catalog check runs this long after the window is shown (it takes ~0.3 s).
CATALOG_CHECK_DELAY_MS = 1500
WARM_UP_DELAY_MS = 200  # the ORM, intake and printing warm-up, once the window is painted

FONTS_DIR = resource_dir("fonts")
# Title bar and taskbar; the exe's own icon (Explorer, shortcuts) is set in packaging/.
APP_ICON = resource_dir("icons") / "subsidydesk.png"
_CJK_FAMILIES = (
    "Microsoft YaHei",
    "SimSun",
    "SimHei",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "PingFang SC",
)

log = logging.getLogger(__name__)


def load_translations(app: QApplication) -> None:
    """Qt's own words (是/否, 取消, 打印, the file picker) in Chinese, from the translations Qt ships."""
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", folder):
        app.installTranslator(translator)
    from ui.file_dialogs import QtGaps

    gaps = QtGaps(app)  # installed last, asked first: the few words the translation lacks
    app.installTranslator(gaps)


def load_fonts(app: QApplication) -> None:
    """Prefer the office PC's own Chinese font; fall back to one shipped with the program, which
    is only read when the PC has none (parsing its 5 MB at every start costs tens of ms)."""
    if _use_installed_font(app):
        return
    if FONTS_DIR.is_dir():
        for font_file in sorted(FONTS_DIR.glob("*.tt[fc]")):
            QFontDatabase.addApplicationFont(str(font_file))
    _use_installed_font(app)


def _use_installed_font(app: QApplication) -> bool:
    families = set(QFontDatabase.families())
    for family in _CJK_FAMILIES:
        if family in families:
            font = QFont(family)
            font.setPointSize(10)
            app.setFont(font)
            return True
    return False


def _warm_up() -> None:
    """Import the ORM, the intake services and the pinyin dictionaries once the window is up, so
    the first save or the first 受理 does not wait for them (about a second on an office PC);
    the version for the log is looked up here for the same reason."""
    log_version()
    import core.applicants
    import core.cases.intake  # noqa: F401
    from core.app.reports import warm_up_printing
    from core.pinyin import sort_key

    sort_key("王")  # pypinyin's dictionaries: ~0.5 s the first time, before the first save
    warm_up_printing()  # the first 受理回执 of the day in well under 100 ms


def _application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName("SubsidyDesk")
    if APP_ICON.is_file():
        app.setWindowIcon(QIcon(str(APP_ICON)))
    load_translations(app)
    load_fonts(app)
    return app


ALREADY_OPEN_TITLE = "SubsidyDesk 已经打开"


def already_open_message(data_dir: Path) -> str:
    return (
        f"SubsidyDesk 已经打开。同一个数据文件夹（{data_dir}）同时只能打开一个窗口，"
        "以免两个窗口办理同一个案件。\n\n请在任务栏中找到已经打开的 SubsidyDesk 窗口继续工作；"
        "如果找不到，它可能正在退出，请稍等片刻再打开。"
    )


def hold_data_folder(data_dir: Path) -> InstanceLock | None:
    """The data folder's lock for this window, or None when another window holds it.

    A folder where the lock file cannot even be created (read-only, missing drive) is left to
    the database checks that follow, which name the real problem and its exit code."""
    lock = InstanceLock(data_dir)
    try:
        if not lock.acquire():
            return None
    except OSError as exc:
        log.warning("无法建立单窗口锁文件 %s：%s", lock.path, exc)
    return lock


def run_app(data_dir: Path, self_test: bool = False, database_url: str | None = None) -> int:
    log_path = setup_logging(data_dir, with_version=False)
    app = _application()
    # The self-test runs offscreen with nobody to close a box: it collects them instead.
    scripted = ScriptedDialogs() if self_test else None
    dialogs = scripted or DialogService()
    install_excepthook(dialogs, log_path, QApplication.activeWindow)
    # The self-test shows nothing and changes nothing: it may run beside an open window.
    lock = InstanceLock(data_dir) if self_test else hold_data_folder(data_dir)
    if lock is None:
        message = already_open_message(data_dir)
        log.warning("数据文件夹已被另一个窗口使用：%s", data_dir)
        print(message, file=sys.stderr)
        dialogs.error(None, ALREADY_OPEN_TITLE, message)
        return EXIT_LOCKED
    try:
        return _run(app, data_dir, dialogs, scripted, database_url)
    finally:
        lock.release()


def _run(
    app: QApplication,
    data_dir: Path,
    dialogs: DialogService,
    scripted: ScriptedDialogs | None,
    database_url: str | None = None,
) -> int:
    self_test = scripted is not None
    catalogs = read_catalog_names()
    from core.app.storage import open_data

    try:
        db = open_data(data_dir, database_url)
    except DatabaseUnavailable as exc:
        log.warning("无法打开数据库（%s）：%s", exc.code, exc.message_zh)
        print(exc.message_zh, file=sys.stderr)
        if not self_test:
            QMessageBox.critical(None, "无法打开数据库", exc.message_zh)
        return exc.exit_code
    from ui.main_window import MainWindow

    window = MainWindow(db, catalogs, dialogs, auto_backup=not self_test)
    if scripted is not None:  # the self-test logs nobody in and changes nothing
        window.show()
        return _self_test(app, window, scripted)
    if not sign_in(window):
        db.close()
        return 0
    window.show()
    # After the first frame: a worker importing the ORM holds the GIL in long stretches and
    # slowed the first paint by 12-21 % when it started with the window.
    warm = threading.Thread(target=_warm_up, name="warm-up", daemon=True)
    QTimer.singleShot(WARM_UP_DELAY_MS, warm.start)
    QTimer.singleShot(CATALOG_CHECK_DELAY_MS, window.check_catalogs)
    QTimer.singleShot(CATALOG_CHECK_DELAY_MS, lambda: _start_checks(window, db, dialogs))
    QTimer.singleShot(0, window.ask_office_if_missing)
    code = app.exec()
    db.close()
    return code


def sign_in(window: MainWindow) -> bool:
    """Before the window shows its data: the login; or, for data kept from before accounts
    existed, the first 管理员. A brand-new folder shows the empty window and its first start
    asks for the first 管理员 (ui/first_start.py). False: the person left."""
    from core.app.accounts import has_accounts
    from core.app.office import load_office

    if has_accounts(window.db):
        return window.log_in()
    if load_office(window.db) is not None:
        return window.create_first_admin()
    return True


def _start_checks(window: MainWindow, db: Database, dialogs: DialogService) -> None:
    from ui.start_checks import run_start_checks

    run_start_checks(window, db, dialogs, window.cases.apply_filters)  # kept alive by ui/jobs until it ends


def _self_test(app: QApplication, window: MainWindow, dialogs: ScriptedDialogs) -> int:
    """The installer's smoke test: the window is up, the database answers through the ORM,
    and nothing raised."""
    from core.app.storage import self_check

    app.processEvents()
    ok = window.isVisible() and window.case_model.columnCount() > 0 and self_check(window.db) >= 0
    log_version()
    unexpected = [message for kind, _, message in dialogs.messages if kind == "unexpected"]
    for message in unexpected:
        print(message, file=sys.stderr)
    ok = ok and not unexpected
    print("自检通过" if ok else "自检失败", f"（数据文件：{window.db.path}）")
    window.db.close()
    return 0 if ok else 1
