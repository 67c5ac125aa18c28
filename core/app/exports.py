"""The lists to Excel: the case list as shown (search, filters, sort), persons, organisations.

Each export reads its rows on one reader connection, streams them into typed cells
(core/spreadsheet.py), writes the file atomically and records who exported what in the audit
trail: these sheets carry full ID numbers and bank accounts. `progress` may raise `Cancelled`;
then nothing is written and nothing recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from core.actor import Actor
from core.app.base import unit_of_work
from core.cases.query import CaseFilter, SortKey, count_cases
from core.db import Database
from core.packages.county_query import CountyCaseFilter
from core.spreadsheet import ProgressFn, Sheet, write_xlsx


@dataclass(frozen=True)
class ListExport:
    path: Path
    rows: int


def export_case_list(
    db: Database,
    actor: Actor,
    *,
    filter: CaseFilter,
    sort: SortKey,
    descending: bool,
    target: Path,
    progress: ProgressFn | None = None,
) -> ListExport:
    """The case list exactly as the screen shows it, every row, with the 合计 of the amounts."""
    from core.cases.query import iter_cases_full
    from core.packages.roster import subsidy_names
    from core.printing.list_xlsx import case_sheet

    actor.audit_name  # noqa: B018 - an unnamed operator is refused before the work begins
    names = subsidy_names()
    with db.reader() as conn:
        count = count_cases(conn, filter)
        rows = iter_cases_full(conn, filter, sort, descending)
        sheet = case_sheet(rows, count, lambda c, s: names.get((c, s), s), _title("案件列表"))
        data = write_xlsx([sheet], progress)
    return _save(db, actor, "case_list", data, target, count)


def export_persons(
    db: Database, actor: Actor, *, text: str, target: Path, progress: ProgressFn | None = None
) -> ListExport:
    """The persons the applicant list's search finds, with full ID numbers and accounts."""
    from core.applicant_query import count_persons, iter_persons_full
    from core.printing.list_xlsx import person_sheet

    actor.audit_name  # noqa: B018
    with db.reader() as conn:
        count = count_persons(conn, text)
        data = write_xlsx([person_sheet(iter_persons_full(conn, text), count, _title("人员名单"))], progress)
    return _save(db, actor, "person_list", data, target, count)


def export_organisations(
    db: Database, actor: Actor, *, text: str, target: Path, progress: ProgressFn | None = None
) -> ListExport:
    from core.applicant_query import count_organisations, iter_organisations_full
    from core.printing.list_xlsx import organisation_sheet

    actor.audit_name  # noqa: B018
    with db.reader() as conn:
        count = count_organisations(conn, text)
        rows = iter_organisations_full(conn, text)
        data = write_xlsx([organisation_sheet(rows, count, _title("单位名单"))], progress)
    return _save(db, actor, "organisation_list", data, target, count)


def export_county_cases(
    db: Database,
    actor: Actor,
    *,
    filter: CountyCaseFilter,
    target: Path,
    progress: ProgressFn | None = None,
) -> ListExport:
    """The county's list of imported cases as its screen shows it (office, decision, duplicates)."""
    from core.actor import Station
    from core.app.statistics import office_names, subsidy_names_by_id
    from core.packages.county_query import count_county_cases, iter_county_cases_full
    from core.packages.decisions import DECISION_LABELS
    from core.printing.list_xlsx import county_sheet

    actor.require_station(Station.COUNTY, "导出县局案件列表")
    names = subsidy_names_by_id()
    with db.reader() as conn:
        count = count_county_cases(conn, filter)
        offices = office_names(conn)
        sheet = county_sheet(
            iter_county_cases_full(conn, filter), count, lambda _c, s: names.get(s, s),
            lambda code: offices.get(code) or code, lambda st: DECISION_LABELS.get(st, st), _title("县局案件列表"),
        )  # fmt: skip
        data = write_xlsx([sheet], progress)
    return _save(db, actor, "county_case_list", data, target, count)


def export_sheets(
    db: Database, actor: Actor, *, what: str, sheets: list[Sheet], target: Path, rows: int
) -> ListExport:
    """Write prepared sheets (a statistics table, the payment summary) and record the export."""
    actor.audit_name  # noqa: B018
    return _save(db, actor, what, write_xlsx(sheets), target, rows)


def _title(what: str) -> str:
    return f"{what}（导出于{dt.date.today():%Y年%m月%d日}）"


def _save(db: Database, actor: Actor, what: str, data: bytes, target: Path, rows: int) -> ListExport:
    from core import audit

    with unit_of_work(db) as s:
        write_file(target, data)
        audit.record(s, actor.audit_name, "export_xlsx", "export", what, {"rows": rows, "file": target.name})
    return ListExport(target, rows)


def write_file(target: Path, data: bytes) -> None:
    """Write atomically; a missing folder, a full or write-protected stick is told in Chinese."""
    from core.errors import SubsidyDeskError
    from core.files import write_atomically

    if not target.parent.is_dir():
        raise SubsidyDeskError(
            "EXPORT_FOLDER_MISSING", f"找不到文件夹 {target.parent}，请检查U盘是否插好，或重新选择保存位置。"
        )
    try:
        write_atomically(target, data)
    except PermissionError as exc:
        raise SubsidyDeskError(
            "EXPORT_WRITE_DENIED",
            f"无法写入 {target.name}：文件可能正在Excel中打开，或文件夹不允许写入。请关闭该文件或换一个位置再试。",
        ) from exc
    except OSError as exc:
        raise SubsidyDeskError(
            "EXPORT_WRITE_FAILED", f"无法写入 {target.name}：磁盘可能已满或U盘已拔出。请换一个位置再试。"
        ) from exc
