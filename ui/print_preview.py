"""打印预览 and 打印 of the PDFs the program draws, inside the program, without QtPdf.

QtPdf ships only in the large PySide6-Addons wheels, so the pages are rasterised with PDFium
(the pypdfium2 package) and painted onto a QPrinter: in a QPrintPreviewDialog for the preview,
through a QPrintDialog for printing. One PDF page becomes one sheet of paper, scaled to the
paper and, on A4, at exactly its real size (the PDFs carry their own margins, so the printer is
used in full-page mode with no extra margin).

Memory: when printing, a page is rendered, painted and dropped before the next one, at the
printer's resolution but never above 300 dpi; our documents are black and grey only, so pages
are rendered in 8-bit grayscale (an A4 page at 300 dpi is 8.7 MB, not 35 MB). The on-screen
preview, however, keeps every page it shows, and Qt holds each one as 32-bit pixels: it renders
at 150 dpi, lowered for long documents so that all pages together stay within about 160 MB
(a 1,000-row roster, 53 pages, previews at 90 dpi), but never below 72 dpi.

PDFium is not thread-safe: everything here runs on the GUI thread (the PDF itself is drawn by
reportlab on a worker, see ui/printing.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pypdfium2 as pdfium  # type: ignore[import-untyped, unused-ignore]  # no type information
from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPageLayout, QPageSize, QPaintEngine, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QProgressDialog, QWidget

from core.printing.errors import PrintingError
from ui.dialog_service import DialogService

MAX_PRINT_DPI = 300  # a 300 dpi raster prints text crisply; more only costs memory and time
MAX_PREVIEW_DPI = 150
MIN_PREVIEW_DPI = 72
PREVIEW_BUDGET = 160 * 1024 * 1024  # bytes for all the preview's pages (Qt keeps 4 bytes a pixel)
POINTS_PER_INCH = 72.0


@dataclass(frozen=True)
class PageSize:
    """A PDF page's size in points (1/72 inch)."""

    width: float
    height: float

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def orientation(self) -> QPageLayout.Orientation:
        if self.landscape:
            return QPageLayout.Orientation.Landscape
        return QPageLayout.Orientation.Portrait


class PdfPages:
    """An open PDF: its page sizes, and one page at a time as a QImage. Close it after use."""

    def __init__(self, data: bytes) -> None:
        try:
            self._pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise PrintingError("PRINT_PDF_UNREADABLE", f"无法读取生成的PDF文书：{exc}") from None
        self.sizes: list[PageSize] = []
        for index in range(len(self._pdf)):
            page = self._pdf[index]
            try:
                width, height = page.get_size()
            finally:
                page.close()
            self.sizes.append(PageSize(float(width), float(height)))

    def __len__(self) -> int:
        return len(self.sizes)

    def image(self, index: int, dpi: float) -> QImage:
        """Page `index` rasterised at `dpi`, white background, 8-bit grayscale."""
        page = self._pdf[index]
        try:
            bitmap = page.render(
                scale=dpi / POINTS_PER_INCH, grayscale=True, optimize_mode="print", draw_annots=True
            )
        finally:
            page.close()
        try:
            view = memoryview(bitmap.buffer).cast("B")
            image = QImage(view, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_Grayscale8)
            image.setDotsPerMeterX(round(dpi / 0.0254))
            image.setDotsPerMeterY(round(dpi / 0.0254))
            return image.copy()  # own the pixels: PDFium frees its bitmap below
        finally:
            bitmap.close()

    def close(self) -> None:
        self._pdf.close()


@contextmanager
def open_pdf(data: bytes) -> Iterator[PdfPages]:
    pages = PdfPages(data)
    try:
        yield pages
    finally:
        pages.close()


def page_sizes(data: bytes) -> list[PageSize]:
    with open_pdf(data) as pages:
        return list(pages.sizes)


def render_page(data: bytes, index: int, dpi: float = 96) -> QImage:
    with open_pdf(data) as pages:
        return pages.image(index, dpi)


def preview_dpi(sizes: list[PageSize]) -> float:
    """The preview's resolution: 150 dpi, less for long documents (see the module's docstring)."""
    square_inches = sum(size.width * size.height for size in sizes) / POINTS_PER_INCH**2
    fits = math.sqrt(PREVIEW_BUDGET / 4 / max(square_inches, 1.0))
    return max(MIN_PREVIEW_DPI, min(MAX_PREVIEW_DPI, fits))


def _is_preview(painter: QPainter) -> bool:
    # QPrintPreviewWidget records pages as QPictures; a real printer or PDF file has its own engine.
    engine = painter.paintEngine()
    return engine is not None and engine.type() == QPaintEngine.Type.Picture


class PdfPrintout:
    """Paints a PDF onto a QPrinter, one page per sheet: the paintRequested handler."""

    def __init__(self, data: bytes, title: str, parent: QWidget | None = None) -> None:
        self.data = data
        self.title = title
        self.parent = parent  # of the progress box shown while a long document prints
        self.sizes = page_sizes(data)  # raises PrintingError on a broken PDF, before any dialog
        if not self.sizes:
            raise PrintingError("PRINT_PDF_EMPTY", "生成的PDF文书没有页面，无法打印。")

    def setup(self, printer: QPrinter) -> None:
        """A4 (or whatever size the PDF has) in the orientation of its first page, no margins."""
        first = self.sizes[0]
        printer.setDocName(self.title)
        printer.setFullPage(True)
        # Paper sizes are named upright (A4 is 595 x 842 pt); the orientation turns them.
        upright = QSizeF(min(first.width, first.height), max(first.width, first.height))
        printer.setPageSize(QPageSize(upright, QPageSize.Unit.Point))
        printer.setPageOrientation(first.orientation)

    def paint(self, printer: QPrinter) -> None:
        """Render and draw page after page; only one page's pixels are held at a time."""
        # Set again here: the preview's toolbar may have turned the paper, and the clerk may have
        # picked another orientation in the print dialog; the document's own one is the right one.
        # (Only before painting starts: a printer cannot turn its paper in the middle of a job, so a
        # page whose orientation differs from the first is turned on the paper instead.)
        printer.setFullPage(True)
        printer.setPageOrientation(self.sizes[0].orientation)
        painter = QPainter()
        if not painter.begin(printer):
            raise PrintingError("PRINT_PRINTER_FAILED", "无法开始打印：打印机不可用，请检查打印机后重试。")
        preview = _is_preview(painter)
        dpi = min(printer.resolution(), preview_dpi(self.sizes) if preview else MAX_PRINT_DPI)
        paper = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
        progress = None if preview else self._progress()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            with open_pdf(self.data) as pages:
                for index in range(len(pages)):
                    if index and not printer.newPage():
                        raise PrintingError("PRINT_PRINTER_FAILED", "打印中断：打印机无法开始新的一页。")
                    draw_page(painter, paper, pages.image(index, dpi), pages.sizes[index])
                    if progress:
                        progress(index + 1)
        finally:
            QGuiApplication.restoreOverrideCursor()
            painter.end()
            if progress:
                progress(len(self.sizes))

    def _progress(self) -> Callable[[int], None] | None:
        """A 第 n 页 progress box for documents long enough to keep the clerk waiting."""
        if len(self.sizes) < 4:
            return None
        box = QProgressDialog(f"正在打印 {self.title}……", "", 0, len(self.sizes), self.parent)
        box.setWindowTitle("打印")
        box.setCancelButton(None)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setMinimumDuration(400)

        def step(done: int) -> None:
            box.setValue(done)  # a modal box processes events here, so it repaints
            if done >= len(self.sizes):
                box.close()
                box.deleteLater()

        return step


def draw_page(painter: QPainter, paper: QRectF, image: QImage, size: PageSize) -> None:
    """Draw one page's image onto the sheet: turned if the sheet is the other way round, then
    scaled to fit and centred (exactly 100% when the sheet has the PDF page's size)."""
    painter.save()
    try:
        turn = size.landscape != (paper.width() > paper.height())
        if turn:
            painter.translate(paper.right(), paper.top())
            painter.rotate(90)
            area = QRectF(0, 0, paper.height(), paper.width())
        else:
            area = QRectF(paper)
        scale = min(area.width() / size.width, area.height() / size.height)
        target = QRectF(0, 0, size.width * scale, size.height * scale)
        target.moveCenter(area.center())
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.drawImage(target, image)
    finally:
        painter.restore()


class PdfPreviewDialog(QPrintPreviewDialog):
    """QPrintPreviewDialog showing a PDF; its print button prints through the same printout."""

    def __init__(
        self, parent: QWidget | None, data: bytes, title: str, dialogs: DialogService | None = None
    ) -> None:
        self.printout = PdfPrintout(data, title, parent)
        self._printer = QPrinter(QPrinter.PrinterMode.HighResolution)  # the dialog does not own it
        self.printout.setup(self._printer)
        super().__init__(self._printer, parent)
        self.printout.parent = self  # printing from the toolbar: the progress box over the preview
        self.dialogs = dialogs or DialogService()
        self.setWindowTitle(f"打印预览 - {title}")
        self.resize(1000, 700)
        self.paintRequested.connect(self.paint)

    def paint(self, printer: QPrinter) -> None:
        # Called from Qt: an exception must become a message, it cannot reach the caller.
        try:
            self.printout.paint(printer)
        except PrintingError as exc:
            self.dialogs.error(self, "打印", exc.message_zh)


def show_print_preview(parent: QWidget | None, pdf_bytes: bytes, title: str, dialogs: DialogService) -> None:
    """The in-program 打印预览 of a rendered PDF (modal; the clerk prints from its toolbar)."""
    try:
        dialog = PdfPreviewDialog(parent, pdf_bytes, title, dialogs)
    except PrintingError as exc:
        dialogs.error(parent, "打印", exc.message_zh)
        return
    try:
        dialog.exec()
    finally:
        dialog.deleteLater()


def print_pdf(
    parent: QWidget | None, pdf_bytes: bytes, title: str, dialogs: DialogService | None = None
) -> bool:
    """Ask for the printer (QPrintDialog), then print; False when the clerk cancels."""
    printout = PdfPrintout(pdf_bytes, title, parent)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printout.setup(printer)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"打印 - {title}")
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted.value:
            return False
    finally:
        dialog.deleteLater()
    try:
        printout.paint(printer)
    except PrintingError as exc:
        if dialogs is None:
            raise
        dialogs.error(parent, "打印", exc.message_zh)
        return False
    return True


def print_pdf_to(printer: QPrinter, pdf_bytes: bytes, title: str) -> None:
    """Print without asking, on a printer already set up (tests, and a PdfFormat QPrinter)."""
    printout = PdfPrintout(pdf_bytes, title)
    printout.setup(printer)
    printout.paint(printer)
