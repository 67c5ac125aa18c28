"""Any file handed in as a roster is read or refused with a Chinese message; nothing crashes.

Damaged workbooks (random bytes, cut files, broken zip members and XML), a chart sheet first,
password-protected files, huge sheet dimensions, 10,000 rows. A crash is any exception other
than SubsidyDeskError. `bench/fuzz_roster.py` runs the same mutations thousands of times.
"""

from __future__ import annotations

import io
import random
import zipfile
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.chart import BarChart, Reference

from core.cases.roster import read_roster
from core.errors import SubsidyDeskError
from core.identity.id_number import check_character
from core.policy.service import get_catalog
from tests.cases.roster_mutations import mutate

JOB_PLACEMENT = get_catalog("qianyang-2021").subsidy("job_placement")
assert JOB_PLACEMENT is not None
HEADER = ["序号", "姓名", "身份证号", "人员类别", "与用人单位或劳务派遣公司签订的劳动合同期限（个月）"]


def pid(seq: int) -> str:
    first17 = f"61032819900101{seq % 1000:03d}"
    return first17 + check_character(first17)


def workbook(rows: list[list[Any]], before: Any = None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    if before is not None:
        before(wb)
        ws = wb.create_sheet("花名册")
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


GOOD = workbook([HEADER, [1, "张伟", pid(1), "脱贫人口", 24], [2, "李娜", pid(2), "脱贫人口", 12]])


def read_or_refuse(data: bytes) -> None:
    try:
        read_roster(data, JOB_PLACEMENT)
    except SubsidyDeskError as exc:
        assert exc.message_zh and not any(w in exc.message_zh for w in ("Traceback", "Error"))


def test_the_good_file_reads() -> None:
    assert read_roster(GOOD, JOB_PLACEMENT).counts.valid == 2


@pytest.mark.parametrize("seed", range(300))
def test_a_damaged_workbook_is_read_or_refused(seed: int) -> None:
    read_or_refuse(mutate(GOOD, random.Random(seed)))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=4000))
def test_random_bytes_are_refused(data: bytes) -> None:
    read_or_refuse(data)


def test_a_chart_sheet_first_does_not_hide_the_roster() -> None:
    def chart_first(wb: openpyxl.Workbook) -> None:
        data = wb.active
        for i in range(3):
            data.append([i, i * 2])
        chart = BarChart()
        chart.add_data(Reference(data, min_col=2, min_row=1, max_row=3))
        sheet = wb.create_chartsheet("图表", 0)
        sheet.add_chart(chart)

    data = workbook([HEADER, [1, "张伟", pid(1), "脱贫人口", 24]], before=chart_first)
    read_or_refuse(data)


def test_a_password_protected_file_says_so() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096)  # how Office stores an encrypted .xlsx
    with pytest.raises(SubsidyDeskError) as info:
        read_roster(ole, JOB_PLACEMENT)
    assert info.value.code == "ROSTER_FILE" and "密码" in info.value.message_zh


def test_a_huge_sheet_dimension_is_not_read_cell_by_cell() -> None:
    data = zipfile.ZipFile(io.BytesIO(GOOD))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in data.infolist():
            body = data.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b'<dimension ref="A1:E3"/>', b'<dimension ref="A1:XFD1048576"/>')
                body = body.replace(
                    b"</sheetData>",
                    b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>',
                )
            z.writestr(item, body)
    result = read_roster(out.getvalue(), JOB_PLACEMENT)
    assert result.counts.valid == 2


def test_ten_thousand_rows_are_read() -> None:
    rows = [HEADER] + [[i, f"工人{i}", pid(i), "脱贫人口", 24] for i in range(1, 10_001)]
    result = read_roster(workbook(rows), JOB_PLACEMENT)
    assert result.counts.total == 10_000  # duplicates of the 1,000 ID numbers are reported, not fatal


def test_more_rows_than_a_roster_can_hold_are_refused_with_the_limit() -> None:
    from core.cases.roster.reading import MAX_ROSTER_ROWS

    rows = [HEADER] + [[i, "工人", pid(i), "脱贫人口", 24] for i in range(1, MAX_ROSTER_ROWS + 2)]
    with pytest.raises(SubsidyDeskError) as info:
        read_roster(workbook(rows), JOB_PLACEMENT)
    assert info.value.code == "ROSTER_TOO_LONG" and str(MAX_ROSTER_ROWS) in info.value.message_zh
