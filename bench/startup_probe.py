"""Child process for bench_startup.py: show a window, print when it is on screen, exit.

startup_probe.py bare            a bare PySide6 window with one label
startup_probe.py app DATA_DIR    SubsidyDesk's main window with the case list filled
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def bare() -> None:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication([])
    label = QLabel("SubsidyDesk")
    label.show()
    app.processEvents()
    print("shown", flush=True)


def app(data_dir: str) -> None:
    # The program's own start, stopped right after the first window is shown with data.
    from ui import app as ui_app
    from ui.main_window import MainWindow

    shown = MainWindow.show

    def show_and_report(window: MainWindow) -> None:
        shown(window)
        from PySide6.QtWidgets import QApplication

        QApplication.processEvents()
        assert window.case_model.rowCount() > 0, "the list must show data"
        print("shown", flush=True)
        sys.exit(0)

    MainWindow.show = show_and_report  # type: ignore[method-assign]
    ui_app.run_app(Path(data_dir))


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare()
    else:
        app(sys.argv[2])
