"""The 统计 screen: counted on a worker, the table and chart per dimension, the table to Excel and
the chart to PNG; the county's 拨付汇总表 from its button."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PIL import Image
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from core.actor import Actor, Station
from core.cases.statistics import Dimension
from tests.packages.conftest import Site
from tests.printing.conftest import Printing, pdf_text
from tests.spreadsheets.readback import header_row, sheet
from ui.dialog_service import ScriptedDialogs
from ui.jobs import is_running
from ui.statistics.chart import ChartKind
from ui.statistics.view import StatisticsWindow

TODAY = dt.date(2024, 9, 30)


def counted(qtbot: QtBot, window: StatisticsWindow, period: str | None = None) -> None:
    job = window.choose_period(period) if period else window.count()
    assert job is not None
    qtbot.waitUntil(lambda: not is_running(job), timeout=20_000)


def test_the_screen_counts_shows_and_exports(
    qtbot: QtBot, qtmodeltester, varied: Printing, tmp_path: Path
) -> None:
    dialogs = ScriptedDialogs(files=[str(tmp_path / "统计表.xlsx"), str(tmp_path / "统计图")])
    window = StatisticsWindow(varied.db, dialogs, lambda: Actor("张会计"), today=TODAY)
    qtbot.addWidget(window)
    window.show()
    counted(qtbot, window, "本年")
    stats = window.state.stats
    assert stats is not None and stats.applied_from == dt.date(2024, 1, 1) and stats.applied_to == TODAY
    qtmodeltester.check(window.model)
    months = stats.tables[Dimension.MONTH].lines
    assert window.model.rowCount() == len(months) + 1
    last = window.model.rowCount() - 1
    assert window.model.data(window.model.index(last, 0)) == "合计"
    assert window.model.data(window.model.index(last, 1)) == str(stats.total.cases)
    assert window.chart.chart.kind is ChartKind.BARS and len(window.chart.chart.bars) == len(months)
    window.dimension.setCurrentIndex(window.dimension.findData(Dimension.SUBSIDY.value))
    assert (
        window.chart.chart.kind is ChartKind.SHARE
        and window.model.headerData(0, Qt.Orientation.Horizontal) == "补贴项目"
    )
    window.dimension.setCurrentIndex(window.dimension.findData(Dimension.GROUP.value))
    assert "各计一次" in window.note.text()
    job = window.save_table()
    assert job is not None
    qtbot.waitUntil(lambda: not is_running(job), timeout=10_000)
    ws = sheet((tmp_path / "统计表.xlsx").read_bytes(), "按人员类别")
    assert header_row(ws, ["人员类别", "件数", "金额（元）"]) == 2
    png = window.save_chart()
    assert png == tmp_path / "统计图.png"
    with Image.open(png) as image:
        assert (
            image.size == (1200, 600) and len(image.convert("RGB").getcolors(maxcolors=100_000) or ()) > 5
        )  # drawn, not blank
    assert [m[0] for m in dialogs.messages] == ["info", "info"]


def test_the_county_screen_and_its_payment_summary(
    qtbot: QtBot, county: Site, decided: dict[str, str]
) -> None:
    from ui.statistics.payments import PaymentSummaryDialog

    shown: list[tuple[str, bytes]] = []
    actor = Actor("王审核", station=Station.COUNTY)
    window = StatisticsWindow(county.db, ScriptedDialogs(), lambda: actor, today=dt.date(2024, 12, 31))
    qtbot.addWidget(window)
    counted(qtbot, window, "本年")
    assert window.payments.isVisibleTo(window) and window.dimension.itemText(2) == "按乡镇"
    assert window.state.stats is not None and window.state.stats.total.cases == 3
    dialog = PaymentSummaryDialog(
        county.db, ScriptedDialogs(), actor, today=dt.date(2024, 7, 15),
        show=lambda _parent, data, name, _dialogs: shown.append((name, data)),
    )  # fmt: skip
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1 and "伍佰元整" in dialog.total.text()  # June: 张三's 500.00
    job = dialog.preview()
    assert job is not None
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert shown[0][0].startswith("就业帮扶补贴拨付汇总表_20240601") and "人民币伍佰元整" in pdf_text(
        shown[0][1]
    )
