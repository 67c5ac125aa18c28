"""Worker rosters (花名册) of organisation cases: template, import with checks, storage, assessment.

Rules quoted from the Qianyang catalog, 千人社发〔2021〕141号《切实加强就业帮扶巩固拓展脱贫攻坚成果
助力乡村振兴的实施办法》(resources/policies/qianyang-2021.json).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import audit
from core.applicants import OrganisationInput, create_organisation
from core.cases import intake
from core.cases.intake import MaterialState
from core.cases.roster import (
    SCIENTIFIC_HINT,
    claims_for,
    read_roster,
    roster_template,
    set_roster,
    year_claims,
)
from core.db.models import Case, CaseBeneficiary
from core.errors import SubsidyDeskError
from core.identity.id_number import check_character
from core.identity.uscc import uscc_check_character
from core.policy import model as m
from core.policy.service import get_catalog

CATALOG = get_catalog("qianyang-2021")
JOB_PLACEMENT = CATALOG.subsidy("job_placement")
BASE_AWARD = CATALOG.subsidy("assistance_base_award")
assert JOB_PLACEMENT is not None and BASE_AWARD is not None

CONTRACT = "与用人单位或劳务派遣公司签订的劳动合同期限（个月）"
HEADER = ["序号", "姓名", "身份证号", "人员类别", CONTRACT]
BASE_HEADER = ["序号", "姓名", "身份证号", "人员类别", "是否新吸纳就业", "劳动合同或劳务协议期限（个月）"]


def pid(seq: int, birth: str = "19900101") -> str:
    """A valid ID number of 千阳县 (610328) with the given sequence code."""
    first17 = f"610328{birth}{seq:03d}"
    return first17 + check_character(first17)


def xlsx(tmp_path: Path, rows: list[list[Any]], name: str = "roster.xlsx") -> bytes:
    """A real .xlsx file on disk, built cell by cell as a person would type it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    path = tmp_path / name
    wb.save(path)
    return path.read_bytes()


def with_exact_integers(data: bytes, numbers: list[str]) -> bytes:
    """Rewrite numeric cells as exact 18-digit integers, as some generators write them.

    openpyxl itself writes a Python int this large as a float; the cell holds `float(n)` first.
    """
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                for n in numbers:
                    body = body.replace(f"<v>{float(n)!r}</v>".encode(), f"<v>{n}</v>".encode())
            dst.writestr(item, body)
    return out.getvalue()


def found(result: Any) -> set[tuple[int, str, str]]:
    return {(p.row_number, p.column, p.code) for p in result.problems}


# ---------------------------------------------------------------- template


def test_template_has_chinese_columns_text_ids_and_instructions(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    path.write_bytes(roster_template(JOB_PLACEMENT))
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == HEADER
    assert ws["C2"].number_format == "@" and ws["C400"].number_format == "@"
    assert ws.column_dimensions["C"].number_format == "@"
    assert wb.sheetnames[1] == "填写说明"
    text = "\n".join(str(v) for row in wb["填写说明"].iter_rows(values_only=True) for v in row if v)
    # Only the categories of 职业介绍补贴 (登记失业人员和农民工（含脱贫劳动力）), not every category.
    for label in ("登记失业人员", "农民工", "脱贫人口", "边缘易致贫人口"):
        assert label in text
    assert "退役军人" not in text
    assert "0个月至600个月" in text and "科学计数法" in text


def test_template_offers_yes_no_for_bool_facts() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(roster_template(BASE_AWARD)))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == BASE_HEADER
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists == ['"是,否"']
    text = "\n".join(str(v) for row in wb["填写说明"].iter_rows(values_only=True) for v in row if v)
    assert "至少10人" in text


def test_filled_template_imports(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(roster_template(JOB_PLACEMENT)))
    ws = wb.worksheets[0]
    for i, (name, cat, months) in enumerate([("张三", "脱贫人口", 12), ("李四", "农民工、登记失业人员", 36)]):
        for col, value in enumerate([i + 1, name, pid(11 + 2 * i), cat, months], start=1):
            ws.cell(row=2 + i, column=col, value=value)
    path = tmp_path / "filled.xlsx"
    wb.save(path)
    result = read_roster(path.read_bytes(), JOB_PLACEMENT, None)
    assert result.ok and result.problems == ()
    assert result.rows == (
        {
            "name": "张三",
            "id_number": pid(11),
            "categories": ["poverty_alleviated"],
            "facts": {"contract_months": 12},
        },
        {
            "name": "李四",
            "id_number": pid(13),
            "categories": ["migrant_worker", "unemployed_registered"],
            "facts": {"contract_months": 36},
        },
    )
    assert result.row_numbers == (2, 3)


# ---------------------------------------------------------------- reading


def test_clean_roster_with_loose_headers_imports(tmp_path: Path) -> None:
    """Columns in any order, spaces and half-width brackets in titles, a title row, blank rows."""
    data = xlsx(
        tmp_path,
        [
            ["千阳县某人力资源公司职业介绍补贴花名册"],
            ["备注", " 身份证号 ", "姓 名", "与用人单位或劳务派遣公司签订的劳动合同期限(个月)", "人员类别"],
            ["", pid(11), "王秀兰", 12, "脱贫人口"],
            [None, None, None, None, None],
            ["  ", "", " ", None, ""],
            ["外省", pid(13).lower(), " 赵 六 ", "24个月", "农民工，边缘户"],
        ],
    )
    result = read_roster(data, JOB_PLACEMENT, None)
    assert result.problems == ()
    assert result.row_numbers == (3, 6)
    assert [r["name"] for r in result.rows] == ["王秀兰", "赵 六"]
    assert result.rows[1]["categories"] == ["marginal_at_risk", "migrant_worker"]
    assert result.rows[1]["facts"] == {"contract_months": 24}
    assert result.ignored_columns == ("备注",)
    assert dataclasses.asdict(result.counts) == {
        "total": 2,
        "valid": 2,
        "rejected": 0,
        "errors": 0,
        "warnings": 0,
    }


def test_every_kind_of_problem_is_reported_with_its_row_and_column(tmp_path: Path) -> None:
    bad_check = pid(15)[:17] + ("0" if pid(15)[17] != "0" else "1")
    data = xlsx(
        tmp_path,
        [
            HEADER,
            [1, "张三", pid(11), "脱贫人口", 12],  # fine
            [2, "李四", bad_check, "脱贫人口", 12],  # check digit
            [3, "王五", "61032819900101", "农民工", 12],  # 14 characters
            [4, "", pid(17), "农民工", 12],  # no name
            [5, "赵六", pid(19), "贫困户", 12],  # not a category
            [6, "孙七", pid(21), "农民工", "十二"],  # not a number
            [7, "周八", pid(23), "农民工", 700],  # out of 0..600
            [8, "吴九", pid(25), "农民工", None],  # required fact missing
            [9, "郑十", pid(27), None, 12],  # category missing
            [10, "钱一", "6103281990A1011234", "农民工", 12],  # letters
            [11, "冯二", pid(29), "退役军人", 12],  # a category this subsidy does not cover
        ],
    )
    result = read_roster(data, JOB_PLACEMENT, None)
    assert found(result) == {
        (3, "身份证号", "ID_CHECKSUM"),
        (4, "身份证号", "ID_LENGTH"),
        (5, "姓名", "ROSTER_NAME_EMPTY"),
        (6, "人员类别", "ROSTER_CATEGORY_UNKNOWN"),
        (7, CONTRACT, "ROSTER_VALUE_TYPE"),
        (8, CONTRACT, "ROSTER_VALUE_RANGE"),
        (9, CONTRACT, "ROSTER_VALUE_EMPTY"),
        (10, "人员类别", "ROSTER_CATEGORY_EMPTY"),
        (11, "身份证号", "ID_CHARS"),
        (12, "人员类别", "ROSTER_CATEGORY_NOT_COVERED"),
    }
    assert [p.severity for p in result.problems].count("warning") == 1
    assert result.warnings[0].row_number == 12 and "评估时该人员将不计入" in result.warnings[0].message_zh
    assert [r["name"] for r in result.rows] == ["张三", "冯二"]  # the engine excludes 冯二, not the import
    assert (result.counts.total, result.counts.valid, result.counts.rejected) == (11, 2, 9)
    messages = {p.row_number: p.message_zh for p in result.problems}
    assert messages[3].startswith("第3行“身份证号”：") and "逐位核对" in messages[3]
    assert "“贫困户”" in messages[6] and "脱贫人口" in messages[6]
    assert "“十二”" in messages[7] and "整数" in messages[7]
    assert "0个月至600个月" in messages[8]
    assert messages[5] == "第5行“姓名”：姓名没有填写。请按身份证填写该人员的姓名。"


def test_duplicate_id_names_both_rows(tmp_path: Path) -> None:
    data = xlsx(
        tmp_path,
        [
            HEADER,
            [1, "张三", pid(11), "脱贫人口", 12],
            [2, "李四", pid(13), "农民工", 12],
            [3, "张三", " " + pid(11).lower() + " ", "脱贫人口", 24],
            [4, "李四", float(pid(13)), "农民工", 12],  # the same person again, as an exact number
        ],
    )
    result = read_roster(with_exact_integers(data, [pid(13)]), JOB_PLACEMENT, None)
    assert found(result) == {
        (2, "身份证号", "ROSTER_DUPLICATE_ID"),
        (4, "身份证号", "ROSTER_DUPLICATE_ID"),
        (3, "身份证号", "ROSTER_DUPLICATE_ID"),
        (5, "身份证号", "ROSTER_DUPLICATE_ID"),
    }
    for p in result.problems:
        if p.row_number in (2, 4):
            assert "第2行（张三）、第4行（张三）" in p.message_zh and "删除多余的行" in p.message_zh
    assert result.rows == () and result.counts.rejected == 4


def test_id_mangled_into_scientific_notation_is_explained(tmp_path: Path) -> None:
    """Excel keeps 15 digits: 610328199001011234 typed into a General cell becomes 6.10328199001011E+17."""
    number = pid(11)
    data = xlsx(
        tmp_path,
        [
            HEADER,
            [1, "张三", float(f"{int(number):.14e}"), "脱贫人口", 12],
            [2, "李四", "6.10328E+17", "脱贫人口", 12],
            [3, "王五", float(pid(13)), "脱贫人口", 12],  # a number that kept all 18 digits
        ],
    )
    data = with_exact_integers(data, [pid(13)])
    result = read_roster(data, JOB_PLACEMENT, None)
    assert found(result) == {(2, "身份证号", "ROSTER_ID_SCIENTIFIC"), (3, "身份证号", "ROSTER_ID_SCIENTIFIC")}
    for p in result.problems:
        assert SCIENTIFIC_HINT in p.message_zh
    assert "6.10328E+17" in result.problems[1].message_zh
    assert [r["id_number"] for r in result.rows] == [pid(13)]


def test_numeric_id_that_passes_the_check_digit_is_kept_with_a_warning(tmp_path: Path) -> None:
    """6.10328199001011E+17 may be a real ID ending in 000, or a rounded one: kept, but flagged."""
    number = next(
        n
        for day in range(1, 29)
        for seq in (100, 200, 300)
        if (n := pid(seq, f"199001{day:02d}")).endswith("000")
    )
    result = read_roster(
        xlsx(tmp_path, [HEADER, [1, "张三", float(number), "脱贫人口", 12]]), JOB_PLACEMENT, None
    )
    assert found(result) == {(2, "身份证号", "ROSTER_ID_NUMERIC")}
    assert result.problems[0].severity == "warning" and "对照身份证核对" in result.problems[0].message_zh
    assert [r["id_number"] for r in result.rows] == [number]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seq=st.integers(min_value=1, max_value=999),
    birth=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2005, 12, 31)),
)
def test_an_id_excel_rounded_is_never_taken_silently(tmp_path: Path, seq: int, birth: dt.date) -> None:
    number = pid(seq, birth.strftime("%Y%m%d"))
    row_text = [1, "张三", number, "脱贫人口", 12]
    result = read_roster(xlsx(tmp_path, [HEADER, row_text]), JOB_PLACEMENT, None)
    assert result.problems == () and result.rows[0]["id_number"] == number
    if number.endswith("X"):
        return  # Excel keeps an ID with X as text
    rounded = float(f"{int(number):.14e}")
    result = read_roster(xlsx(tmp_path, [HEADER, [1, "张三", rounded, "脱贫人口", 12]]), JOB_PLACEMENT, None)
    codes = {p.code for p in result.problems}
    assert codes in ({"ROSTER_ID_SCIENTIFIC"}, {"ROSTER_ID_NUMERIC"})
    if codes == {"ROSTER_ID_NUMERIC"}:  # the rounded number passes the check digit: kept, but flagged
        assert result.problems[0].severity == "warning" and len(result.rows) == 1


def _typed_subsidy() -> m.Subsidy:
    """job_placement with one beneficiary fact of every type, to check the conversions."""
    assert JOB_PLACEMENT.beneficiary is not None
    facts = (
        m.Fact("hired_on", "入职日期", "date"),
        m.Fact("insured", "是否参保", "bool"),
        m.Fact(
            "post", "岗位类型", "choice", choices=(m.Choice("full", "全职"), m.Choice("part", "非全日制"))
        ),
        m.Fact("wage", "月工资", "money", min=0, max=10_000_00),
        m.Fact("note", "备注", "text", max_length=4, required=False),
    )
    rule = dataclasses.replace(JOB_PLACEMENT.beneficiary, facts=facts)
    return dataclasses.replace(JOB_PLACEMENT, beneficiary=rule)


def test_dates_bools_choices_and_money_become_json_values(tmp_path: Path) -> None:
    subsidy = _typed_subsidy()
    header = ["姓名", "身份证号", "人员类别", "入职日期", "是否参保", "岗位类型", "月工资（元）", "备注"]
    data = xlsx(
        tmp_path,
        [
            header,
            ["甲", pid(11), "农民工", dt.datetime(2022, 1, 10), "是", "全职", 2500, None],
            ["乙", pid(13), "农民工", "2022/1/9", "否", "非全日制", "1,200.50元", "夜班"],
            ["丙", pid(15), "农民工", "2022年1月8日", True, "part", 1800.5, ""],
            ["丁", pid(17), "农民工", "2022-02-30", "也许", "兼职", 12.345, "太长的备注"],
            ["戊", pid(19), "农民工", 44571, "√", "全职", 3000, None],
            ["己", pid(21), "农民工", 20220112, "Y", "全职", 20000, None],
        ],
    )
    result = read_roster(data, subsidy, None)
    assert [r["facts"] for r in result.rows] == [
        {"hired_on": "2022-01-10", "insured": True, "post": "full", "wage": 250000},
        {"hired_on": "2022-01-09", "insured": False, "post": "part", "wage": 120050, "note": "夜班"},
        {"hired_on": "2022-01-08", "insured": True, "post": "part", "wage": 180050},
        # 44571 is 2022-01-10 as an Excel serial day (44562 = 2022-01-01), in a cell that lost its date format.
        {"hired_on": "2022-01-10", "insured": True, "post": "full", "wage": 300000},
    ]
    assert found(result) == {
        (5, "入职日期", "ROSTER_VALUE_TYPE"),
        (5, "是否参保", "ROSTER_VALUE_TYPE"),
        (5, "岗位类型", "ROSTER_VALUE_CHOICE"),
        (5, "月工资（元）", "ROSTER_VALUE_TYPE"),
        (5, "备注", "ROSTER_VALUE_TOO_LONG"),
        (7, "月工资（元）", "ROSTER_VALUE_RANGE"),
    }
    choice = next(p for p in result.problems if p.code == "ROSTER_VALUE_CHOICE")
    assert "全职、非全日制" in choice.message_zh
    assert "10000元" in next(p for p in result.problems if p.code == "ROSTER_VALUE_RANGE").message_zh


def test_missing_column_and_unreadable_files(tmp_path: Path) -> None:
    result = read_roster(xlsx(tmp_path, [["姓名", "身份证号"], ["张三", pid(11)]]), JOB_PLACEMENT, None)
    assert found(result) == {(1, "人员类别", "ROSTER_COLUMN_MISSING"), (1, CONTRACT, "ROSTER_COLUMN_MISSING")}
    assert not result.ok
    with pytest.raises(SubsidyDeskError) as info:
        read_roster(xlsx(tmp_path, [["名字", "号码"], ["张三", pid(11)]]), JOB_PLACEMENT, None)
    assert info.value.code == "ROSTER_NO_HEADER"
    with pytest.raises(SubsidyDeskError) as info:
        read_roster(b"\xd0\xcf\x11\xe0 an old .xls file", JOB_PLACEMENT, None)
    assert info.value.code == "ROSTER_FILE" and "另存为" in info.value.message_zh
    empty = read_roster(xlsx(tmp_path, [HEADER, [1, None, None, None, None]]), JOB_PLACEMENT, None)
    assert found(empty) == {(2, "姓名", "ROSTER_EMPTY")} and empty.counts.total == 0


def test_earlier_claim_from_the_callback_is_a_warning_and_the_row_is_kept(tmp_path: Path) -> None:
    data = xlsx(tmp_path, [HEADER, [1, "张三", pid(11), "脱贫人口", 12], [2, "李四", pid(13), "农民工", 12]])
    asked: list[list[str]] = []

    def history(ids: list[str]) -> dict[str, list[str]]:
        asked.append(ids)
        return {pid(13): ["2022-000123 职业介绍补贴（已受理）"]}

    result = read_roster(data, JOB_PLACEMENT, history)
    assert asked == [[pid(11), pid(13)]]
    assert found(result) == {(3, "身份证号", "ROSTER_ALREADY_CLAIMED")}
    (warning,) = result.problems
    assert warning.severity == "warning" and result.ok
    assert "李四" in warning.message_zh and "2022-000123 职业介绍补贴（已受理）" in warning.message_zh
    assert len(result.rows) == 2 and result.counts.warnings == 1


# ---------------------------------------------------------------- database


def _org(s: Any, org_type: str, tail: str = "0000001") -> int:
    first17 = f"91610328MA{tail}"
    return create_organisation(
        s,
        OrganisationInput(
            f"千阳县{org_type}单位{tail}", first17 + uscc_check_character(first17), org_type=org_type
        ),
        "clerk",
    ).id


def _placement_case(s: Any, office: Any, org_id: int, day: dt.date = dt.date(2022, 3, 1)) -> int:
    case = intake.start_case(
        s, office, "qianyang-2021", "job_placement", day, "clerk", organisation_id=org_id
    )
    intake.set_facts(
        s,
        case.id,
        {
            "placement_completed_date": day - dt.timedelta(days=20),
            "agency_licensed": True,
            "free_service": True,
        },
        "clerk",
    )
    return case.id


def _other_case(
    s: Any, office: Any, org_id: int, status: str, day: dt.date, number: str | None, ids: list[str]
) -> int:
    case = intake.start_case(
        s, office, "qianyang-2021", "job_placement", day, "clerk", organisation_id=org_id
    )
    for i, n in enumerate(ids, start=1):
        s.add(
            CaseBeneficiary(
                case_id=case.id,
                row_no=i,
                name=f"工人{i}",
                id_number=n,
                categories=["migrant_worker"],
                facts={"contract_months": 12},
            )
        )
    case.status, case.case_number, case.event_date = status, number, day
    s.flush()
    return case.id


def test_year_claims_counts_live_cases_of_the_same_subsidy_and_year(db, office, person_id) -> None:
    from core.db.models import Person

    with db.session() as s, s.begin():
        org = _org(s, "hr_agency")
        mine = _placement_case(s, office, org)
        _other_case(s, office, org, "accepted", dt.date(2022, 2, 1), "2022-000001", [pid(11), pid(13)])
        _other_case(s, office, org, "draft", dt.date(2022, 2, 2), None, [pid(15)])
        _other_case(s, office, org, "withdrawn", dt.date(2022, 2, 3), "2022-000002", [pid(15)])
        _other_case(s, office, org, "rejected", dt.date(2022, 2, 4), "2022-000003", [pid(15)])
        _other_case(s, office, org, "paid", dt.date(2021, 6, 1), "2021-000009", [pid(17)])  # another year
        _other_case(s, office, org, "pending_materials", dt.date(2022, 5, 1), None, [pid(13)])
        s.add(
            CaseBeneficiary(case_id=mine, row_no=1, name="自己", id_number=pid(19), categories=[], facts={})
        )
        person = s.get(Person, person_id)
        assert person is not None
        claims = year_claims(s, "job_placement", 2022, [pid(11), pid(13), pid(15), pid(17), pid(19)], mine)
        assert claims == {
            pid(11): ["2022-000001 职业介绍补贴（已受理）"],
            pid(13): [
                "2022-000001 职业介绍补贴（已受理）",
                "未编号案件（2022-05-01申请） 职业介绍补贴（待补材料）",
            ],
        }
        # The case being filled is a draft: it never counts, even when not excluded by id.
        assert year_claims(s, "job_placement", 2022, [pid(19)], None) == {}
        # A person who applied in their own name is found too.
        own = intake.start_case(
            s, office, "qianyang-2021", "job_seeking_once", dt.date(2022, 3, 1), "clerk", person_id=person_id
        )
        own.status, own.case_number = "accepted", "2022-000004"
        s.flush()
        assert year_claims(s, "job_seeking_once", 2022, [person.id_number]) == {
            person.id_number: ["2022-000004 一次性求职补贴（已受理）"]
        }


def test_worker_on_another_accepted_case_is_warned_then_excluded_by_the_engine(db, office, tmp_path) -> None:
    """每人每年只能享受1次职业介绍补贴，不得重复享受 (千人社发〔2021〕141号 二(一)2).

    The import only warns; the engine's `once_per_year` limit excludes the worker, so the case
    gets 500元 for each of the two others.
    """
    data = xlsx(
        tmp_path,
        [
            HEADER,
            [1, "张三", pid(11), "脱贫人口", 12],
            [2, "李四", pid(13), "农民工", 24],
            [3, "王五", pid(15), "农民工", 12],
        ],
    )
    with db.session() as s, s.begin():
        org = _org(s, "hr_agency")
        _other_case(s, office, org, "accepted", dt.date(2022, 1, 20), "2022-000001", [pid(13)])
        case_id = _placement_case(s, office, org)
        result = read_roster(data, JOB_PLACEMENT, claims_for(s, s.get(Case, case_id)))
        assert found(result) == {(3, "身份证号", "ROSTER_ALREADY_CLAIMED")}
        assert result.warnings[0].severity == "warning"
        assert "2022-000001 职业介绍补贴（已受理）" in result.warnings[0].message_zh
        set_roster(s, case_id, result.rows, "clerk")
        assessment = intake.assess_case(s, case_id)
        assert assessment.amount_fen == 2 * 50000
        assert [x.name for x in assessment.excluded] == ["李四"]


def test_set_roster_then_assess_pays_500_per_eligible_worker(db, office, tmp_path) -> None:
    """职业介绍补贴: 签订1年以上劳动合同的，可按实际介绍就业人数享受职业介绍补贴……补贴标准为每人500元
    (千人社发〔2021〕141号 二(一)2); “1年以上劳动合同”含12个月 (解读 R-bounds). A 6-month contract does not count.
    """
    data = xlsx(
        tmp_path,
        [
            HEADER,
            [1, "张三", pid(11), "脱贫人口", 12],
            [2, "李四", pid(13), "农民工", 36],
            [3, "王五", pid(15), "登记失业人员", 6],
        ],
    )
    result = read_roster(data, JOB_PLACEMENT, None)
    assert result.ok
    with db.session() as s, s.begin():
        case_id = _placement_case(s, office, _org(s, "hr_agency"))
        assert set_roster(s, case_id, result.rows, "clerk") == 3
        stored = list(s.query(CaseBeneficiary).filter_by(case_id=case_id).order_by(CaseBeneficiary.row_no))
        assert [(r.row_no, r.name, r.facts) for r in stored] == [
            (1, "张三", {"contract_months": 12}),
            (2, "李四", {"contract_months": 36}),
            (3, "王五", {"contract_months": 6}),
        ]
        assessment = intake.assess_case(s, case_id)
        assert assessment.amount_fen == 2 * 50000
        assert [x.name for x in assessment.excluded] == ["王五"]


def _base_rows(count: int) -> list[dict[str, Any]]:
    return [
        {
            "name": f"工人{i}",
            "id_number": pid(i),
            "categories": ["poverty_alleviated"],
            "facts": {"newly_hired": True, "contract_months": 12},
        }
        for i in range(1, count + 1)
    ]


@pytest.mark.parametrize(
    ("count", "decision", "amount"), [(10, "eligible", 10 * 200000), (9, "not_eligible", 0)]
)
def test_assistance_base_award_needs_at_least_10_workers(
    db, office, tmp_path, count, decision, amount
) -> None:
    """对管理规范、新吸纳脱贫劳动力和农村低收入劳动力就业至少10人以上、并签订一年以上劳动合同或劳务协议的，
    按每人2000元的标准对基地（企业）给予一次性就业奖补资金，每年累计最高不超过30万元
    (千人社发〔2021〕141号 二(二)5); “至少10人以上”含10人 (解读 R-bounds): 10 workers earn 2万元, 9 nothing.
    """
    rows = [BASE_HEADER] + [
        [r["name"][2:], r["name"], r["id_number"], "脱贫人口", "是", 12] for r in _base_rows(count)
    ]
    result = read_roster(xlsx(tmp_path, rows), BASE_AWARD, None)
    assert result.ok and result.rows == tuple(_base_rows(count))
    with db.session() as s, s.begin():
        org = _org(s, "assistance_base")
        case = intake.start_case(
            s,
            office,
            "qianyang-2021",
            "assistance_base_award",
            dt.date(2022, 12, 5),
            "clerk",
            organisation_id=org,
        )
        intake.set_facts(s, case.id, {"recognised": True, "well_managed": True}, "clerk")
        for material in BASE_AWARD.materials:
            intake.set_material(s, case.id, material.id, MaterialState(received=True, copies_kept=1), "clerk")
        set_roster(s, case.id, result.rows, "clerk")
        assessment = intake.assess_case(s, case.id)
        assert (assessment.decision, assessment.amount_fen or 0) == (decision, amount)


def test_set_roster_replaces_rows_with_an_audit_event_and_refuses_locked_cases(db, office) -> None:
    with db.session() as s, s.begin():
        case_id = _placement_case(s, office, _org(s, "hr_agency"))
        set_roster(s, case_id, _base_rows(3), "clerk")
        set_roster(s, case_id, _base_rows(2)[::-1], "clerk")  # same people again: no unique-key clash
        rows = list(s.query(CaseBeneficiary).filter_by(case_id=case_id).order_by(CaseBeneficiary.row_no))
        assert [(r.row_no, r.name) for r in rows] == [(1, "工人2"), (2, "工人1")]
        case = s.get(Case, case_id)
        assert case is not None
        events = [e for e in audit.history(s, "case", case.uuid) if e.action == "roster"]
        assert [e.changes for e in events] == [{"rows": [0, 3]}, {"rows": [3, 2]}]
        with pytest.raises(SubsidyDeskError) as info:
            set_roster(s, case_id, _base_rows(1) * 2, "clerk")
        assert info.value.code == "ROSTER_DUPLICATE_ID"
        case.status = "review_passed"
        s.flush()
        with pytest.raises(SubsidyDeskError) as info:
            set_roster(s, case_id, _base_rows(1), "clerk")
        assert info.value.code == "CASE_READ_ONLY"
    with db.session() as s:
        assert audit.verify_chain(s) is None


def test_set_roster_refuses_a_subsidy_without_a_roster(db, office, person_id) -> None:
    with db.session() as s, s.begin():
        case = intake.start_case(
            s, office, "qianyang-2021", "job_seeking_once", dt.date(2022, 3, 1), "clerk", person_id=person_id
        )
        with pytest.raises(SubsidyDeskError) as info:
            set_roster(s, case.id, _base_rows(1), "clerk")
        assert info.value.code == "ROSTER_NOT_APPLICABLE"
