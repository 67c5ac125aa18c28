"""SubsidyDesk: start the program, or run one of its jobs from the command line.

    python main.py                      the program's window
    python main.py --self-test          open the main window offscreen, touch the database, exit
    python main.py catalogs             list the policy catalogs and their subsidies
    python main.py catalog-report ID    a readable report of one catalog (Markdown or HTML)
    python main.py assess CASE.json     assess a case document and print the decision
    python main.py backup [--list]      back the data up now (or list the backups)
    python main.py restore FOLDER       restore a backup, after a safety backup of the current data

Imports stay inside the functions: a clerk waiting for the window should not pay for
modules that the window does not need.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

EXIT_UNEXPECTED = 1
EXIT_BAD_INPUT = 2
EXIT_NO_DISPLAY = 8


def _resolve_data_dir(args: argparse.Namespace) -> Path:
    from cli.common import resolve_data_dir

    return resolve_data_dir(args)


def _has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    if os.environ.get("QT_QPA_PLATFORM", "").split(":")[0] in ("offscreen", "minimal", "vnc", "eglfs"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def cmd_gui(args: argparse.Namespace) -> int:
    if args.self_test:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    elif not _has_display():
        print(
            "没有可用的图形显示（未设置 DISPLAY），无法打开窗口。请在桌面环境中启动，"
            "或用 --self-test / 命令行子命令（python main.py --help）。",
            file=sys.stderr,
        )
        return EXIT_NO_DISPLAY
    from ui.app import run_app

    return run_app(_resolve_data_dir(args), self_test=args.self_test, database_url=args.database_url)


def cmd_catalogs(args: argparse.Namespace) -> int:
    from core.policy.service import catalogs_by_id, list_catalogs

    summaries, errors = list_catalogs()
    full = catalogs_by_id()
    for summary in summaries:
        number = summary.document_number or "（文件未载明文号）"
        print(f"{summary.id}  版本 {summary.version}  {number}  {summary.title}")
        for sub in full[summary.id].subsidies:
            print(f"    {sub.id:<36} {sub.name}")
    for err in errors:
        print(f"政策目录有错误，已停用：{err.describe()}", file=sys.stderr)
    return 0 if not errors else 1


def cmd_catalog_report(args: argparse.Namespace) -> int:
    from core.policy.service import catalog_report

    text = catalog_report(args.catalog_id, args.format)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"已写出 {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def cmd_assess(args: argparse.Namespace) -> int:
    from core.policy.explain import format_assessment
    from core.policy.service import assess_document, get_catalog

    try:
        doc = json.loads(Path(args.case_file).read_text(encoding="utf-8"))
    except FileNotFoundError:
        print(f"找不到案件文件：{args.case_file}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"无法读取案件文件 {args.case_file}：{exc.strerror or '不是文件'}。", file=sys.stderr)
        return EXIT_BAD_INPUT
    except UnicodeDecodeError:
        print(f"案件文件 {args.case_file} 不是 UTF-8 编码的文本，请另存为 UTF-8 后再试。", file=sys.stderr)
        return EXIT_BAD_INPUT
    except json.JSONDecodeError as exc:
        where = f"第{exc.lineno}行第{exc.colno}列"
        print(f"案件文件 {args.case_file} 不是有效的 JSON：{where}有格式错误。", file=sys.stderr)
        return EXIT_BAD_INPUT
    except RecursionError:
        doc = None  # nested beyond what any case document needs
    if doc is None or _too_deep(doc):
        print(f"案件文件 {args.case_file} 的嵌套层次过深，不是案件文件。", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not isinstance(doc, dict):
        print(f"案件文件 {args.case_file} 的最外层应为一个对象（{{...}}）。", file=sys.stderr)
        return EXIT_BAD_INPUT
    assessment = assess_document(doc)
    if args.json:
        print(json.dumps(assessment.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_assessment(assessment, get_catalog(assessment.catalog_id)), end="")
    return 0


MAX_DOCUMENT_DEPTH = 16  # a case document nests four levels; anything far deeper is not one


def _too_deep(doc: object) -> bool:
    """Measured without recursion, so that a hostile file cannot exhaust the stack."""
    stack = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DOCUMENT_DEPTH:
            return True
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        stack.extend((child, depth + 1) for child in children)
    return False


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="subsidydesk", description="SubsidyDesk 就业帮扶补贴受理程序")
    parser.add_argument(
        "--data-dir", help="数据目录（默认为用户数据目录，也可用环境变量 SUBSIDYDESK_DATA_DIR）"
    )
    parser.add_argument(
        "--database-url",
        help="PostgreSQL 数据库地址 postgresql+psycopg://用户@服务器:端口/库名（县局多台电脑共用时；"
        "也可用环境变量 SUBSIDYDESK_DATABASE_URL；默认用数据目录中的数据库文件）",
    )
    parser.add_argument("--self-test", action="store_true", help="离屏打开主窗口并检查数据库，然后退出")
    parser.add_argument(
        "--user", "--operator", dest="user", help="以哪个账户操作（姓名），记入每一项改动；需要该账户的密码"
    )
    parser.add_argument("--password-file", help="存放登录密码的文件（第一行）；不给时在提示后输入，不回显")
    sub = parser.add_subparsers(dest="command")
    p = sub.add_parser("catalogs", help="列出政策目录及其补贴项目")
    p.set_defaults(func=cmd_catalogs)
    p = sub.add_parser("catalog-report", help="输出一个政策目录的核对报告")
    p.add_argument("catalog_id")
    p.add_argument("--format", choices=["markdown", "html"], default="markdown")
    p.add_argument("-o", "--output", help="写入文件（默认输出到屏幕）")
    p.set_defaults(func=cmd_catalog_report)
    p = sub.add_parser("assess", help="按政策目录评估一个案件文件（JSON）")
    p.add_argument("case_file")
    p.add_argument("--json", action="store_true", help="以 JSON 输出评估结果")
    p.set_defaults(func=cmd_assess)
    from cli import (  # light: each job imports what it needs when run
        accounts,
        audit,
        backups,
        county,
        database,
        network,
        packages,
        printing,
    )

    accounts.register(sub)
    audit.register(sub)
    backups.register(sub)
    database.register(sub)
    printing.register(sub)
    packages.register(sub)
    county.register(sub)
    network.register(sub)
    return parser


def _safe_output() -> None:
    """Chinese Windows consoles use GBK, which lacks marks such as ✓: replace what cannot be
    shown instead of crashing; output redirected to a file is written as UTF-8."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue  # the console-less program has no streams at all
        if stream.isatty():
            reconfigure(errors="replace")
        else:
            reconfigure(encoding="utf-8", errors="replace")


def main(argv: list[str] | None = None) -> int:
    _safe_output()
    args = build_parser().parse_args(argv)
    code = _run(args)
    from core.logs import log_exit

    log_exit(code)
    return code


def _run(args: argparse.Namespace) -> int:
    func = getattr(args, "func", None)
    try:
        if func is None:
            return cmd_gui(args)
        return int(func(args))
    except BrokenPipeError:
        # `python main.py catalogs | head`: the reader left early; not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        return _explain(args, exc)


def _explain(args: argparse.Namespace, exc: Exception) -> int:
    """One Chinese line on stderr and an exit code, never a traceback (that goes to the log)."""
    import logging

    from core.errors import DatabaseUnavailable, SubsidyDeskError

    log = logging.getLogger("subsidydesk.main")
    if isinstance(exc, SubsidyDeskError):
        log.warning("命令没有完成：%s", exc.code)
        print(exc.message_zh, file=sys.stderr)
        return exc.exit_code if isinstance(exc, DatabaseUnavailable) else EXIT_BAD_INPUT
    log_path = _open_log_for(args)
    log.error("意外错误", exc_info=exc)
    if log_path is None:
        print("程序遇到意外错误，日志也无法写入（原因见上）。", file=sys.stderr)
    else:
        print(f"程序遇到意外错误，已记入日志 {log_path}。", file=sys.stderr)
    return EXIT_UNEXPECTED


def _open_log_for(args: argparse.Namespace) -> Path | None:
    """The log file; a job that opened no data folder (catalogs) gets the default one now."""
    from core.logs import current_log_path, setup_logging

    if current_log_path() is None:
        try:
            setup_logging(_resolve_data_dir(args))
        except Exception:  # e.g. no user folder: the error being reported matters more
            return None
    return current_log_path()


if __name__ == "__main__":
    sys.exit(main())
