"""The in-program 打印预览 and printing: real PDFs rasterised by PDFium and painted on a QPrinter."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewWidget
from pytestqt.qtbot import QtBot

from core.db.models import Office
from core.printing.errors import PrintingError
from core.printing.service import render_case_document, render_roster
from tests.printing.conftest import Printing
from tests.printing.sample import add_roster_cases
from ui.dialog_service import ScriptedDialogs
from ui.print_preview import (
    PageSize,
    PdfPreviewDialog,
    PdfPrintout,
    draw_page,
    page_sizes,
    preview_dpi,
    print_pdf_to,
    render_page,
    show_print_preview,
)

TODAY = dt.date(2024, 3, 5)
A4 = (595.28, 841.89)  # points


@pytest.fixture
def receipt(printing: Printing) -> bytes:
    with printing.db.session() as s:
        return render_case_document(s, "receipt", printing.cases.receipt, TODAY)


@pytest.fixture
def roster(printing: Printing) -> bytes:
    """A 花名册 of 80 cases: A4 landscape, 5 pages (long enough for the printing progress box)."""
    with printing.db.session() as s:
        office = s.get(Office, printing.office_id)
        assert office is not None
        ids = add_roster_cases(s, office, 80)
        s.commit()
        return render_roster(s, ids, batch_label="2024-02", today=TODAY)


def dark_pixels(image: QImage) -> int:
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    return sum(
        1
        for y in range(0, gray.height(), 2)
        for x in range(0, gray.width(), 2)
        if gray.pixelColor(x, y).value() < 128
    )


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def page_points(path: Path) -> list[tuple[float, float]]:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]


def test_receipt_pages_are_a4_and_render_with_text(qtbot: QtBot, receipt: bytes) -> None:
    sizes = page_sizes(receipt)
    assert len(sizes) == len(PdfReader(io.BytesIO(receipt)).pages) >= 1
    for size in sizes:
        assert (size.width, size.height) == pytest.approx(A4, abs=0.5)
        assert not size.landscape
    image = render_page(receipt, 0, dpi=72)
    assert (image.width(), image.height()) == (596, 842)  # whole pixels, rounded up
    assert image.pixelColor(2, 2).value() == 255  # white paper ...
    assert dark_pixels(image) > 500  # ... with text, table lines and the QR code on it


def test_roster_pages_are_landscape_a4(qtbot: QtBot, roster: bytes) -> None:
    sizes = page_sizes(roster)
    assert len(sizes) >= 4
    assert all((s.width, s.height) == pytest.approx(A4[::-1], abs=0.5) for s in sizes)
    image = render_page(roster, len(sizes) - 1, dpi=50)
    assert image.width() > image.height()
    assert dark_pixels(image) > 200


def test_printing_to_a_pdf_printer_gives_one_sheet_per_page(
    qtbot: QtBot, receipt: bytes, roster: bytes, tmp_path: Path
) -> None:
    out = tmp_path / "receipt.pdf"
    print_pdf_to(pdf_printer(out), receipt, "受理回执")
    assert page_points(out) == [pytest.approx(A4, abs=1.5)] * len(page_sizes(receipt))

    out = tmp_path / "roster.pdf"
    printer = pdf_printer(out)
    print_pdf_to(printer, roster, "花名册")
    assert printer.pageLayout().orientation() == QPageLayout.Orientation.Landscape
    assert printer.pageLayout().pageSize().id() == QPageSize.PageSizeId.A4  # named A4, so trays match
    assert printer.resolution() == 1200  # painted at 300 dpi, scaled up: never 1200 dpi rasters
    points = page_points(out)
    assert len(points) == len(page_sizes(roster))
    assert all(p == pytest.approx(A4[::-1], abs=1.5) for p in points)


def test_preview_dialog_paints_every_page(qtbot: QtBot, roster: bytes, tmp_path: Path) -> None:
    dialogs = ScriptedDialogs()
    dialog = PdfPreviewDialog(None, roster, "花名册", dialogs)
    qtbot.addWidget(dialog)
    assert dialog.printer().pageLayout().orientation() == QPageLayout.Orientation.Landscape

    # The handler itself, on a printer of our own (the dialog's might be a real printer) ...
    out = tmp_path / "from_preview.pdf"
    dialog.paintRequested.emit(pdf_printer(out))
    assert len(page_points(out)) == len(page_sizes(roster))

    # ... and the preview the dialog shows, generated without exec'ing the modal dialog.
    preview = dialog.findChild(QPrintPreviewWidget)
    assert preview is not None
    preview.updatePreview()
    assert preview.pageCount() == len(page_sizes(roster))
    assert preview.orientation() == QPageLayout.Orientation.Landscape
    assert dialogs.messages == []


def test_a_broken_pdf_is_a_message_not_a_crash(qtbot: QtBot) -> None:
    with pytest.raises(PrintingError):
        PdfPrintout(b"%PDF-1.4 not really", "x")
    dialogs = ScriptedDialogs()
    show_print_preview(None, b"garbage", "受理回执", dialogs)
    assert dialogs.messages[0][0] == "error" and "PDF" in dialogs.messages[0][2]


def test_a_landscape_page_is_turned_onto_portrait_paper(qtbot: QtBot) -> None:
    page = QImage(200, 100, QImage.Format.Format_Grayscale8)
    page.fill(QColor("white"))
    QPainter(page).fillRect(0, 0, 100, 100, QColor("black"))  # the page's left half is black
    paper = QImage(100, 200, QImage.Format.Format_Grayscale8)
    paper.fill(QColor("white"))
    painter = QPainter(paper)
    draw_page(painter, QRectF(0, 0, 100, 200), page, PageSize(200, 100))
    painter.end()
    assert paper.pixelColor(50, 50).value() < 64  # turned clockwise: the left half is on top
    assert paper.pixelColor(50, 150).value() > 192


def test_the_preview_lowers_its_resolution_for_long_documents() -> None:
    a4 = PageSize(*A4)
    assert preview_dpi([a4]) == 150
    assert 80 < preview_dpi([a4] * 53) < 100  # a 1,000-row roster stays within the memory budget
    assert preview_dpi([a4] * 1000) == 72  # but stays readable
