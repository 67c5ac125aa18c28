"""County decisions from the command line: list imported cases, approve, reject, pay, resolve duplicates.

    county cases [--office CODE] [--status S] [--duplicates]
    county approve UUID [--amount YUAN]
    county reject UUID --reason TEXT
    county paid UUID --amount YUAN --date YYYY-MM-DD
    county resolve-duplicate FLAG_ID --keep UUID --reason TEXT

UUID may be the first characters shown by `county cases`. Light at import, like commands.py:
the database, the ORM and the decisions are imported by the handler that needs them.
"""

from __future__ import annotations

import argparse
from typing import Any

from core.packages.commands import EXIT_OK, _actor, _db

STATUS_CHOICES = ("received", "approved", "rejected", "paid")


def cmd_cases(args: argparse.Namespace) -> int:
    from core.money import format_yuan
    from core.packages.county_query import CountyCaseFilter, count_county_cases, fetch_county_cases
    from core.packages.decisions import DECISION_LABELS

    flt = CountyCaseFilter(args.office, args.status, args.duplicates)
    db = _db(args)
    try:
        with db.reader() as conn:
            rows = fetch_county_cases(conn, flt, 0, count_county_cases(conn, flt))
    finally:
        db.close()
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
            f"{r.subsidy_id}\t{format_yuan(r.amount_fen)}\t{status}\t{flags}"
        )
    print(f"共 {len(rows)} 件。")
    return EXIT_OK


def _decide(args: argparse.Namespace, action: Any) -> int:
    """Run one decision in its own transaction, on the case named by args.uuid, and report it."""
    from core.money import format_yuan
    from core.packages.decisions import DECISION_LABELS, find_case

    db = _db(args)
    try:
        with db.session() as s, s.begin():
            row = action(s, find_case(s, args.uuid).uuid)
            text = f"{row.office_code} {row.case_number} {row.applicant_name}：{DECISION_LABELS[row.status]}"
            amount = row.paid_fen if row.paid_fen is not None else row.approved_fen
    finally:
        db.close()
    print(
        text
        + (f"，{format_yuan(amount)} 元" if amount is not None and row.status != "rejected" else "")
        + "。"
    )
    return EXIT_OK


def cmd_approve(args: argparse.Namespace) -> int:
    from core.money import parse_yuan
    from core.packages.decisions import approve

    fen = parse_yuan(args.amount, "核定金额") if args.amount is not None else None
    return _decide(args, lambda s, uuid: approve(s, uuid, _actor(), fen))


def cmd_reject(args: argparse.Namespace) -> int:
    from core.packages.decisions import reject

    return _decide(args, lambda s, uuid: reject(s, uuid, _actor(), args.reason))


def cmd_paid(args: argparse.Namespace) -> int:
    from core.date_input import parse_date
    from core.money import parse_yuan
    from core.packages.decisions import mark_paid

    fen, paid_on = parse_yuan(args.amount, "拨付金额"), parse_date(args.date, "拨付日期")
    return _decide(args, lambda s, uuid: mark_paid(s, uuid, _actor(), fen, paid_on))


def cmd_resolve_duplicate(args: argparse.Namespace) -> int:
    from core.packages.decisions import find_case, resolve_keeping

    db = _db(args)
    try:
        with db.session() as s, s.begin():
            flag = resolve_keeping(s, args.flag_id, find_case(s, args.keep).uuid, args.reason, _actor())
            text = flag.resolution
    finally:
        db.close()
    print(f"第 {args.flag_id} 号重复申报已核定：{text}")
    return EXIT_OK


def _sub(csub: Any, name: str, help_zh: str, func: Any) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = csub.add_parser(name, help=help_zh)
    p.set_defaults(county_func=func)
    return p


def register(csub: Any) -> None:
    """Add the decision subcommands under `county` (commands.register makes `csub`)."""
    p = _sub(csub, "cases", "列出已导入的案件（可按站所、状态、重复申报筛选）", cmd_cases)
    p.add_argument("--office", help="站所代码")
    p.add_argument("--status", choices=STATUS_CHOICES, help="received 待审核 / approved / rejected / paid")
    p.add_argument("--duplicates", action="store_true", help="只列出有待核定重复申报的案件")
    p = _sub(csub, "approve", "审核通过（可另定核定金额）", cmd_approve)
    p.add_argument("uuid", help="案件标识（county cases 显示的前8位即可）")
    p.add_argument("--amount", help="核定金额（元）；不写则按申请金额")
    p = _sub(csub, "reject", "不予通过（须写明理由，理由随结果包告知站所）", cmd_reject)
    p.add_argument("uuid")
    p.add_argument("--reason", required=True)
    p = _sub(csub, "paid", "登记拨付（金额和日期）", cmd_paid)
    p.add_argument("uuid")
    p.add_argument("--amount", required=True, help="拨付金额（元）")
    p.add_argument("--date", required=True, help="拨付日期，YYYY-MM-DD")
    p = _sub(csub, "resolve-duplicate", "核定一条重复申报：保留一件，另一件不予通过", cmd_resolve_duplicate)
    p.add_argument("flag_id", type=int, help="重复申报编号（county cases 中 # 后的数字）")
    p.add_argument("--keep", required=True, help="保留的案件标识")
    p.add_argument("--reason", required=True, help="核定意见")
