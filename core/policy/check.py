"""`python -m core.policy.check FILE...`: print every error of catalog files (exit 1 if any).

Catalog writers run this while encoding a document. Besides the loader's checks it verifies,
when the seed documents are at hand, that every clause text is copied verbatim from the
catalog's `source_file` (whitespace and page breaks ignored; "..." may join excerpts).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from core.policy.errors import CatalogError
from core.policy.loader import read_catalog, repo_root

_ELLIPSIS = re.compile(r"\.{3,}|…+|⋯+")
_SPACE = re.compile(r"\s+")


def seeds_dir() -> Path:
    env = os.environ.get("SUBSIDYDESK_SEEDS")
    return Path(env) if env else repo_root().parent / "shared" / "seeds"


def check_file(path: Path, seeds: Path | None) -> list[CatalogError]:
    catalog, errors = read_catalog(path)
    if catalog is not None and seeds is not None and catalog.source_file:
        errors = errors + check_clauses(path, seeds / catalog.source_file)
    return errors


def check_clauses(path: Path, seed: Path) -> list[CatalogError]:
    """Every clause text must occur in the seed document (pieces split by an ellipsis)."""
    if not seed.is_file():
        return [
            CatalogError(
                path.name,
                None,
                "source_file",
                f"找不到原始文件 {seed}，无法核对条款原文。",
                "CATALOG_SOURCE_MISSING",
            )
        ]
    source = _squash(seed.read_text(encoding="utf-8"))
    raw = json.loads(path.read_text(encoding="utf-8"))
    errors = []
    for subsidy, field_path, text in _clauses(raw, "", None):
        for piece in _ELLIPSIS.split(text):
            if _squash(piece) and _squash(piece) not in source:
                errors.append(
                    CatalogError(
                        path.name,
                        subsidy,
                        field_path,
                        f"条款原文在 {seed.name} 中找不到：“{piece.strip()[:60]}”。"
                        "请逐字复制（省略处用……）。",
                        "CATALOG_CLAUSE_NOT_VERBATIM",
                    )
                )
                break
    return errors


def _squash(text: str) -> str:
    return _SPACE.sub("", text)


def _clauses(node: Any, path: str, subsidy: str | None) -> Iterator[tuple[str | None, str, str]]:
    if isinstance(node, dict):
        if path.startswith("subsidies[") and path.count(".") == 0 and isinstance(node.get("id"), str):
            subsidy, path = node["id"], ""
        clause = node.get("clause")
        if isinstance(clause, dict) and isinstance(clause.get("text"), str):
            yield subsidy, f"{path}.clause" if path else "clause", clause["text"]
        for key, value in node.items():
            # An extension's clause quotes the county's later notice, not the seed document.
            if key != "clause" and key != "extensions":
                yield from _clauses(value, f"{path}.{key}" if path else key, subsidy)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _clauses(item, f"{path}[{i}]", subsidy)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m core.policy.check", description="检查政策目录文件，列出全部错误。"
    )
    parser.add_argument("files", nargs="+", type=Path, help="resources/policies/*.json")
    parser.add_argument("--no-verbatim", action="store_true", help="不核对条款原文")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出错误")
    args = parser.parse_args(argv)
    seeds = None if args.no_verbatim or not seeds_dir().is_dir() else seeds_dir()
    all_errors: list[CatalogError] = []
    for path in args.files:
        errors = check_file(path, seeds)
        all_errors.extend(errors)
        if not args.json:
            _print_file(path, errors)
    if args.json:
        print(json.dumps([e.to_dict() for e in all_errors], ensure_ascii=False, indent=2))
    return 1 if all_errors else 0


def _print_file(path: Path, errors: list[CatalogError]) -> None:
    if not errors:
        print(f"✓ {path}: 没有发现错误")
        return
    print(f"✗ {path}: {len(errors)} 处错误")
    for e in errors:
        where = f"[{e.subsidy_id}] " if e.subsidy_id else ""
        print(f"  - {where}{e.field_path or '(文件)'}: {e.message_zh}  ({e.code})")


if __name__ == "__main__":
    sys.exit(main())
