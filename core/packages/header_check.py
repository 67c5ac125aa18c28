"""The signed header must match what it signs (#13).

The signature covers the header and the manifest, and the manifest hashes every member; but
a holder of a trusted key could still sign a header that says one thing while the members
say another (two cases listed, three carried; a total that is not the sum of the amounts).
The county reads the header's figures on its screens and the members' figures into its
tables, so every figure of the header is compared with the members before anything is used.
Each mismatch has its own code.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections.abc import Callable
from typing import Any

from core.packages import format as f

Reject = Callable[[str, str], Exception]
MAX_CASE_BYTES = 16 << 20  # a case document with a 1,000-row roster is about 1 MB


def is_count(value: object, least: int = 0) -> bool:
    """A whole number (not a boolean, which is an int in Python) of at least `least`."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= least


def parse_moment(value: str) -> dt.datetime:
    """A header time as naive UTC; one written with a timezone offset is converted, not refused.

    Raises ValueError for a text that is not a time.
    """
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def check_batch_contents(
    zf: zipfile.ZipFile, header: dict[str, Any], manifest: dict[str, str], reject: Reject
) -> None:
    """Compare a batch header with the members it signs: cases, amounts, attachments."""
    uuids = _listed_cases(header, reject)
    carried = sorted(n for n in manifest if n.startswith(f.CASES_DIR))
    if sorted(f.case_member(u) for u in uuids) != carried:
        raise reject(
            "PKG_HEADER_CASES_MISMATCH",
            f"批次信息列出的案件（{len(uuids)} 件）与数据包中的案件资料（{len(carried)} 份）不一致。数据包不能使用。",
        )
    if not is_count(header.get("case_count")) or header.get("case_count") != len(uuids):
        raise reject(
            "PKG_HEADER_COUNT_MISMATCH",
            f"批次信息中的案件数（{header.get('case_count')}）与列出的案件（{len(uuids)} 件）不符。数据包不能使用。",
        )
    amounts = [_case_amount(zf, u, reject) for u in uuids]
    _check_totals(header, amounts, reject)
    _check_attachments(zf, header, manifest, reject)


def _listed_cases(header: dict[str, Any], reject: Reject) -> list[str]:
    cases = header.get("cases")
    if not isinstance(cases, list) or not all(isinstance(c, str) and f.is_safe_name(c) for c in cases):
        raise reject("PKG_HEADER_INVALID", "批次信息（header.json）中的案件清单格式不对。")
    if len(set(cases)) != len(cases):
        raise reject("PKG_HEADER_CASES_MISMATCH", "批次信息中同一件案件列了两次。数据包不能使用。")
    return list(cases)


def _case_amount(zf: zipfile.ZipFile, uuid: str, reject: Reject) -> tuple[str, int]:
    """(subsidy id, amount fen) of one case document; the document must say it is that case."""
    name = f.case_member(uuid)
    try:
        if zf.getinfo(name).file_size > MAX_CASE_BYTES:
            raise ValueError("too large")
        doc = json.loads(zf.read(name).decode("utf-8"))
        case = doc["case"]
        subsidy, amount = case["subsidy_id"], case.get("amount_fen") or 0
    except (ValueError, KeyError, TypeError, RecursionError, zipfile.BadZipFile, OSError):
        raise reject(
            "PKG_CASE_UNREADABLE", f"数据包中的案件资料 {name} 无法读取或缺少必要的项目。数据包不能使用。"
        ) from None
    if case.get("uuid") != uuid or not isinstance(subsidy, str) or not is_count(amount):
        raise reject(
            "PKG_CASE_UNREADABLE", f"数据包中的案件资料 {name} 的案件标识、补贴或金额不对。数据包不能使用。"
        )
    return subsidy, amount


def _check_totals(header: dict[str, Any], amounts: list[tuple[str, int]], reject: Reject) -> None:
    total = sum(a for _, a in amounts)
    if header.get("total_fen") != total or not is_count(header.get("total_fen")):
        raise reject(
            "PKG_HEADER_TOTAL_MISMATCH",
            "批次信息中的合计金额与各案件金额之和不符。数据包不能使用，请与该站所核对。",
        )
    totals: dict[str, dict[str, int]] = {}
    for subsidy, amount in amounts:
        entry = totals.setdefault(subsidy, {"count": 0, "amount_fen": 0})
        entry["count"] += 1
        entry["amount_fen"] += amount
    if header.get("totals") != totals:
        raise reject(
            "PKG_HEADER_SUBSIDY_TOTALS_MISMATCH",
            "批次信息中各项补贴的件数或金额与案件资料不符。数据包不能使用，请与该站所核对。",
        )


def _check_attachments(
    zf: zipfile.ZipFile, header: dict[str, Any], manifest: dict[str, str], reject: Reject
) -> None:
    names = [n for n in manifest if n.startswith(f.ATTACHMENTS_DIR)]
    size = sum(zf.getinfo(n).file_size for n in names)
    count, total = header.get("attachment_count"), header.get("attachment_bytes")
    if not (is_count(count) and is_count(total)) or (count, total) != (len(names), size):
        raise reject(
            "PKG_HEADER_ATTACHMENTS_MISMATCH",
            f"批次信息中的附件数或大小与数据包中的附件（{len(names)} 个）不符。数据包不能使用。",
        )
    for name in names:
        if manifest[name] != name.removeprefix(f.ATTACHMENTS_DIR):
            raise reject(
                "PKG_HEADER_ATTACHMENTS_MISMATCH", f"附件 {name} 的名称与其内容的校验值不符。数据包不能使用。"
            )
