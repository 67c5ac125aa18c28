"""Starting the program: Qt application, fonts, the database, the first-start dialog, the window."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from core.errors import DatabaseUnavailable
from ui.dialog_service import DialogService
from ui.operations.catalogs import CatalogChoices

RESOURCES_DIR = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parents[1])) / "resources"
FONTS_DIR = RESOURCES_DIR / "fonts"
# Title bar and taskbar; the exe's own icon (Explorer, shortcuts) is set in packaging/.
APP_ICON = RESOURCES_DIR / "icons" / "subsidydesk.png"
_CJK_FAMILIES = (
    "Microsoft YaHei",
    "SimSun",
    "SimHei",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "PingFang SC",
)


def load_fonts(app: QApplication) -> None:
    """Prefer the office PC's own Chinese font; fall back to one shipped with the program."""
    if FONTS_DIR.is_dir():
        for font_file in sorted(FONTS_DIR.glob("*.tt[fc]")):
            QFontDatabase.addApplicationFont(str(font_file))
    families = set(QFontDatabase.families())
    for family in _CJK_FAMILIES:
        if family in families:
            font = QFont(family)
            font.setPointSize(10)
            app.setFont(font)
            return


class _Preloader(threading.Thread):
    """Imports the storage layer and reads the policy catalogs while Qt starts up.

    Importing SQLAlchemy alone costs about as much as showing a bare window; done here it
    overlaps with Qt's own start (which runs mostly outside the interpreter lock).
    """

    def __init__(self) -> None:
        super().__init__(name="preload", daemon=True)
        self.catalogs: CatalogChoices | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            import core.db  # noqa: F401  (the import is the work)
            from ui.operations.catalogs import load_catalog_choices

            self.catalogs = load_catalog_choices()
        except BaseException as exc:  # handed to the GUI thread, which reports it
            self.error = exc

    def result(self) -> CatalogChoices:
        self.join()
        if self.error is not None:
            raise self.error
        assert self.catalogs is not None
        return self.catalogs


def run_app(data_dir: Path, self_test: bool = False) -> int:
    preload = _Preloader()
    preload.start()
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("SubsidyDesk")
    if APP_ICON.is_file():
        app.setWindowIcon(QIcon(str(APP_ICON)))
    load_fonts(app)
    catalogs = preload.result()
    from core.db import open_database

    try:
        db = open_database(data_dir)
    except DatabaseUnavailable as exc:
        print(exc.message_zh, file=sys.stderr)
        if not self_test:
            QMessageBox.critical(None, "无法打开数据库", exc.message_zh)
        return exc.exit_code
    from ui.main_window import MainWindow

    window = MainWindow(db, catalogs, DialogService())
    window.show()
    if self_test:
        return _self_test(app, window)
    QTimer.singleShot(0, window.ask_office_if_missing)
    code = app.exec()
    db.close()
    return code


def _self_test(app: QApplication, window: object) -> int:
    """The installer's smoke test: the window is up and the database answers."""
    from ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    app.processEvents()
    ok = window.isVisible() and window.case_model.columnCount() > 0
    from sqlalchemy import text

    with window.db.session() as s:
        ok = ok and s.execute(text("SELECT count(*) FROM subsidy_case")).scalar_one() >= 0
    print("自检通过" if ok else "自检失败", f"（数据文件：{window.db.path}）")
    window.db.close()
    return 0 if ok else 1
