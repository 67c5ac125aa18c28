"""The transfer slip (交接单) of a batch: what was handed over, for both sides to sign.

Drawn with core.printing's layout helpers (its font and styles), so it looks like the office's
other printed documents.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import Case, Office
from core.money import format_yuan
from core.packages.errors import PackageError
from core.packages.keys import display_fingerprint
from core.packages.models import Batch, BatchCase
from core.packages.roster import subsidy_names


@dataclass(frozen=True)
class SlipData:
    office_name: str
    office_code: str
    number: int
    created_at: str
    file_name: str
    case_count: int
    attachment_count: int
    total_fen: int
    lines: tuple[tuple[str, int, int], ...]  # (subsidy name, count, fen)
    manifest_sha256: str
    key_fingerprint: str


def local_time(at: dt.datetime) -> dt.datetime:
    """Times are stored in UTC; people read the PC's local time."""
    return at.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)


def _names(session: Session, batch: Batch) -> dict[str, str]:
    """The batch's subsidies by name; the totals name a subsidy by its id, the catalog is the case's
    (two catalogs may use the same id for different subsidies)."""
    catalog = subsidy_names()
    pairs = session.execute(
        select(Case.catalog_id, Case.subsidy_id)
        .join(BatchCase, BatchCase.case_id == Case.id)
        .where(BatchCase.batch_id == batch.id)
        .distinct()
    )
    return {sid: catalog[(cid, sid)] for cid, sid in pairs if (cid, sid) in catalog}


def slip_data(session: Session, number: int) -> SlipData:
    batch = session.scalar(select(Batch).where(Batch.number == number))
    if batch is None:
        raise PackageError("BATCH_NOT_FOUND", f"没有第{number}批，请核对批次号。")
    office = session.get(Office, batch.office_id)
    names = _names(session, batch)
    lines = tuple(
        (names.get(sid, "（补贴名称不详）"), int(t["count"]), int(t["amount_fen"]))
        for sid, t in sorted(batch.totals.items())
    )
    return SlipData(
        office.name if office else "", batch.office_code, batch.number, f"{local_time(batch.created_at):%Y-%m-%d %H:%M}",
        batch.file_name, batch.case_count, batch.attachment_count, batch.total_fen, lines, batch.manifest_sha256,
        batch.key_fingerprint,
    )  # fmt: skip


def _story(d: SlipData) -> list[Any]:
    from core.printing.layout import CONTENT_WIDTH, grid, p, plain

    w = CONTENT_WIDTH
    rows = [[p("补贴项目", "label"), p("件数", "label"), p("金额（元）", "label")]]
    rows += [[p(name), p(str(count), "cell_c"), p(format_yuan(fen), "right")] for name, count, fen in d.lines]
    rows.append([p("合计", "label"), p(str(d.case_count), "cell_c"), p(format_yuan(d.total_fen), "right")])
    facts = [
        [p("报送单位"), p(f"{d.office_name}（代码 {d.office_code}）")],
        [p("批次号"), p(f"第 {d.number} 批，生成于 {d.created_at}")],
        [p("数据包文件"), p(d.file_name)],
        [p("案件 / 附件"), p(f"{d.case_count} 件 / {d.attachment_count} 个附件文件")],
        [p("清单校验值"), p(display_fingerprint(d.manifest_sha256), "small")],
        [p("签名密钥指纹"), p(display_fingerprint(d.key_fingerprint), "small")],
    ]
    signs = [
        [p("移交人（站所）签字：", "body"), p("接收人（县局）签字：", "body")],
        [p("日期：", "body"), p("日期：", "body")],
    ]
    return [
        p("就业帮扶补贴申报材料交接单", "title"),
        grid(facts, [w * 0.28, w * 0.72]),
        p("分项汇总", "section"),
        grid(rows, [w * 0.56, w * 0.14, w * 0.30], repeat=1),
        p(
            "接收方在“县局 → 导入乡镇上报包”中核验数据包后，核对上面的清单校验值与屏幕显示一致，再签字。",
            "small",
        ),
        plain(signs, [w / 2, w / 2]),
    ]


def draw_slip(d: SlipData) -> bytes:
    """The PDF of gathered slip data; touches no database (safe on a worker thread)."""
    from core.printing.layout import build_pdf

    return build_pdf(
        _story(d), f"交接单 {d.office_code} 第{d.number}批", f"{d.office_name} 第{d.number}批交接单"
    )


def render_slip(session: Session, number: int) -> bytes:
    return draw_slip(slip_data(session, number))
