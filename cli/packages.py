"""Reporting between town and county from the command line: batches, results, keys, the office code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cli.common import EXIT_OK, EXIT_PACKAGE_REJECTED, actor, add, database, password


def cmd_verify(args: argparse.Namespace) -> int:
    from core.app.county import verify_package

    with database(args) as db:
        result = verify_package(db, path=Path(args.package), allow_gap=args.allow_gap)
    if result.ok:
        print(result.message)
        return EXIT_OK
    print(result.message, file=sys.stderr)
    return EXIT_PACKAGE_REJECTED


def cmd_export_batch(args: argparse.Namespace) -> int:
    from core.app.batches import export_batch
    from core.ids import CaseId
    from core.money import format_yuan

    ids = [CaseId(int(x)) for x in args.case_ids] or None
    with database(args) as db:
        result = export_batch(db, actor(args, db), folder=Path(args.to), case_ids=ids, encrypt=args.encrypt)
    print(
        f"已导出第{result.number}批：{result.case_count}件，合计{format_yuan(result.total_fen)}元 → {result.path}"
    )
    print(f"清单校验值：{result.manifest_sha256}")
    for note in result.notes:
        print(note)
    return EXIT_OK


def cmd_import_package(args: argparse.Namespace) -> int:
    from core.app.county import import_package
    from core.packages.county_import import OUTCOME_LABELS

    with database(args) as db:
        report = import_package(db, actor(args, db), path=Path(args.package), allow_gap=args.allow_gap)
    for case in report.cases:
        print(f"{case.case_number}\t{case.applicant}\t{OUTCOME_LABELS[case.outcome]}\t{case.reason}")
    print(report.summary, file=sys.stdout if report.status != "rejected" else sys.stderr)
    return EXIT_PACKAGE_REJECTED if report.status == "rejected" else EXIT_OK


def cmd_export_results(args: argparse.Namespace) -> int:
    from core.app.county import export_results

    with database(args) as db:
        out = export_results(db, actor(args, db), office_code=args.office, folder=Path(args.to))
    print(f"已生成第{out.number}号结果包：{out.case_count}件 → {out.path}")
    return EXIT_OK


def cmd_import_results(args: argparse.Namespace) -> int:
    from core.app.batches import import_results

    with database(args) as db:
        report = import_results(db, actor(args, db), path=Path(args.package))
    if report.status == "rejected":
        print(report.summary, file=sys.stderr)
        return EXIT_PACKAGE_REJECTED
    for change in report.changes:
        print(
            "\t".join((change.case_number, change.applicant, change.outcome, change.amounts, change.detail))
        )
    print(report.summary)
    return EXIT_OK


def cmd_key(args: argparse.Namespace) -> int:
    from core.app import keys

    with database(args) as db:
        print(_key_action(db, args, keys))
    return EXIT_OK


def _key_action(db: Any, args: argparse.Namespace, keys: Any) -> str:
    county = args.county
    if args.action == "fingerprint":
        return str(keys.fingerprint(db, county=county))
    if args.action == "public":
        keys.write_public_key(db, target=_to(args), county=county)
        return f"公钥已写入 {args.to}（可以公开交给{'各站所' if county else '县局'}）"
    if args.action == "export":
        keys.export_backup(
            db, actor(args, db), target=_to(args), password=password(confirm=True), county=county
        )
        return f"密钥备份已写入 {args.to}。请与密码分开保管。"
    if args.action == "restore":
        fp = keys.restore_backup(
            db, actor(args, db), source=_file(args), password=password(False), county=county
        )
        return f"已恢复密钥，指纹：{fp}"
    if args.action == "rotate" and county:
        fp = keys.rotate_county_key(db, actor(args, db))
        return (
            f"已更换县局签名密钥，旧密钥的私钥已删除（公钥留存）。新指纹：{fp}\n"
            "请写出新的县局公钥文件并打印县局密钥公布表，发给各站所导入。"
        )
    if args.action == "rotate":
        fp = keys.rotate_office_key(db, actor(args, db))
        return (
            f"已更换新密钥，旧密钥的私钥已删除（公钥留存）。新指纹：{fp}\n"
            "请在“上报 → 本所密钥”中写出本所公钥文件并打印登记表，交县局登记。"
        )
    if args.action == "public-encryption":
        keys.write_encryption_key(db, actor(args, db), target=_to(args))
        return f"县局加密公钥已写入 {args.to}，请交各站所导入。"
    if args.action == "import-county-encryption":
        keys.import_county_encryption_key(db, actor(args, db), source=_file(args))
        return "已保存县局加密公钥；导出批次时加 --encrypt 即加密给县局。"
    fp = keys.import_county_key(db, actor(args, db), source=_file(args))
    return f"已保存县局公钥，指纹：{fp}。请与县局公布的指纹核对。"


def _to(args: argparse.Namespace) -> Path:
    if not args.to:
        from core.errors import SubsidyDeskError

        raise SubsidyDeskError("ARG_TO_MISSING", "请用 --to 指定要写入的文件。")
    return Path(args.to)


def _file(args: argparse.Namespace) -> Path:
    if not args.file:
        from core.errors import SubsidyDeskError

        raise SubsidyDeskError("ARG_FILE_MISSING", "请写出要读取的密钥文件。")
    return Path(args.file)


def cmd_office_code(args: argparse.Namespace) -> int:
    from core.app.office import office_code, set_office_code
    from core.errors import SubsidyDeskError

    with database(args) as db:
        code = set_office_code(db, actor(args, db), code=args.code) if args.code else office_code(db)
    if code is None:
        raise SubsidyDeskError("OFFICE_CODE_MISSING", "还没有设置本所的上报代码（一般为9位乡镇区划代码）。")
    print(code)
    return EXIT_OK


def cmd_slip(args: argparse.Namespace) -> int:
    from core.app.batches import transfer_slip
    from core.files import write_atomically

    with database(args) as db:
        write_atomically(Path(args.to), transfer_slip(db, number=args.number))
    print(f"交接单已写入 {args.to}")
    return EXIT_OK


KEY_ACTIONS = [
    "fingerprint",
    "public",
    "export",
    "restore",
    "rotate",
    "import-county",
    "public-encryption",
    "import-county-encryption",
]


def register(sub: Any) -> None:
    p = add(sub, "verify", "核验一个批次数据包（县局）", cmd_verify)
    p.add_argument("package")
    p.add_argument("--allow-gap", action="store_true", help="不把缺少的前序批次当作错误")
    p = add(sub, "export-batch", "把初审通过的案件导出为签名的批次数据包", cmd_export_batch)
    p.add_argument("--to", required=True, help="目标文件夹（如U盘）")
    p.add_argument("case_ids", nargs="*", help="案件序号；不写则导出全部初审通过的案件")
    p.add_argument("--encrypt", action="store_true", help="用县局的加密公钥加密数据包")
    p = add(sub, "import-package", "核验并导入站所的批次数据包（县局）", cmd_import_package)
    p.add_argument("package")
    p.add_argument("--allow-gap", action="store_true", help="经核实后，允许跳过缺少的前序批次")
    p = add(sub, "export-results", "为一个站所生成签名的审核结果包（县局）", cmd_export_results)
    p.add_argument("--office", required=True)
    p.add_argument("--to", required=True)
    p = add(sub, "import-results", "核验并导入县局的审核结果包", cmd_import_results)
    p.add_argument("package")
    p = add(sub, "key", "签名密钥：指纹、公钥、备份、恢复、更换", cmd_key)
    p.add_argument("action", choices=KEY_ACTIONS)
    p.add_argument("file", nargs="?", help="restore / import-county 要读取的文件")
    p.add_argument("--to", help="public / export 要写入的文件")
    p.add_argument("--county", action="store_true", help="县局的密钥（县局模式）")
    p = add(sub, "office-code", "查看或设置本所的上报代码", cmd_office_code)
    p.add_argument("code", nargs="?")
    p = add(sub, "transfer-slip", "打印批次交接单（PDF）", cmd_slip)
    p.add_argument("number", type=int)
    p.add_argument("--to", required=True)
