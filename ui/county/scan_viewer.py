"""Looking at a scan inside the program: an image in a zoomable view, a PDF in the print preview
or the system's PDF reader.

The file is read and checked against its hash, and an image decoded, on a worker (ui/jobs.py):
a phone photo can take a second to decode. Only the QPixmap is made on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap, QWheelEvent
from PySide6.QtWidgets import (
    QDialog,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.app.county import read_scan
from core.app.storage import Database
from core.errors import SubsidyDeskError
from core.packages.county_cards import ScanKind, ScanLine
from ui.dialog_service import DialogService
from ui.jobs import Job, run_job
from ui.shield import shielded

ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.05, 8.0
Opener = Callable[[Path], object]


class ZoomView(QGraphicsView):
    """A picture that zooms with the buttons, Ctrl+wheel, or + and -."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.item = QGraphicsPixmapItem()
        self.item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.scene().addItem(self.item)
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.on_zoom: Callable[[float], object] = lambda _z: None

    def show_pixmap(self, pixmap: QPixmap) -> None:
        self.item.setPixmap(pixmap)
        self.scene().setSceneRect(self.item.boundingRect())

    @property
    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, factor: float) -> None:
        factor = min(max(factor, MIN_ZOOM), MAX_ZOOM)
        self.resetTransform()
        self.scale(factor, factor)
        self.on_zoom(factor)

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom / ZOOM_STEP)

    def fit(self) -> None:
        self.fitInView(self.item, Qt.AspectRatioMode.KeepAspectRatio)
        self.on_zoom(self.zoom)

    @shielded(None)
    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_in() if event.angleDelta().y() > 0 else self.zoom_out()
            event.accept()
        else:
            super().wheelEvent(event)


class ImageViewer(QDialog):
    """One scanned image: 放大, 缩小, 适合窗口, 实际大小."""

    def __init__(self, image: QImage, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"扫描件：{title}")
        self.resize(900, 700)
        self.view = ZoomView()
        self.view.show_pixmap(QPixmap.fromImage(image))
        self.zoom_label = QLabel()
        self.view.on_zoom = lambda z: self.zoom_label.setText(f"{round(z * 100)}%")
        bar = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for text, action, key in (
            ("放大(&+)", self.view.zoom_in, "Ctrl++"),
            ("缩小(&-)", self.view.zoom_out, "Ctrl+-"),
            ("适合窗口(&F)", self.view.fit, "Ctrl+0"),
            ("实际大小(&1)", lambda: self.view.set_zoom(1.0), "Ctrl+1"),
        ):
            button = QPushButton(text)
            button.clicked.connect(action)
            button.setShortcut(key)
            bar.addWidget(button)
            self.buttons[text.split("(")[0]] = button
        bar.addStretch(1)
        bar.addWidget(QLabel(f"{image.width()} × {image.height()} 像素"))
        bar.addWidget(self.zoom_label)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view)
        self.view.set_zoom(1.0)

    @shielded(None)
    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        self.view.fit()


def _decoded(data: bytes, filename: str) -> QImage:
    image = QImage.fromData(data)
    if image.isNull():
        raise SubsidyDeskError("COUNTY_SCAN_UNREADABLE", f"扫描件“{filename}”无法作为图片打开，可能已损坏。")
    return image


class ScanOpener(QObject):
    """Opens a case's scans from the case view; keeps the viewers it shows."""

    def __init__(self, parent: QWidget, db: Database, dialogs: DialogService) -> None:
        super().__init__(parent)
        self.parent_widget, self.db, self.dialogs = parent, db, dialogs
        self.viewers: list[QDialog] = []
        self.system_opener: Opener | None = None  # None: the system's PDF reader

    def open(self, scan: ScanLine, in_system_viewer: bool = False) -> Job | None:
        if not scan.available:
            self.dialogs.error(
                self.parent_widget, "查看扫描件", "县局没有这份扫描件的文件：请重新导入该批次的数据包。"
            )
            return None
        db, sha, name = self.db, scan.sha256, scan.filename
        if scan.kind == ScanKind.IMAGE:
            work: Callable[[object], object] = lambda _r: _decoded(read_scan(db, sha256=sha), name)  # noqa: E731
            done: Callable[[object], object] = lambda image: self._show_image(image, name)  # noqa: E731
        else:
            work = lambda _r: read_scan(db, sha256=sha)  # noqa: E731
            done = lambda data: self._show_pdf(data, name, in_system_viewer)  # noqa: E731
        return run_job(
            self.parent_widget, self.dialogs, work, done, title="查看扫描件", label=f"正在打开“{name}”……"
        )

    def _show_image(self, image: object, name: str) -> None:
        assert isinstance(image, QImage)
        viewer = ImageViewer(image, name, self.parent_widget)
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        viewer.destroyed.connect(lambda: self.viewers.remove(viewer) if viewer in self.viewers else None)
        self.viewers.append(viewer)
        viewer.show()

    def _show_pdf(self, data: object, name: str, in_system_viewer: bool) -> None:
        from ui.print_preview import show_print_preview
        from ui.printing import show_in_system_viewer

        assert isinstance(data, bytes)
        title = name.rsplit(".", 1)[0]
        if in_system_viewer:
            if self.system_opener is not None:
                show_in_system_viewer(self.parent_widget, data, title, self.dialogs, self.system_opener)
            else:
                show_in_system_viewer(self.parent_widget, data, title, self.dialogs)
        else:
            show_print_preview(self.parent_widget, data, title, self.dialogs)
