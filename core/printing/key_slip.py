"""密钥登记表: the paper that goes with a public key file, signed and stamped.

A town's slip carries the office's name, its 上报代码 and its signing key's fingerprint; the
county officer who registers the key compares the fingerprint on screen with it, group by group,
and signs it. The county's own slip (县局密钥公布表) carries the fingerprints of its signing and
encryption keys, for each town to compare when it imports them. Same font, page and helpers as
the office's other documents (core/printing/layout.py); the fingerprint is set in a monospace
font in groups of four, the way it is read aloud on the phone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from core.printing.layout import BLANK_DATE, CONTENT_WIDTH, SHADE, build_pdf, grid, p, plain
from core.printing.sheets import zh_date

GROUPS_PER_LINE = 4


@dataclass(frozen=True)
class KeySlip:
    title: str  # 密钥登记表 / 县局密钥公布表
    holder: str  # the office's or the county's name
    facts: tuple[tuple[str, str], ...]  # (label, value), printed under the holder
    fingerprints: tuple[tuple[str, str], ...]  # (label, SHA-256 hex)
    printed_on: dt.date
    purpose: str
    signatures: tuple[tuple[str, ...], tuple[str, ...]]  # the lines of the left and right blocks


def town_slip(
    office_name: str, code: str, fingerprint: str, printed_on: dt.date, old_last_batch: int | None = None
) -> KeySlip:
    facts = [("单位名称", office_name), ("上报代码", code), ("密钥用途", "就业帮扶补贴上报批次的电子签名")]
    if old_last_batch is not None:  # after a change of keys: where the old key stops (#13)
        facts.append(("旧密钥签署的最后批次", f"第{old_last_batch}批"))
    return KeySlip(
        "密钥登记表",
        office_name,
        tuple(facts),
        (("签名密钥指纹", fingerprint),),
        printed_on,
        "本表随本所公钥文件一并交县劳动就业管理局登记。登记时，县局经办人应把屏幕上显示的指纹与本表"
        "逐组核对，完全一致后方可登记；不一致说明文件被调换，不得登记。本表不含私钥，可以公开。",
        (
            ("事务所负责人（所长）签字：", "（盖章）", f"日期：{BLANK_DATE}"),
            ("县局登记人签字：", "", f"登记日期：{BLANK_DATE}"),
        ),
    )


def county_slip(
    county_name: str, signing: str, encryption: str, printed_on: dt.date, service: str | None = None
) -> KeySlip:
    """`service`: the receiving service's certificate fingerprint, which towns type into 上报服务设置."""
    fingerprints: tuple[tuple[str, str], ...] = (
        ("签名公钥指纹（审核结果）", signing),
        ("加密公钥指纹（上报批次）", encryption),
    )
    if service:
        fingerprints += (("上报服务证书指纹（网上报送）", service),)
    return KeySlip(
        "县局密钥公布表",
        county_name,
        (("单位名称", county_name), ("密钥用途", "核验县局发回的审核结果；加密乡镇上报的批次")),
        fingerprints,
        printed_on,
        "本表随县局公钥文件一并发给各乡镇劳动保障事务所。事务所导入县局公钥时，应把屏幕上显示的指纹"
        "与本表逐组核对，完全一致后方可导入。本表不含私钥，可以公开。",
        (
            ("县局负责人签字：", "（盖章）", f"日期：{BLANK_DATE}"),
            ("事务所核对人签字：", "", f"核对日期：{BLANK_DATE}"),
        ),
    )


def fingerprint_lines(fp: str) -> list[str]:
    """64 hex characters as 4 lines of 4 groups of 4."""
    groups = [fp[i : i + 4] for i in range(0, len(fp), 4)]
    return [" ".join(groups[i : i + GROUPS_PER_LINE]) for i in range(0, len(groups), GROUPS_PER_LINE)]


def _fingerprint(fp: str) -> Paragraph:
    # Hex digits only: the PDF's built-in monospace font has them, and 0 and O stay apart.
    style = ParagraphStyle("fingerprint", fontName="Courier-Bold", fontSize=15, leading=22)
    return Paragraph("<br/>".join(fingerprint_lines(fp)), style)


def _story(slip: KeySlip) -> list[Any]:
    w = CONTENT_WIDTH
    facts = [[p(label, "label"), p(value)] for label, value in slip.facts]
    facts += [[p(label, "label"), _fingerprint(fp)] for label, fp in slip.fingerprints]
    facts.append([p("填表日期", "label"), p(zh_date(slip.printed_on))])
    signs = [[p(left, "body"), p(right, "body")] for left, right in zip(*slip.signatures, strict=True)]
    return [
        p(slip.holder, "office"),
        p(slip.title, "title"),
        p("就业帮扶补贴数据交换", "subtitle"),
        Spacer(1, 3 * mm),
        grid(facts, [w * 0.30, w * 0.70], ("BACKGROUND", (0, 0), (0, -1), SHADE)),
        Spacer(1, 4 * mm),
        p(slip.purpose, "indent"),
        Spacer(1, 12 * mm),
        plain(signs, [w / 2, w / 2], ("BOTTOMPADDING", (0, 0), (-1, -1), 10)),
    ]


def render_key_slip(slip: KeySlip) -> bytes:
    return build_pdf(_story(slip), f"{slip.title} {slip.holder}", f"{slip.holder} {slip.title}")
