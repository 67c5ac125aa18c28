"""`move-database`: the data folder's file onto a PostgreSQL server; `backup-database`: pg_dump."""

from __future__ import annotations

import argparse
from typing import Any

from cli.common import EXIT_OK, actor, add, data_dir, database

TABLE_NAMES = {
    "office": "事务所", "person": "申请人（个人）", "person_category": "人员类别", "organisation": "申请单位",
    "subsidy_case": "案件", "audit_event": "办理记录", "case_material": "申请材料", "attachment": "扫描件索引",
    "case_beneficiary": "花名册", "office_day": "节假日", "catalog_parameter": "政策参数",
    "package_setting": "上报设置", "batch": "上报批次", "batch_case": "批次案件", "imported_result": "县局结果包",
    "county_office_key": "站所公钥名单", "imported_package": "导入的数据包", "imported_case": "县局案件",
    "duplicate_flag": "重复申报标记", "result_package": "结果包", "account": "账户", "outbox": "待发送的上报",
}  # fmt: skip


def cmd_move_database(args: argparse.Namespace) -> int:
    from core.app.storage import move_database

    folder = data_dir(args)
    with database(args) as db:  # the 管理员 logs in on the file, which is closed before the copy
        who = actor(args, db)
    report = move_database(folder, who, to_url=args.to)
    for c in report.counts:
        if c.target:
            print(f"{TABLE_NAMES.get(c.table, c.table)}：{c.target} 行，与原数据库一致")
    print(f"办理记录校验链：{report.audit_events} 条，逐条核对无误，末条校验值与原数据库相同。")
    print(
        f"迁移完成，共 {report.rows} 行。此后这个数据文件夹（{folder}）使用数据库服务器；原数据库文件保留未动。"
    )
    return EXIT_OK


def cmd_backup_database(args: argparse.Namespace) -> int:
    from core.app.storage import backup_server

    with database(args) as db:
        path = backup_server(db, actor(args, db))
    print(f"已备份到 {path}")
    return EXIT_OK


def register(sub: Any) -> None:
    p = add(
        sub,
        "move-database",
        "把本数据文件夹的数据库文件迁移到 PostgreSQL 数据库服务器，并核对",
        cmd_move_database,
    )
    p.add_argument("--to", required=True, help="新建的空数据库：postgresql+psycopg://用户@服务器:端口/库名")
    add(
        sub,
        "backup-database",
        "用 pg_dump 备份数据库服务器上的数据（使用 PostgreSQL 时）",
        cmd_backup_database,
    )
