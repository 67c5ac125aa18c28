"""The program's lists as .xlsx: the case list as shown (search, filters, sort), persons and
organisations. Typed cells (core/spreadsheet.py); the full ID number, credit code and bank
account as text, since the export is the office's own working copy (the list on screen masks).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from core.applicant_query import OrganisationListRow, PersonExportRow
from core.cases.query import CaseRow
from core.cases.states import status_label
from core.packages.county_query import CountyCaseRow
from core.spreadsheet import CellKind, Sheet, SheetColumn

SubsidyName = Callable[[str, str], str]

CASE_COLUMNS = (
    SheetColumn("受理编号", width=16),
    SheetColumn("申请人", width=16),
    SheetColumn("身份证号/统一社会信用代码", width=22),
    SheetColumn("村", width=12),
    SheetColumn("补贴项目", width=30),
    SheetColumn("申请日期", CellKind.DATE),
    SheetColumn("状态", width=12),
    SheetColumn("金额（元）", CellKind.MONEY),
)
PERSON_COLUMNS = (
    SheetColumn("姓名", width=10),
    SheetColumn("身份证号", width=22),
    SheetColumn("性别", width=6),
    SheetColumn("出生日期", CellKind.DATE),
    SheetColumn("户籍镇", width=12),
    SheetColumn("户籍村", width=12),
    SheetColumn("人员类别", width=30),
    SheetColumn("联系电话", width=14),
    SheetColumn("银行账号（社保卡号）", width=24),
)
ORGANISATION_COLUMNS = (
    SheetColumn("单位名称", width=30),
    SheetColumn("统一社会信用代码", width=22),
    SheetColumn("单位类型", width=16),
    SheetColumn("法定代表人", width=10),
    SheetColumn("所在镇", width=12),
    SheetColumn("联系电话", width=14),
    SheetColumn("开户银行", width=24),
    SheetColumn("银行账号", width=24),
)


def case_sheet(rows: Iterable[CaseRow], count: int, subsidy_name: SubsidyName, title: str) -> Sheet:
    """The case list; its 合计 row sums the amounts in fen."""
    total = [0]

    def shaped() -> Iterator[list[object]]:
        for r in rows:
            total[0] += r.amount_fen or 0
            yield [
                r.case_number or "（未受理）", r.applicant_name, r.applicant_key_masked, r.village,
                subsidy_name(r.catalog_id, r.subsidy_id), r.application_date, status_label(r.status), r.amount_fen,
            ]  # fmt: skip

    footer = lambda: [["合计", f"{count}件", "", "", "", None, "", total[0]]]  # noqa: E731 - after the rows
    return Sheet("案件", CASE_COLUMNS, shaped(), title=title, expected_rows=count, footer=footer)


def person_sheet(rows: Iterable[PersonExportRow], count: int, title: str) -> Sheet:
    shaped = (
        [r.name, r.id_number, r.sex, r.birth_date, r.registered_town, r.registered_village, r.categories,
         r.phone, r.account_number]
        for r in rows
    )  # fmt: skip
    return Sheet("人员", PERSON_COLUMNS, shaped, title=title, expected_rows=count)


def organisation_sheet(rows: Iterable[tuple[OrganisationListRow, str, str]], count: int, title: str) -> Sheet:
    shaped = (
        [o.name, o.uscc, o.org_type, o.legal_representative, o.town, o.phone, bank, account]
        for o, bank, account in rows
    )
    return Sheet("单位", ORGANISATION_COLUMNS, shaped, title=title, expected_rows=count)


COUNTY_COLUMNS = (
    SheetColumn("乡镇（事务所）", width=26),
    SheetColumn("案件编号", width=16),
    SheetColumn("申请人", width=16),
    SheetColumn("身份证号/统一社会信用代码", width=22),
    SheetColumn("补贴项目", width=30),
    SheetColumn("申报金额（元）", CellKind.MONEY, 14),
    SheetColumn("状态", width=10),
    SheetColumn("核定金额（元）", CellKind.MONEY, 14),
    SheetColumn("拨付金额（元）", CellKind.MONEY, 14),
    SheetColumn("拨付日期", CellKind.DATE),
    SheetColumn("理由或说明", width=30),
)


def county_sheet(
    rows: Iterable[CountyCaseRow],
    count: int,
    subsidy_name: SubsidyName,
    office: Callable[[str], str],
    status: Callable[[str], str],
    title: str,
) -> Sheet:
    """The county's list of imported cases; the 合计 sums what was asked, approved and paid."""
    sums = [0, 0, 0]

    def shaped() -> Iterator[list[object]]:
        for r in rows:
            sums[0] += r.amount_fen
            sums[1] += r.approved_fen or 0
            sums[2] += r.paid_fen or 0
            yield [
                office(r.office_code), r.case_number, r.applicant_name, r.id_masked,
                subsidy_name(r.catalog_id, r.subsidy_id), r.amount_fen, status(r.status), r.approved_fen,
                r.paid_fen, r.paid_on, r.reason,
            ]  # fmt: skip

    def footer() -> list[list[object]]:
        return [["合计", f"{count}件", "", "", "", sums[0], "", sums[1], sums[2], None, ""]]

    return Sheet("县局案件", COUNTY_COLUMNS, shaped(), title=title, expected_rows=count, footer=footer)
