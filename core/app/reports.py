"""Printed documents: a case's 申请表, 受理回执 and 一次性告知书, and rosters (花名册, 公示).

Preparing reads the database (quick; on the caller's thread) into frozen records; drawing,
which takes seconds for a 1,000-row roster, is the returned `render`, safe to run on a worker
because it touches neither the database nor the screen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from core.app.base import reading
from core.db import Database
from core.ids import CaseId


@dataclass(frozen=True)
class PreparedDocument:
    file_name: str  # 受理回执_2024-000007.pdf
    title: str  # 受理回执
    render: Callable[[], bytes]


@dataclass(frozen=True)
class PreparedRoster:
    title: str  # 花名册 or 公示名单, as printed
    rows: int
    render: Callable[[str], bytes]  # "pdf" or "xlsx"


def warm_up_printing() -> None:
    """Load what the first printed document of a session needs (font, ReportLab); for a worker."""
    from core.printing.fonts import warm_up

    warm_up()


def prepare_case_document(
    db: Database, *, kind: str, case_id: CaseId, today: dt.date | None = None
) -> PreparedDocument:
    """Refused (PrintingError) when the case cannot have this document, e.g. a receipt before 受理."""
    from core.printing.data import load_case_sheet
    from core.printing.service import CASE_DOCUMENTS, check_printable, render_sheet, suggested_name

    with reading(db) as s:
        sheet = load_case_sheet(s, case_id, today)
    check_printable(kind, sheet)
    return PreparedDocument(
        suggested_name(kind, sheet.case_number, case_id),
        CASE_DOCUMENTS.get(kind, kind),
        lambda: render_sheet(kind, sheet),
    )


def find_case(db: Database, *, ref: str) -> CaseId:
    """A case by its number in the list or by its 受理编号."""
    from core.printing.data import resolve_case

    with reading(db) as s:
        return CaseId(resolve_case(s, ref))


def prepare_roster(
    db: Database,
    *,
    case_ids: Sequence[CaseId],
    public: bool = False,
    batch_label: str = "",
    today: dt.date | None = None,
) -> PreparedRoster:
    """The 花名册 (or, with `public`, the 公示 list with masked ID numbers) of cases of one subsidy."""
    from core.printing.data import load_roster
    from core.printing.service import render_roster_document

    with reading(db) as s:
        roster = load_roster(s, list(case_ids), batch_label, public, today)
    return PreparedRoster(
        roster.document_title, len(roster.rows), lambda fmt: render_roster_document(roster, fmt)
    )
