"""What the GUI and the command line call: render one document of a case, or a roster.

Renderers are imported inside the functions: ReportLab and openpyxl load on the first print,
not when the window opens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from sqlalchemy.orm import Session

from core.cases.states import CaseStatus, status_label
from core.printing.data import load_case_sheet, load_roster
from core.printing.errors import PrintingError
from core.printing.sheets import CaseSheet, Roster

CaseDocument = Literal["form", "receipt", "notice", "refusal", "review_failed"]
CASE_DOCUMENTS: dict[str, str] = {
    "form": "申请表",
    "receipt": "受理回执",
    "notice": "一次性告知书",
    "refusal": "不予受理告知书",
    "review_failed": "初审不通过告知书",
}
# A receipt says "已受理": it cannot be printed for a case the office has not accepted.
NOT_ACCEPTED = {CaseStatus.DRAFT, CaseStatus.PENDING_MATERIALS, CaseStatus.WITHDRAWN}
# A refusal is told before acceptance, and may be printed again once the refused case is withdrawn.
REFUSABLE = NOT_ACCEPTED


def check_printable(kind: str, sheet: CaseSheet) -> None:
    if kind not in CASE_DOCUMENTS:
        raise PrintingError(
            "PRINT_UNKNOWN_KIND", f"不认识的文书类型“{kind}”，可选：{'、'.join(CASE_DOCUMENTS.values())}。"
        )
    if kind == "receipt" and (sheet.status in NOT_ACCEPTED or not sheet.case_number):
        raise PrintingError(
            "PRINT_NOT_ACCEPTED",
            f"案件当前状态为“{status_label(sheet.status)}”，尚未受理，不能打印受理回执。"
            "材料不齐的，请打印一次性告知书；受理后再打印回执。",
        )
    if kind == "notice" and not sheet.missing:
        raise PrintingError("PRINT_NOTHING_MISSING", "该案件的申请材料已齐全，不需要打印一次性告知书。")
    if kind == "refusal":
        _check_refusal(sheet)
    if kind == "review_failed" and (sheet.status != CaseStatus.REVIEW_FAILED or not sheet.review_note):
        raise PrintingError(
            "PRINT_NOT_REVIEW_FAILED",
            f"案件当前状态为“{status_label(sheet.status)}”，只有初审未通过的案件可以打印初审不通过告知书。",
        )


def _check_refusal(sheet: CaseSheet) -> None:
    if sheet.status not in REFUSABLE:
        raise PrintingError(
            "PRINT_NOT_REFUSED",
            f"案件当前状态为“{status_label(sheet.status)}”，已经受理，不能打印不予受理告知书。",
        )
    if sheet.decision != "not_eligible" or not sheet.refusal_reasons:
        raise PrintingError(
            "PRINT_NOT_REFUSED",
            "该案件保存的核对结果不是“不符合条件”，不能打印不予受理告知书。",
        )


def render_sheet(kind: str, sheet: CaseSheet) -> bytes:
    check_printable(kind, sheet)
    if kind == "form":
        from core.printing.application_form import render_application_form

        return render_application_form(sheet)
    if kind == "receipt":
        from core.printing.receipt import render_receipt

        return render_receipt(sheet)
    if kind == "refusal":
        from core.printing.refusal import render_refusal

        return render_refusal(sheet)
    if kind == "review_failed":
        from core.printing.review_notice import render_review_failed

        return render_review_failed(sheet)
    from core.printing.notice import render_notice

    return render_notice(sheet)


def render_case_document(session: Session, kind: str, case_id: int, today: dt.date | None = None) -> bytes:
    """PDF bytes of one document of a case (CASE_DOCUMENTS)."""
    return render_sheet(kind, load_case_sheet(session, case_id, today))


def render_roster_document(roster: Roster, fmt: str = "pdf") -> bytes:
    if fmt == "xlsx":
        from core.printing.roster_xlsx import render_roster_xlsx

        return render_roster_xlsx(roster)
    from core.printing.roster_pdf import render_roster_pdf

    return render_roster_pdf(roster)


def render_roster(
    session: Session,
    case_ids: Sequence[int],
    fmt: str = "pdf",
    public: bool = False,
    batch_label: str = "",
    today: dt.date | None = None,
) -> bytes:
    """The 花名册 (or, with `public`, the 公示 list with masked ID numbers) as PDF or .xlsx bytes."""
    return render_roster_document(load_roster(session, case_ids, batch_label, public, today), fmt)


def suggested_name(kind: str, case_number: str, case_id: int) -> str:
    """A file name a clerk recognises: 受理回执_610328-2024-0007.pdf."""
    title = CASE_DOCUMENTS.get(kind, kind)
    return f"{title}_{case_number or f'案件{case_id}'}.pdf".replace("/", "-")
