"""The `print` subcommand of main.py.

    python main.py print {form,receipt,notice} CASE_ID -o FILE.pdf
    python main.py print roster CASE_ID... -o FILE.pdf|FILE.xlsx [--public] [--batch LABEL]

Imports nothing heavy at module level: main.py builds its parser on every start.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

EXIT_BAD_INPUT = 2


DataDir = Callable[[argparse.Namespace], Path]


def _default_data_dir(args: argparse.Namespace) -> Path:
    if getattr(args, "data_dir", None):
        return Path(args.data_dir)
    from core.db.engine import default_data_dir

    return default_data_dir()


def register(subparsers: Any, data_dir: DataDir | None = None) -> None:
    """Add `print` to main.py's subcommands; pass main.py's `_data_dir` to share its rules."""
    data_dir = data_dir or _default_data_dir
    p = subparsers.add_parser("print", help="生成申请表、受理回执、一次性告知书或花名册（PDF / Excel）")
    docs = p.add_subparsers(dest="document", required=True)
    for kind, title in (("form", "申请表"), ("receipt", "受理回执"), ("notice", "一次性告知书")):
        d = docs.add_parser(kind, help=f"一个案件的{title}（PDF）")
        d.add_argument("case", help="案件序号或受理编号")
        d.add_argument("-o", "--output", required=True, help="写入的 PDF 文件")
        d.add_argument("--data-dir", dest="data_dir", default=argparse.SUPPRESS, help="数据目录")
        d.set_defaults(func=lambda args, _k=kind: cmd_print_case(args, _k, data_dir))
    r = docs.add_parser("roster", help="若干案件的花名册或公示名单（PDF 或 .xlsx）")
    r.add_argument("cases", nargs="+", help="案件序号或受理编号（同一补贴的案件）")
    r.add_argument("-o", "--output", required=True, help="写入的文件：.pdf 或 .xlsx")
    r.add_argument("--public", action="store_true", help="公示名单（身份证号隐去中间8位）")
    r.add_argument("--batch", default="", help="批次号（印在表头）")
    r.add_argument("--data-dir", dest="data_dir", default=argparse.SUPPRESS, help="数据目录")
    r.set_defaults(func=lambda args: cmd_print_roster(args, data_dir))


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return EXIT_BAD_INPUT


def cmd_print_case(args: argparse.Namespace, kind: str, data_dir: DataDir) -> int:
    from core.db import open_database
    from core.printing.data import resolve_case
    from core.printing.errors import PrintingError
    from core.printing.output import save_pdf
    from core.printing.service import render_case_document

    if Path(args.output).suffix.lower() != ".pdf":
        return _fail(f"输出文件应以 .pdf 结尾：{args.output}")
    db = open_database(data_dir(args))
    try:
        with db.session() as session:
            data = render_case_document(session, kind, resolve_case(session, args.case))
        save_pdf(args.output, data)
    except PrintingError as exc:
        return _fail(exc.message_zh)
    finally:
        db.close()
    print(f"已写出 {args.output}")
    return 0


def cmd_print_roster(args: argparse.Namespace, data_dir: DataDir) -> int:
    from core.db import open_database
    from core.printing.data import resolve_case
    from core.printing.errors import PrintingError
    from core.printing.output import save_bytes
    from core.printing.service import render_roster

    fmt = Path(args.output).suffix.lower().lstrip(".")
    if fmt not in ("pdf", "xlsx"):
        return _fail(f"花名册只能写成 .pdf 或 .xlsx 文件：{args.output}")
    db = open_database(data_dir(args))
    try:
        with db.session() as session:
            ids = [resolve_case(session, ref) for ref in args.cases]
            data = render_roster(session, ids, fmt, public=args.public, batch_label=args.batch)
        save_bytes(args.output, data)
    except PrintingError as exc:
        return _fail(exc.message_zh)
    finally:
        db.close()
    print(f"已写出 {args.output}（{len(set(args.cases))}个案件）")
    return 0
