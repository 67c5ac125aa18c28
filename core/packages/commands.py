"""Command-line jobs of the package exchange, registered into main.py's parser.

Nothing heavy is imported at module level: main.py builds its parser at every start, and the
window must not wait for `cryptography` or openpyxl.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_PACKAGE_REJECTED = 9  # kept equal to core.packages.errors.EXIT_PACKAGE_REJECTED
PASSWORD_ENV = "SUBSIDYDESK_KEY_PASSWORD"

Handler = Callable[[argparse.Namespace], int]
DataDirFn = Callable[[argparse.Namespace], Path]
_data_dir_fn: list[DataDirFn] = []  # main.py's _data_dir, handed over by register()


def _data_dir(args: argparse.Namespace) -> Path:
    if _data_dir_fn:
        return _data_dir_fn[0](args)
    from core.db.engine import default_data_dir

    return Path(args.data_dir) if getattr(args, "data_dir", None) else default_data_dir()


def _actor() -> str:
    import getpass

    try:
        return getpass.getuser()[:40]
    except (OSError, KeyError):
        return "cli"


def _db(args: argparse.Namespace) -> Any:
    from core.db import open_database

    return open_database(_data_dir(args))


def _password(confirm: bool) -> str:
    import getpass

    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    first = getpass.getpass("备份密码：")
    if confirm and getpass.getpass("再输入一次：") != first:
        from core.packages.errors import PackageError

        raise PackageError("KEY_PASSWORD_MISMATCH", "两次输入的密码不一致，请重新执行。")
    return first


def cmd_verify(args: argparse.Namespace) -> int:
    from core.packages.registry import load_allow_list, seen_sequences
    from core.packages.verify import verify_package

    db = _db(args)
    try:
        with db.session() as s:
            result = verify_package(Path(args.package), load_allow_list(s), seen_sequences(s), args.allow_gap)
    finally:
        db.close()
    print(f"{result.code}: {result.message}", file=sys.stdout if result.ok else sys.stderr)
    return EXIT_OK if result.ok else EXIT_PACKAGE_REJECTED


def cmd_export_batch(args: argparse.Namespace) -> int:
    from core.money import format_yuan
    from core.packages.export import export_batch

    db = _db(args)
    try:
        ids = [int(x) for x in args.case_ids] or None
        result = export_batch(db, _data_dir(args), Path(args.to), _actor(), ids, seal_to=_seal_key(args))
    finally:
        db.close()
    print(
        f"已导出第{result.number}批：{result.case_count}件，合计{format_yuan(result.total_fen)}元 → {result.path}"
    )
    print(f"清单校验值：{result.manifest_sha256}")
    for note in result.notes:
        print(note)
    return EXIT_OK


def _seal_key(args: argparse.Namespace) -> Any:
    if not args.encrypt:
        return None
    from core.packages.errors import PackageError
    from core.packages.keys import KeyStore

    key = KeyStore(_data_dir(args)).county_encryption_public()
    if key is None:
        raise PackageError(
            "COUNTY_ENCRYPTION_KEY_MISSING",
            "本机还没有县局的加密公钥，请先用“key import-county-encryption 文件”导入。",
        )
    return key


def cmd_import_package(args: argparse.Namespace) -> int:
    from core.packages.county_import import OUTCOME_LABELS, import_package

    db = _db(args)
    try:
        with db.session() as s, s.begin():
            report = import_package(s, _data_dir(args), Path(args.package), _actor(), args.allow_gap)
    finally:
        db.close()
    for case in report.cases:
        print(f"{case.case_number}\t{case.applicant}\t{OUTCOME_LABELS[case.outcome]}\t{case.reason}")
    print(report.summary, file=sys.stdout if report.status != "rejected" else sys.stderr)
    return EXIT_PACKAGE_REJECTED if report.status == "rejected" else EXIT_OK


def cmd_export_results(args: argparse.Namespace) -> int:
    from core.packages.results import export_results

    db = _db(args)
    try:
        out = export_results(db, _data_dir(args), args.office, Path(args.to), _actor())
    finally:
        db.close()
    print(f"已生成结果包第{out.number}号：{out.case_count}件 → {out.path}")
    return EXIT_OK


def cmd_import_results(args: argparse.Namespace) -> int:
    from core.packages.town_results import import_results

    db = _db(args)
    try:
        with db.session() as s, s.begin():
            report = import_results(s, _data_dir(args), Path(args.package), _actor())
    finally:
        db.close()
    if report.status == "rejected":
        print(f"{report.verification.code}: {report.verification.message}", file=sys.stderr)
        return EXIT_PACKAGE_REJECTED
    if report.status == "already_imported":
        print("这个结果包已经导入过，没有改变任何数据。")
        return EXIT_OK
    for uuid, outcome, detail in report.applied:
        print(f"{uuid}\t{outcome}\t{detail}")
    print(f"已导入县局结果：{len(report.applied)}件。")
    return EXIT_OK


def cmd_key(args: argparse.Namespace) -> int:
    from core.packages import keys as k

    store = k.KeyStore(_data_dir(args))
    name = k.COUNTY_KEY if args.county else k.OFFICE_KEY
    key = store.county_key() if args.county else store.office_key()
    if args.action == "fingerprint":
        print(k.display_fingerprint(k.fingerprint(k.raw_public(key.public_key()))))
    elif args.action == "public":
        _require_to(args)
        Path(args.to).write_bytes(k.public_pem(key.public_key()))
        print(f"公钥已写入 {args.to}（可以公开交给县局/站所）")
    elif args.action == "export":
        _require_to(args)
        store.export_backup(Path(args.to), _password(confirm=True), name)
        print(f"密钥备份已写入 {args.to}。请与密码分开保管。")
    elif args.action == "restore":
        print(
            f"已恢复密钥，指纹：{k.display_fingerprint(store.restore_backup(Path(args.file), _password(False), name))}"
        )
    elif args.action == "rotate":
        new = store.rotate_office_key()
        print(
            f"已更换新密钥，旧密钥已停用并留存。新指纹：{k.display_fingerprint(k.fingerprint(k.raw_public(new.public_key())))}"
        )
        print("请把新公钥交县局登记（key public --to 文件）。")
    elif args.action == "public-encryption":
        _require_to(args)
        Path(args.to).write_bytes(k.public_pem(store.county_encryption_key().public_key()))
        print(f"县局加密公钥已写入 {args.to}，请交各站所导入。")
    elif args.action == "import-county-encryption":
        store.set_county_encryption_public(Path(args.file).read_bytes())
        print("已保存县局加密公钥；导出批次时加 --encrypt 即加密给县局。")
    elif args.action == "import-county":
        fp = store.set_county_public(Path(args.file).read_bytes())
        print(f"已保存县局公钥，指纹：{k.display_fingerprint(fp)}。请与县局公布的指纹核对。")
    return EXIT_OK


def _require_to(args: argparse.Namespace) -> None:
    if not args.to:
        from core.packages.errors import PackageError

        raise PackageError("ARG_TO_MISSING", "请用 --to 指定要写入的文件。")


def cmd_county_register(args: argparse.Namespace) -> int:
    from core.packages.keys import display_fingerprint
    from core.packages.registry import register_office_key

    db = _db(args)
    try:
        with db.session() as s, s.begin():
            row = register_office_key(s, args.code, Path(args.pubkey).read_bytes(), _actor(), args.name)
            fp = row.fingerprint
    finally:
        db.close()
    print(f"已登记 {args.code} 的公钥，指纹：{display_fingerprint(fp)}。请与站所打印的指纹逐组核对。")
    return EXIT_OK


def cmd_county(args: argparse.Namespace) -> int:
    """`county SUBCOMMAND`: each subcommand names its handler (county_commands.py)."""
    handler: Handler = args.county_func
    return handler(args)


def cmd_office_code(args: argparse.Namespace) -> int:
    from core.packages.identity import get_office_code, set_office_code

    db = _db(args)
    try:
        with db.session() as s, s.begin():
            code = set_office_code(s, args.code, _actor()) if args.code else get_office_code(s)
    finally:
        db.close()
    print(code)
    return EXIT_OK


def cmd_slip(args: argparse.Namespace) -> int:
    from core.packages.slip import render_slip

    db = _db(args)
    try:
        with db.session() as s:
            Path(args.to).write_bytes(render_slip(s, args.number))
    finally:
        db.close()
    print(f"交接单已写入 {args.to}")
    return EXIT_OK


def _add(sub: Any, name: str, help_zh: str, func: Handler) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(name, help=help_zh)
    p.set_defaults(func=func)
    return p


def register(sub: Any, data_dir: DataDirFn | None = None) -> None:
    """Add the package subcommands to main.py's subparsers; `data_dir` is main.py's _data_dir."""
    if data_dir is not None:
        _data_dir_fn[:] = [data_dir]
    p = _add(sub, "verify", "核验一个批次数据包（县局）", cmd_verify)
    p.add_argument("package")
    p.add_argument("--allow-gap", action="store_true", help="不把缺少的前序批次当作错误")
    p = _add(sub, "export-batch", "把初审通过的案件导出为签名的批次数据包", cmd_export_batch)
    p.add_argument("--to", required=True, help="目标文件夹（如U盘）")
    p.add_argument("case_ids", nargs="*", help="案件编号（内部id）；不写则导出全部初审通过的案件")
    p.add_argument("--encrypt", action="store_true", help="用县局的加密公钥加密数据包")
    p = _add(sub, "import-package", "核验并导入站所的批次数据包（县局）", cmd_import_package)
    p.add_argument("package")
    p.add_argument("--allow-gap", action="store_true", help="经核实后，允许跳过缺少的前序批次")
    p = _add(sub, "export-results", "为一个站所生成签名的审核结果包（县局）", cmd_export_results)
    p.add_argument("--office", required=True)
    p.add_argument("--to", required=True)
    p = _add(sub, "import-results", "核验并导入县局的审核结果包", cmd_import_results)
    p.add_argument("package")
    p = _add(sub, "key", "签名密钥：指纹、公钥、备份、恢复、更换", cmd_key)
    p.add_argument(
        "action",
        choices=[
            "fingerprint",
            "public",
            "export",
            "restore",
            "rotate",
            "import-county",
            "public-encryption",
            "import-county-encryption",
        ],
    )
    p.add_argument("file", nargs="?", help="restore / import-county 要读取的文件")
    p.add_argument("--to", help="public / export 要写入的文件")
    p.add_argument("--county", action="store_true", help="县局的密钥（县局模式）")
    p = _add(sub, "county", "县局：登记站所公钥，审核、拨付已导入的案件，核定重复申报", cmd_county)
    csub = p.add_subparsers(dest="county_command", required=True)
    r = csub.add_parser("register-office", help="登记（或更换）站所的签名公钥")
    r.set_defaults(county_func=cmd_county_register)
    r.add_argument("code")
    r.add_argument("pubkey")
    r.add_argument("--name", default="")
    from core.packages import county_commands  # light, like this module

    county_commands.register(csub)
    p = _add(sub, "office-code", "查看或设置本所的上报代码", cmd_office_code)
    p.add_argument("code", nargs="?")
    p = _add(sub, "transfer-slip", "打印批次交接单（PDF）", cmd_slip)
    p.add_argument("number", type=int)
    p.add_argument("--to", required=True)
