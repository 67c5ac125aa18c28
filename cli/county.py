"""County decisions from the command line: list imported cases, approve, reject, pay, resolve duplicates.

    county cases [--office CODE] [--status S] [--duplicates]
    county approve UUID [--amount YUAN] [--note TEXT]
    county reject UUID --reason TEXT
    county paid UUID [--amount YUAN] [--date YYYY-MM-DD]
    county resolve-duplicate FLAG_ID --keep UUID --reason TEXT
    county register-office CODE PUBKEY [--name NAME]
    county office-keys
    county revoke-key CODE FINGERPRINT --reason TEXT [--last-batch N]

UUID may be the first characters shown by `county cases`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cli.common import EXIT_OK, actor, add, database

STATUS_CHOICES = ("received", "approved", "rejected", "paid")


def cmd_cases(args: argparse.Namespace) -> int:
    from core.app.catalogs import read_catalog_names
    from core.app.county import all_county_rows
    from core.money import format_yuan
    from core.packages.county_query import CountyCaseFilter
    from core.packages.decisions import DECISION_LABELS

    names = read_catalog_names()
    with database(args) as db:
        rows = all_county_rows(db, filter=CountyCaseFilter(args.office, args.status, args.duplicates))
    print("标识\t站所\t案件编号\t申请人\t证件号\t补贴\t申请金额\t状态\t重复申报")
    for r in rows:
        status = DECISION_LABELS.get(r.status, r.status)
        if r.decided_fen is not None:
            status += f" {format_yuan(r.decided_fen)}"
        if r.paid_on:
            status += f" {r.paid_on.isoformat()}"
        if r.reason:
            status += f"：{r.reason}"
        flags = "、".join(f"#{i}" for i in r.open_flags)
        print(
            f"{r.short_uuid}\t{r.office_code}\t{r.case_number}\t{r.applicant_name}\t{r.id_masked}\t"
            f"{names.subsidy_name(r.catalog_id, r.subsidy_id)}\t{format_yuan(r.amount_fen)}\t{status}\t{flags}"
        )
    print(f"共 {len(rows)} 件。")
    return EXIT_OK


def cmd_approve(args: argparse.Namespace) -> int:
    from core.app.county import approve
    from core.money import parse_yuan

    fen = parse_yuan(args.amount, "核定金额") if args.amount is not None else None
    with database(args) as db:
        print(approve(db, actor(args, db), uuid=args.uuid, amount_fen=fen, note=args.note).sentence)
    return EXIT_OK


def cmd_reject(args: argparse.Namespace) -> int:
    from core.app.county import reject

    with database(args) as db:
        print(reject(db, actor(args, db), uuid=args.uuid, reason=args.reason).sentence)
    return EXIT_OK


def cmd_paid(args: argparse.Namespace) -> int:
    from core.app.county import mark_paid
    from core.date_input import parse_date
    from core.money import parse_yuan

    fen = parse_yuan(args.amount, "拨付金额") if args.amount else None
    day = parse_date(args.date, "拨付日期") if args.date else None
    with database(args) as db:
        print(mark_paid(db, actor(args, db), uuid=args.uuid, amount_fen=fen, paid_on=day).sentence)
    return EXIT_OK


def cmd_resolve_duplicate(args: argparse.Namespace) -> int:
    from core.app.county import resolve_duplicate

    with database(args) as db:
        text = resolve_duplicate(
            db, actor(args, db), flag_id=args.flag_id, keep_uuid=args.keep, reason=args.reason
        )
    print(f"第 {args.flag_id} 号重复申报已核定：{text}")
    return EXIT_OK


def cmd_register_office(args: argparse.Namespace) -> int:
    from core.app.county import register_office
    from core.errors import SubsidyDeskError
    from core.packages.keys import display_fingerprint

    try:
        key = Path(args.pubkey).read_bytes()
    except OSError as exc:
        raise SubsidyDeskError(
            "KEY_FILE_UNREADABLE", f"无法读取公钥文件 {args.pubkey}：{exc.strerror}。"
        ) from exc
    with database(args) as db:
        fp = register_office(db, actor(args, db), code=args.code, public_key=key, name=args.name)
    print(f"已登记 {args.code} 的公钥，指纹：{display_fingerprint(fp)}。请与站所打印的指纹逐组核对。")
    return EXIT_OK


def cmd_office_keys(args: argparse.Namespace) -> int:
    from core.app.key_registry import registered_keys

    with database(args) as db:
        for k in registered_keys(db):
            print(f"{k.office_code}\t{k.office_name}\t{k.fingerprint}\t{k.registered_by}\t{k.state}")
    return EXIT_OK


def cmd_revoke_key(args: argparse.Namespace) -> int:
    from core.app.key_registry import revoke_office_key

    with database(args) as db:
        k = revoke_office_key(
            db, actor(args, db), code=args.code, fingerprint=args.fingerprint, reason=args.reason,
            last_batch=args.last_batch,
        )  # fmt: skip
    print(f"已停用 {k.office_code} 的密钥 {k.fingerprint}：{k.state}。请尽快为该站所登记新密钥。")
    return EXIT_OK


def cmd_county(args: argparse.Namespace) -> int:
    """`county SUBCOMMAND`: each subcommand names its handler."""
    return int(args.county_func(args))


def register(sub: Any) -> None:
    p = add(sub, "county", "县局：登记站所公钥，审核、拨付已导入的案件，核定重复申报", cmd_county)
    csub = p.add_subparsers(dest="county_command", required=True)
    r = add(csub, "register-office", "登记（或更换）站所的签名公钥", cmd_register_office, "county_func")
    r.add_argument("code")
    r.add_argument("pubkey")
    r.add_argument("--name", default="")
    add(csub, "office-keys", "列出已登记的站所密钥及其状态", cmd_office_keys, "county_func")
    r = add(csub, "revoke-key", "停用站所的密钥（丢失或被盗）", cmd_revoke_key, "county_func")
    r.add_argument("code", help="站所上报代码")
    r.add_argument("fingerprint", help="密钥指纹（可带空格，整串放在引号中）")
    r.add_argument("--reason", required=True, help="停用原因，如“U盘丢失”")
    r.add_argument(
        "--last-batch", type=int, default=None,
        help="该密钥签署的批次中仍可导入的最后一批；不写则为已导入的最后一批",
    )  # fmt: skip
    p = add(csub, "cases", "列出已导入的案件（可按站所、状态、重复申报筛选）", cmd_cases, "county_func")
    p.add_argument("--office", help="站所代码")
    p.add_argument("--status", choices=STATUS_CHOICES, help="received 待审核 / approved / rejected / paid")
    p.add_argument("--duplicates", action="store_true", help="只列出有待核定重复申报的案件")
    p = add(csub, "approve", "审核通过（可另定核定金额）", cmd_approve, "county_func")
    p.add_argument("uuid", help="案件标识（county cases 显示的前8位即可）")
    p.add_argument("--amount", help="核定金额（元）；不写则按站所核算金额")
    p.add_argument("--note", default="", help="核定说明（随结果包告知站所）；核定金额高于核算金额时必须写明")
    p = add(csub, "reject", "不予通过（须写明理由，理由随结果包告知站所）", cmd_reject, "county_func")
    p.add_argument("uuid")
    p.add_argument("--reason", required=True)
    p = add(csub, "paid", "登记拨付（金额和日期）", cmd_paid, "county_func")
    p.add_argument("uuid")
    p.add_argument("--amount", help="拨付金额（元）；不写则按核定金额")
    p.add_argument("--date", help="拨付日期，YYYY-MM-DD；不写则为今天")
    p = add(csub, "resolve-duplicate", "核定一条重复申报：保留一件，另一件不予通过", cmd_resolve_duplicate,
            "county_func")  # fmt: skip
    p.add_argument("flag_id", type=int, help="重复申报编号（county cases 中 # 后的数字）")
    p.add_argument("--keep", required=True, help="保留的案件标识")
    p.add_argument("--reason", required=True, help="核定意见")
