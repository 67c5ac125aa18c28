"""`print`: a case's documents or a roster, written to a file.

python main.py print {form,receipt,notice,refusal,review-failed} CASE -o FILE.pdf
python main.py print roster CASE... -o FILE.pdf|FILE.xlsx [--public] [--batch LABEL]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cli.common import EXIT_BAD_INPUT, EXIT_OK, database

# As in core.printing.service.CASE_DOCUMENTS, which is not imported here: the parser is built on
# every run, and the printing service loads the ORM.
DOCUMENTS = (
    ("form", "申请表"),
    ("receipt", "受理回执"),
    ("notice", "一次性告知书"),
    ("refusal", "不予受理告知书"),
    ("review_failed", "初审不通过告知书"),
)


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return EXIT_BAD_INPUT


def cmd_print_case(args: argparse.Namespace, kind: str) -> int:
    from core.app.reports import find_case, prepare_case_document
    from core.printing.output import save_bytes

    if Path(args.output).suffix.lower() != ".pdf":
        return _fail(f"输出文件应以 .pdf 结尾：{args.output}")
    with database(args) as db:
        document = prepare_case_document(db, kind=kind, case_id=find_case(db, ref=args.case))
    save_bytes(args.output, document.render())
    print(f"已写出 {args.output}")
    return EXIT_OK


def cmd_print_roster(args: argparse.Namespace) -> int:
    from core.app.reports import find_case, prepare_roster
    from core.printing.output import save_bytes

    fmt = Path(args.output).suffix.lower().lstrip(".")
    if fmt not in ("pdf", "xlsx"):
        return _fail(f"花名册只能写成 .pdf 或 .xlsx 文件：{args.output}")
    with database(args) as db:
        ids = [find_case(db, ref=ref) for ref in args.cases]
        roster = prepare_roster(db, case_ids=ids, public=args.public, batch_label=args.batch)
    save_bytes(args.output, roster.render(fmt))
    print(f"已写出 {args.output}（{len(set(args.cases))}个案件）")
    return EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser("print", help=f"生成{'、'.join(t for _, t in DOCUMENTS)}或花名册（PDF / Excel）")
    docs = p.add_subparsers(dest="document", required=True)
    for kind, title in DOCUMENTS:
        d = docs.add_parser(kind.replace("_", "-"), help=f"一个案件的{title}（PDF）")
        d.add_argument("case", help="案件序号或受理编号")
        d.add_argument("-o", "--output", required=True, help="写入的 PDF 文件")
        d.add_argument("--data-dir", dest="data_dir", default=argparse.SUPPRESS, help="数据目录")
        d.set_defaults(func=lambda args, _k=kind: cmd_print_case(args, _k))
    r = docs.add_parser("roster", help="若干案件的花名册或公示名单（PDF 或 .xlsx）")
    r.add_argument("cases", nargs="+", help="案件序号或受理编号（同一补贴的案件）")
    r.add_argument("-o", "--output", required=True, help="写入的文件：.pdf 或 .xlsx")
    r.add_argument("--public", action="store_true", help="公示名单（身份证号隐去中间8位）")
    r.add_argument("--batch", default="", help="批次号（印在表头）")
    r.add_argument("--data-dir", dest="data_dir", default=argparse.SUPPRESS, help="数据目录")
    r.set_defaults(func=cmd_print_roster)
