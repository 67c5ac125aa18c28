"""Printed documents: 申请表, 受理回执, 一次性告知书, 花名册 / 公示名单 (issue 5).

Importing this package is cheap: ReportLab and openpyxl are imported only inside the
modules that draw a document, so the window starts without them. `service.render_case_document`
and `service.render_roster` are the entry points for the GUI and the command line.
"""

from __future__ import annotations

from core.printing.errors import PrintingError

__all__ = ["PrintingError"]
