"""The roster (花名册) inside a batch.

roster/roster.xlsx lists every case of the batch (built here, always present). Through
core.printing, each subsidy also gets its printed roster as PDF and xlsx (a printed roster
lists one subsidy). Those need a Chinese font and a known catalog; when core.printing cannot
draw them, the batch still goes with roster.xlsx and the header's notes say why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from core.db.models import Case
from core.errors import SubsidyDeskError
from core.spreadsheet import CellKind, Sheet, SheetColumn, write_xlsx

# Typed cells (core/spreadsheet.py): the application date is an Excel date and the amount a
# number of 元, so that the county's SUM and sort work; ID numbers and case numbers are text.
_COLUMNS = (
    SheetColumn("序号", CellKind.INT, 6),
    SheetColumn("案件编号", CellKind.TEXT, 16),
    SheetColumn("申请人", CellKind.TEXT, 14),
    SheetColumn("身份证号/统一社会信用代码", CellKind.TEXT, 22),
    SheetColumn("户籍村/所在镇", CellKind.TEXT, 14),
    SheetColumn("补贴项目", CellKind.TEXT, 30),
    SheetColumn("申请日期", CellKind.DATE, 12),
    SheetColumn("金额（元）", CellKind.MONEY, 13),
)


@dataclass
class RosterFiles:
    """Roster members (name -> bytes) and notes on anything that could not be produced."""

    members: dict[str, bytes] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def subsidy_names() -> dict[tuple[str, str], str]:
    try:
        from core.policy.service import catalogs_by_id

        catalogs = catalogs_by_id()
    except (SubsidyDeskError, OSError):
        return {}
    return {(cid, s.id): s.name for cid, cat in catalogs.items() for s in cat.subsidies}


def _row(index: int, case: Case, names: dict[tuple[str, str], str]) -> list[object]:
    if case.person is not None:
        who, number, place = case.person.name, case.person.id_number, case.person.registered_village
    else:
        assert case.organisation is not None
        who, number, place = case.organisation.name, case.organisation.uscc, case.organisation.town
    subsidy = names.get((case.catalog_id, case.subsidy_id), case.subsidy_id)
    return [
        index,
        case.case_number or "",
        who,
        number,
        place,
        subsidy,
        case.application_date,
        case.amount_fen or 0,
    ]


def roster_xlsx(cases: Sequence[Case], title: str) -> bytes:
    names = subsidy_names()
    total = sum(c.amount_fen or 0 for c in cases)
    sheet = Sheet(
        "花名册",
        _COLUMNS,
        (_row(index, case, names) for index, case in enumerate(cases, start=1)),
        title=title,
        footer=[["合计", "", f"{len(cases)}件", "", "", "", None, total]],
    )
    return write_xlsx([sheet])


def subsidy_groups(cases: Sequence[Case]) -> dict[tuple[str, str], list[Case]]:
    """The cases of each (catalog, subsidy): a printed roster lists one subsidy."""
    groups: dict[tuple[str, str], list[Case]] = {}
    for case in cases:
        groups.setdefault((case.catalog_id, case.subsidy_id), []).append(case)
    return groups


def printed_rosters(
    cases: Sequence[Case], office_name: str, batch_label: str, step: Callable[[], None] | None = None
) -> RosterFiles:
    """The printed roster of each subsidy, as PDF and xlsx, via core.printing; `step` after each."""
    files = RosterFiles()
    try:
        from core.printing.data import roster_from_cases
        from core.printing.roster_pdf import render_roster_pdf
        from core.printing.roster_xlsx import render_roster_xlsx
        from core.printing.sheets import OfficeInfo
    except ImportError:
        files.notes.append("本程序版本不能生成PDF花名册，已附xlsx花名册。")
        return files
    for (catalog_id, subsidy_id), group in sorted(subsidy_groups(cases).items()):
        try:
            roster = roster_from_cases(group, OfficeInfo(office_name), batch_label)
            stem = f"roster/roster-{catalog_id}-{subsidy_id}"
            files.members[f"{stem}.pdf"] = render_roster_pdf(roster)
            files.members[f"{stem}.xlsx"] = render_roster_xlsx(roster)
        except SubsidyDeskError as exc:
            files.notes.append(f"{subsidy_id} 的打印版花名册未能生成：{exc.message_zh}")
        if step:
            step()
    return files
