"""The exported sheets read by another program: LibreOffice headless converts them to CSV, and the
ID numbers arrive as the 18 characters they are (never 6.10328E+17), dates as dates and amounts
with their two decimals. LibreOffice is installed by packaging/bootstrap.sh (libreoffice-calc)."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

from core.actor import Actor
from core.app.exports import export_case_list, export_persons
from core.cases.query import CaseFilter, SortKey, iter_cases_full
from core.db.models import Office
from core.printing.service import render_roster
from tests.printing.conftest import Printing
from tests.printing.sample import add_roster_cases


def to_csv(xlsx: Path, tmp_path: Path) -> list[list[str]]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is missing: run packaging/bootstrap.sh as root"
    out = tmp_path / "csv"
    profile = (tmp_path / "lo-profile").as_uri()  # its own profile: tests may run side by side
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(out), str(xlsx)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    with (out / (xlsx.stem + ".csv")).open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_case_list_and_persons_survive_libreoffice(printing: Printing, tmp_path: Path) -> None:
    with printing.db.session() as s:
        office = s.get(Office, printing.office_id)
        assert office is not None
        roster_ids = add_roster_cases(s, office, 30)
        s.commit()
    clerk = Actor("张会计")
    cases = tmp_path / "cases.xlsx"
    export_case_list(
        printing.db, clerk, filter=CaseFilter(), sort=SortKey.CASE_NUMBER, descending=False, target=cases
    )
    with printing.db.reader() as conn:
        expected = list(iter_cases_full(conn, CaseFilter(), SortKey.CASE_NUMBER, False))
    rows = to_csv(cases, tmp_path)
    top = rows.index(
        [
            "受理编号",
            "申请人",
            "身份证号/统一社会信用代码",
            "村",
            "补贴项目",
            "申请日期",
            "状态",
            "金额（元）",
        ]
    )
    body = rows[top + 1 : top + 1 + len(expected)]
    assert [r[2] for r in body] == [e.applicant_key_masked for e in expected]
    assert all(len(r[2]) == 18 and "E+" not in r[2] for r in body)
    assert [r[5] for r in body] == [e.application_date.isoformat() for e in expected]
    assert [r[7] for r in body] == [
        f"{(e.amount_fen or 0) / 100:.2f}" if e.amount_fen is not None else "" for e in expected
    ]
    assert rows[top + 1 + len(expected)][0] == "合计"

    persons = tmp_path / "persons.xlsx"
    export_persons(printing.db, clerk, text="", target=persons)
    people = to_csv(persons, tmp_path)
    top = next(i for i, r in enumerate(people) if r[:2] == ["姓名", "身份证号"])
    assert all(len(r[1]) == 18 and r[1][:6] == "610328" for r in people[top + 1 :])
    assert all(r[8] == "6217995230012345678" for r in people[top + 1 :])  # 19 digits, all kept

    roster = tmp_path / "roster.xlsx"
    with printing.db.session() as s:
        roster.write_bytes(render_roster(s, roster_ids, "xlsx"))
    printed = to_csv(roster, tmp_path)
    top = next(i for i, r in enumerate(printed) if r[:4] == ["序号", "姓名", "性别", "身份证号"])
    assert all(len(r[3]) == 18 and "E+" not in r[3] for r in printed[top + 1 : top + 31])
