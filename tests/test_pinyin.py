"""Persons and organisations in pinyin order: the key stored on save, filled by 0005_pinyin for
rows saved before it, and used by the applicant list and the case list's 申请人 sort."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

from core.actor import Actor, Role, Station
from core.app import applicants
from core.app import cases as case_ops
from core.applicant_types import PersonInput
from core.cases.query import CaseFilter, SortKey
from core.cases.service import CaseDraft, create_case
from core.db import Database, open_database
from core.db.engine import DB_FILENAME
from core.identity.id_number import check_character
from core.pinyin import sort_key
from core.settings import OfficeInput, save_office

CLERK = Actor("李经办", Role.CLERK, Station.TOWN)
FIXTURE = Path(__file__).resolve().parent / "data" / "subsidydesk-0.1.0.db"
NAMES = ("王秀兰", "曾国强", "李明", "刘备", "艾青", "单田芳")  # 艾 李 刘 单(shan) 王 曾(zeng)
PINYIN_ORDER = ["艾青", "李明", "刘备", "单田芳", "王秀兰", "曾国强"]


def _number(i: int) -> str:
    first17 = f"61032819900101{i:02d}1"
    return first17 + check_character(first17)


def _register(db: Database) -> dict[str, int]:
    return {
        name: applicants.save_person(db, CLERK, person_id=None, data=PersonInput(name, _number(i)))
        for i, name in enumerate(NAMES)
    }


def test_the_key_reads_syllables_and_family_names() -> None:
    assert sort_key("王秀兰") == "wang xiu lan"
    assert sort_key("曾国强") == "zeng guo qiang" and sort_key("单田芳") == "shan tian fang"
    assert sort_key("李明") < sort_key("刘备")  # "li ming" before "liu bei"
    assert sort_key("单位", person=False) == "dan wei"  # an organisation has no family name


def test_the_applicant_list_is_in_pinyin_order(db: Database) -> None:
    _register(db)
    rows = applicants.person_rows(db, text="")
    rows.reload()
    assert [r.name for r in rows.rows] == PINYIN_ORDER


def test_a_corrected_name_gets_its_new_key(db: Database) -> None:
    ids = _register(db)
    applicants.save_person(db, CLERK, person_id=ids["艾青"], data=PersonInput("朱青", _number(4)))
    rows = applicants.person_rows(db, text="")
    rows.reload()
    assert [r.name for r in rows.rows][-1] == "朱青"


def test_the_case_list_sorts_applicants_by_pinyin(db: Database) -> None:
    ids = _register(db)
    with db.session() as s, s.begin():
        office_id = save_office(s, OfficeInput("610328", "水沟镇", "水沟镇劳动保障事务所"), "t").id
        for name in NAMES:
            draft = CaseDraft(
                office_id=office_id, catalog_id="qianyang-2021", catalog_version="1.0.0",
                subsidy_id="job_seeking_once", application_date=dt.date(2022, 3, 1), person_id=ids[name],
            )  # fmt: skip
            create_case(s, draft, "clerk")
    rows = case_ops.case_rows(db, filter=CaseFilter(), sort=SortKey.APPLICANT, descending=False)
    rows.reload()
    assert [r.applicant_name for r in rows.rows] == PINYIN_ORDER


def test_the_migration_fills_the_key_of_rows_saved_before_it(tmp_path: Path) -> None:
    data_dir = tmp_path / "old"
    data_dir.mkdir()
    shutil.copyfile(FIXTURE, data_dir / DB_FILENAME)
    open_database(data_dir).close()  # upgrades through 0005_pinyin
    with sqlite3.connect(data_dir / DB_FILENAME) as conn:
        rows = conn.execute("SELECT name, name_pinyin FROM person").fetchall()
        orgs = conn.execute("SELECT name, name_pinyin FROM organisation").fetchall()
    assert rows and all(key == sort_key(name) for name, key in rows)
    assert all(key == sort_key(name, person=False) for name, key in orgs)
