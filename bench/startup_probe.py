"""Child process for bench_startup.py: show a window, print when it is on screen, exit.

startup_probe.py bare            a bare QMainWindow, shown and painted
startup_probe.py app DATA_DIR    SubsidyDesk's main window, shown and painted with the case list filled

Both sides stop at the same point: the window shown, the events processed, and a full paint
of the window forced (QWidget.grab renders every child, the table's rows included). The bare
window used to be a QLabel that was never painted, which made the program look twice as fast.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def painted(window: object) -> None:
    from PySide6.QtWidgets import QApplication, QWidget

    assert isinstance(window, QWidget)
    QApplication.processEvents()
    window.grab()  # a full paint, as the first frame on screen
    print("shown", flush=True)


def bare() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([])
    window = QMainWindow()
    window.resize(1024, 700)
    window.show()
    painted(window)
    del app


def app(data_dir: str) -> None:
    # The program's own start, stopped right after the first window is shown with data.
    from ui import app as ui_app
    from ui.main_window import MainWindow

    shown = MainWindow.show

    def show_and_report(window: MainWindow) -> None:
        shown(window)
        assert window.case_model.rowCount() > 0, "the list must show data"
        painted(window)
        sys.exit(0)

    MainWindow.show = show_and_report  # type: ignore[method-assign]
    ui_app.run_app(Path(data_dir))


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare()
    else:
        app(sys.argv[2])
