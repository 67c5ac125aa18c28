"""Exporting the case list as shown, the persons and the organisations to .xlsx (core/app/exports.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from core.actor import Actor
from core.app.exports import export_case_list, export_organisations, export_persons
from core.cases.query import CaseFilter, SortKey, fetch_cases
from core.db.models import AuditEvent, Case, Office, Organisation, Person
from core.errors import Cancelled, SubsidyDeskError
from tests.printing.conftest import Printing
from tests.printing.sample import add_roster_cases
from tests.spreadsheets.readback import (
    assert_date,
    assert_frozen_header,
    assert_money,
    assert_text,
    column,
    header_row,
    sheet,
)

CLERK = Actor("张会计")


@pytest.fixture(autouse=True)
def _both_backends(backend: str) -> str:
    """The exports list the same rows from a file and from a PostgreSQL server (tests/conftest.py)."""
    return backend


@pytest.fixture
def many(printing: Printing) -> Printing:
    with printing.db.session() as s:
        office = s.get(Office, printing.office_id)
        assert office is not None
        add_roster_cases(s, office, 700)
        s.add(
            Organisation(
                name="千阳县宏达劳务派遣有限公司", uscc="91610328MA6X8C7A1K", org_type="hr_agency",
                legal_representative="周海", town="城关镇", bank_name="千阳县农村信用社",
                bank_account="2701000123456789012",
            )
        )  # fmt: skip
        s.commit()
    return printing


def exports(printing: Printing) -> list[AuditEvent]:
    with printing.db.session() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == "export_xlsx")))


def test_the_case_list_is_exported_as_shown(many: Printing, tmp_path: Path) -> None:
    shown = CaseFilter(village="东街村")
    target = tmp_path / "案件.xlsx"
    result = export_case_list(
        many.db, CLERK, filter=shown, sort=SortKey.AMOUNT, descending=False, target=target
    )
    with many.db.reader() as conn:
        listed = fetch_cases(conn, shown, SortKey.AMOUNT, False, 0, 10_000)
    with many.db.session() as s:
        full_ids = {c.id: c.person.id_number for c in s.scalars(select(Case)) if c.person}
    assert result.rows == len(listed) > 50
    ws = sheet(target.read_bytes())
    top = header_row(ws, ["受理编号", "申请人"])
    assert_frozen_header(ws, top)
    numbers = column(ws, "受理编号", top)[:-1]
    assert [c.value for c in numbers] == [r.case_number or "（未受理）" for r in listed]
    ids = column(ws, "身份证号/统一社会信用代码", top)[:-1]
    for cell in ids + numbers:
        assert_text(cell)
    assert [c.value for c in ids] == [full_ids[r.id] for r in listed]
    assert [assert_date(c) for c in column(ws, "申请日期", top)[:-1]] == [r.application_date for r in listed]
    money = column(ws, "金额（元）", top)
    fen = [assert_money(c) for c in money[:-1]]
    assert fen == [r.amount_fen for r in listed] and fen == sorted(fen)
    assert assert_money(money[-1]) == sum(fen)
    assert ws.cell(row=ws.max_row, column=1).value == "合计"
    assert [e.entity_key for e in exports(many)] == ["case_list"]
    assert exports(many)[0].changes == {"rows": len(listed), "file": "案件.xlsx"}


def test_a_cancelled_export_writes_and_records_nothing(many: Printing, tmp_path: Path) -> None:
    def cancel(_stage: str, done: int, _total: int) -> None:
        if done >= 500:
            raise Cancelled

    target = tmp_path / "案件.xlsx"
    with pytest.raises(Cancelled):
        export_case_list(
            many.db, CLERK, filter=CaseFilter(), sort=SortKey.APPLICATION_DATE, descending=True,
            target=target, progress=cancel,
        )  # fmt: skip
    assert not target.exists() and [p.name for p in tmp_path.iterdir()] == ["data"] and exports(many) == []


def test_persons_with_full_ids_accounts_and_birth_dates(many: Printing, tmp_path: Path) -> None:
    target = tmp_path / "人员.xlsx"
    result = export_persons(many.db, CLERK, text="", target=target)
    with many.db.session() as s:
        people = {p.id_number: p for p in s.scalars(select(Person))}
    ws = sheet(target.read_bytes())
    top = header_row(ws, ["姓名", "身份证号"])
    ids = column(ws, "身份证号", top)
    accounts = column(ws, "银行账号（社保卡号）", top)
    assert result.rows == len(people) == len(ids)
    for cell in ids + accounts:
        assert_text(cell)
    for id_cell, birth, account in zip(ids, column(ws, "出生日期", top), accounts, strict=True):
        person = people[id_cell.value]
        assert assert_date(birth) == person.birth_date and account.value == person.account_number


def test_organisations_with_codes_and_accounts_as_text(many: Printing, tmp_path: Path) -> None:
    target = tmp_path / "单位.xlsx"
    assert export_organisations(many.db, CLERK, text="宏达", target=target).rows == 1
    ws = sheet(target.read_bytes())
    top = header_row(ws, ["单位名称", "统一社会信用代码"])
    code, account = column(ws, "统一社会信用代码", top)[0], column(ws, "银行账号", top)[0]
    assert_text(code)
    assert_text(account)
    assert (code.value, account.value) == ("91610328MA6X8C7A1K", "2701000123456789012")
    assert column(ws, "单位类型", top)[0].value == "人力资源服务机构"


def test_an_unnamed_operator_may_not_export(many: Printing, tmp_path: Path) -> None:
    with pytest.raises(SubsidyDeskError) as err:
        export_persons(many.db, Actor(""), text="", target=tmp_path / "x.xlsx")
    assert err.value.code == "ACTOR_UNNAMED" and not (tmp_path / "x.xlsx").exists()


def test_a_missing_folder_is_told_in_chinese(many: Printing, tmp_path: Path) -> None:
    with pytest.raises(SubsidyDeskError) as err:
        export_persons(many.db, CLERK, text="", target=tmp_path / "U盘" / "x.xlsx")
    assert err.value.code == "EXPORT_FOLDER_MISSING" and "U盘" in err.value.message_zh
    assert exports(many) == []
