"""Fill a database with N realistic synthetic cases, for benchmarks and for looking at the program.

    python bench/generate.py 200000 --data-dir /tmp/sd-bench

Names, valid ID numbers (check digits included), towns and villages of 千阳县, population
categories, subsidies of the Qianyang catalog, statuses and amounts in fen. Rows go in with
bulk inserts; each case gets its creation audit event, hash-chained like the real ones.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert

from core import audit
from core.db import open_database
from core.db.models import AuditEvent, Case, Office, Person, PersonCategory
from core.identity.id_number import check_character

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
# Surnames are far from uniform: the first few cover a third of a village (王 about 7%).
SURNAME_WEIGHTS = [1 / (rank + 1) ** 0.9 for rank in range(len(SURNAMES))]
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华玉兰志强海燕红梅春花小红永红晓东亚军丽娟文博子涵浩然欣怡"
TOWNS = {
    "城关镇": ["东关村", "西关村", "南关村", "北关村", "冯坊村"],
    "崔家头镇": ["崔家头村", "南塬村", "岭子村", "高家塬村"],
    "南寨镇": ["南寨村", "闫家村", "郑家塬村", "曹家塬村"],
    "张家塬镇": ["张家塬村", "罗家塬村", "宽滩村", "秦家塬村"],
    "水沟镇": ["水沟村", "柿沟村", "李家山村", "南沟村"],
    "草碧镇": ["草碧村", "宣家坳村", "西城村", "固川村"],
    "高崖镇": ["高崖村", "底店村", "普家坳村", "沙家村"],
}
SUBSIDIES = [
    ("job_seeking_once", 50000),
    ("transport_once", 42000),
    ("startup_once", 500000),
    ("training_living_allowance", 150000),
    ("yulu_plan", 300000),
    ("internship", 1200000),
    ("public_welfare_post", 960000),
    ("skills_appraisal", 20000),
]
STATUSES = (
    ["accepted"] * 5
    + ["review_passed"] * 3
    + ["exported", "approved", "paid", "pending_materials", "draft", "review_failed"]
)
CATEGORIES = ["poverty_alleviated", "monitored", "marginal_at_risk", "rural_low_income", "relocated"]


def make_id_number(rng: random.Random) -> str:
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(16000))
    first17 = f"610328{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + check_character(first17)


def make_persons(rng: random.Random, count: int) -> list[dict[str, object]]:
    persons, seen = [], set()
    while len(persons) < count:
        number = make_id_number(rng)
        if number in seen:
            continue
        seen.add(number)
        town = rng.choice(list(TOWNS))
        name = rng.choices(SURNAMES, SURNAME_WEIGHTS)[0] + "".join(
            rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))
        )
        persons.append(
            {
                "id": len(persons) + 1,
                "name": name,
                "id_number": number,
                "id_last4": number[-4:],
                "birth_date": dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
                "sex": "男" if int(number[16]) % 2 else "女",
                "registered_town": town,
                "registered_village": rng.choice(TOWNS[town]),
                "phone": f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
                "account_kind": "social_security_card",
                "account_number": "",
                "created_at": dt.datetime(2022, 1, 1),
                "updated_at": dt.datetime(2022, 1, 1),
            }
        )
    return persons


def make_cases(rng: random.Random, count: int, person_count: int) -> list[dict[str, object]]:
    cases = []
    for i in range(count):
        subsidy, amount = rng.choice(SUBSIDIES)
        applied = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(1400))
        status = rng.choice(STATUSES)
        numbered = status not in ("draft", "pending_materials")
        cases.append(
            {
                "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "office_id": 1,
                "case_number": f"{applied.year}-{i + 1:06d}" if numbered else None,
                "person_id": rng.randrange(1, person_count + 1),
                "organisation_id": None,
                "catalog_id": "qianyang-2021",
                "catalog_version": "1.0.0",
                "catalog_hash": "",
                "subsidy_id": subsidy,
                "status": status,
                "application_date": applied,
                "event_date": applied - dt.timedelta(days=rng.randrange(1, 150)),
                "accepted_on": applied if numbered else None,
                "amount_fen": amount,
                "facts": {},
                "note": "",
                "created_by": "clerk",
                "created_at": dt.datetime.combine(applied, dt.time(9)),
                "updated_at": dt.datetime.combine(applied, dt.time(9)),
            }
        )
    return cases


def audit_rows(cases: list[dict[str, object]]) -> list[dict[str, object]]:
    rows, prev = [], audit.GENESIS
    for c in cases:
        at = c["created_at"]
        assert isinstance(at, dt.datetime)
        changes = {"status": [None, c["status"]], "subsidy_id": [None, c["subsidy_id"]]}
        digest = audit.event_hash(prev, at, "clerk", "create", "case", str(c["uuid"]), changes)
        rows.append(
            {
                "at": at,
                "actor": "clerk",
                "action": "create",
                "entity": "case",
                "entity_key": c["uuid"],
                "changes": changes,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    return rows


def generate(data_dir: Path, count: int, seed: int = 20211) -> Path:
    rng = random.Random(seed)
    db = open_database(data_dir)
    person_count = max(1, count * 2 // 3)
    persons = make_persons(rng, person_count)
    cases = make_cases(rng, count, person_count)
    with db.engine.begin() as conn:
        conn.execute(
            insert(Office),
            [
                {
                    "id": 1,
                    "county_code": "610328",
                    "town": "水沟镇",
                    "name": "水沟镇劳动保障事务所",
                    "phone": "0917-4212345",
                    "catalog_id": "qianyang-2021",
                    "created_at": dt.datetime(2022, 1, 1),
                    "updated_at": dt.datetime(2022, 1, 1),
                }
            ],
        )
        conn.execute(insert(Person), persons)
        conn.execute(
            insert(PersonCategory),
            [{"person_id": p["id"], "category": rng.choice(CATEGORIES)} for p in persons],
        )
        conn.execute(insert(Case), cases)
        conn.execute(insert(AuditEvent), audit_rows(cases))
        conn.exec_driver_sql("ANALYZE")
    db.close()
    return data_dir


def main() -> None:
    parser = argparse.ArgumentParser(description="生成测试数据")
    parser.add_argument("count", type=int)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--seed", type=int, default=20211)
    args = parser.parse_args()
    target = Path(args.data_dir)
    if (target / "subsidydesk.db").exists():
        sys.exit(f"{target} 已有数据库；请换一个空目录，生成器不会覆盖已有数据。")
    generate(target, args.count, args.seed)
    print(f"已生成 {args.count} 件案件：{target / 'subsidydesk.db'}")


if __name__ == "__main__":
    main()
