"""The 统计 screen (文件 → 统计): a period, a dimension, the table and its chart; the table to Excel,
the chart to PNG; at the county also the 拨付汇总表 (ui/statistics/payments.py).

The figures are counted on a worker (ui/jobs.py), with progress and 取消; the screen shows the
last result until the next one arrives.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.actor import Actor, Station
from core.app import statistics as stats_ops
from core.app.storage import Database
from core.cases.statistics import Dimension
from ui.dialog_service import DialogService
from ui.jobs import Job, run_job
from ui.statistics.chart import Bar, Chart, ChartKind, ChartWidget
from ui.statistics.model import StatisticsModel
from ui.statistics.state import PERIODS, StatisticsState, this_year

if TYPE_CHECKING:
    from ui.printing import Show

TITLE = "统计"
DIMENSIONS = (Dimension.MONTH, Dimension.SUBSIDY, Dimension.PLACE, Dimension.STATUS, Dimension.GROUP)


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


class StatisticsWindow(QWidget):
    def __init__(
        self,
        db: Database,
        dialogs: DialogService,
        actor_of: Callable[[], Actor],
        parent: QWidget | None = None,
        today: dt.date | None = None,
        show: Show | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.db, self.dialogs, self.actor_of, self._show = db, dialogs, actor_of, show
        self.today = today or dt.date.today()
        start, end = this_year(self.today)
        self.state = StatisticsState(start, end)
        self.model = StatisticsModel(self.state)
        self.job: Job | None = None
        self.setWindowTitle("统计" + ("（县局）" if self._county() else ""))
        self.resize(1000, 680)
        self._make_widgets()
        self._lay_out()
        self._connect()
        self._show_stats()

    def _county(self) -> bool:
        return self.actor_of().station is Station.COUNTY

    def _make_widgets(self) -> None:
        self.from_edit = self._date_edit(self.state.applied_from)
        self.to_edit = self._date_edit(self.state.applied_to)
        self.period_buttons = {name: QPushButton(name) for name in PERIODS}
        self.count_button = QPushButton("统计(&S)")
        self.count_button.setDefault(True)
        self.dimension = QComboBox()
        place = "按乡镇" if self._county() else "按村"
        for dim, text in zip(
            DIMENSIONS, ("按月份", "按补贴项目", place, "按状态", "按人员类别"), strict=True
        ):
            self.dimension.addItem(text, dim.value)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.chart = ChartWidget()
        self.summary = QLabel(wordWrap=True)
        self.note = QLabel(wordWrap=True)
        self.note.setStyleSheet("color: #664d03;")
        self.export_table = QPushButton("导出表格到Excel(&E)…")
        self.export_chart = QPushButton("导出图表为PNG(&P)…")
        self.payments = QPushButton("拨付汇总表(&B)…")
        self.payments.setVisible(self._county())

    def _date_edit(self, day: dt.date) -> QDateEdit:
        edit = QDateEdit(_qdate(day))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    def _lay_out(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(QLabel("申请日期从"))
        bar.addWidget(self.from_edit)
        bar.addWidget(QLabel("到"))
        bar.addWidget(self.to_edit)
        for button in self.period_buttons.values():
            bar.addWidget(button)
        bar.addWidget(self.count_button)
        bar.addStretch(1)
        bar.addWidget(QLabel("分组"))
        bar.addWidget(self.dimension)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.chart)
        split.setSizes([520, 460] if self._county() else [420, 560])  # the county has three amounts
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_table)
        buttons.addWidget(self.export_chart)
        buttons.addStretch(1)
        buttons.addWidget(self.payments)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        layout.addWidget(self.note)
        layout.addLayout(buttons)

    def _connect(self) -> None:
        self.count_button.clicked.connect(self.count)
        for name, button in self.period_buttons.items():
            button.clicked.connect(lambda _c=False, n=name: self.choose_period(n))
        self.dimension.currentIndexChanged.connect(lambda _i: self._dimension_changed())
        self.export_table.clicked.connect(self.save_table)
        self.export_chart.clicked.connect(self.save_chart)
        self.payments.clicked.connect(self.open_payments)

    def choose_period(self, name: str) -> Job | None:
        start, end = PERIODS[name](self.today)
        self.from_edit.setDate(_qdate(start))
        self.to_edit.setDate(_qdate(end))
        return self.count()

    def count(self) -> Job:
        """Count the period on a worker; the result replaces the table and the chart."""
        start, end = _date(self.from_edit.date()), _date(self.to_edit.date())
        db, actor = self.db, self.actor_of()
        self.job = run_job(
            self, self.dialogs,
            lambda report: stats_ops.statistics(db, actor, applied_from=start, applied_to=end, progress=report),
            self._counted, title=TITLE, label="正在统计……", cancellable=True,
        )  # fmt: skip
        return self.job

    def _counted(self, result: Any) -> None:
        self.state.stats = result
        self.state.applied_from, self.state.applied_to = result.applied_from, result.applied_to
        self._show_stats()

    def _dimension_changed(self) -> None:
        self.state.dimension = Dimension(self.dimension.currentData())
        self._show_stats()

    def _show_stats(self) -> None:
        self.model.refresh()
        stats = self.state.stats
        has = stats is not None
        self.export_table.setEnabled(has)
        self.export_chart.setEnabled(has)
        if stats is None:
            self.summary.setText("选择申请日期的范围，然后点“统计”。")
            self.note.setText("")
            self.chart.set_chart(Chart("", ChartKind.BARS, ()))
            return
        total = self.state.lines()[-1]
        self.summary.setText(
            f"{stats.period_text}：共 {total.cases} 件，{stats.measures[0].removesuffix('（元）')} "
            f"{self.state.cell(total, 2)} 元。"
        )
        grouped = self.state.dimension is Dimension.GROUP
        self.note.setText(stats_ops.GROUP_NOTE if grouped else "")
        self.chart.set_chart(self.current_chart())

    def current_chart(self) -> Chart:
        stats = self.state.stats
        assert stats is not None
        table = stats.tables[self.state.dimension]
        kind = ChartKind.SHARE if self.state.dimension is Dimension.SUBSIDY else ChartKind.BARS
        what = "占比" if kind is ChartKind.SHARE else ""
        title = f"{table.title}{what}（{stats.measures[0].removesuffix('（元）')}）\n{stats.period_text}"
        month = self.state.dimension is Dimension.MONTH
        bars = tuple(
            Bar(_month_label(x.key, i == 0) if month else x.label, x.sums[0], x.cases)
            for i, x in enumerate(table.lines)
        )
        return Chart(title, kind, bars)

    def save_table(self) -> Job | None:
        from ui.exports import run_export

        stats = self.state.stats
        if stats is None:
            return None
        db, actor = self.db, self.actor_of()
        return run_export(
            self, self.dialogs, "统计表",
            lambda target, _report: stats_ops.export_statistics(db, actor, stats=stats, target=target),
        )  # fmt: skip

    def save_chart(self) -> Path | None:
        if self.state.stats is None:
            return None
        chosen = self.dialogs.save_file(
            self, "导出图表为PNG", f"统计图-{self.today:%Y%m%d}.png", "PNG 图片 (*.png)"
        )
        if not chosen:
            return None
        target = Path(chosen) if chosen.lower().endswith(".png") else Path(chosen + ".png")  # the format
        if not self.chart.image().save(str(target)):
            self.dialogs.error(
                self, TITLE, f"无法写入 {target.name}：请检查文件夹是否存在、能否写入，或换一个位置再试。"
            )
            return None
        self.dialogs.info(self, TITLE, f"图表已保存：{target}")
        return target

    def open_payments(self) -> None:
        from ui.statistics.payments import PaymentSummaryDialog

        dialog = PaymentSummaryDialog(self.db, self.dialogs, self.actor_of(), self, self.today, self._show)
        dialog.exec()


def _month_label(key: str, first: bool) -> str:
    """A bar's month, short: 3月, with the year under January and the first bar (2024-03)."""
    year, _, month = key.partition("-")
    if not month.isdigit():
        return key
    return f"{int(month)}月" + (f"\n{year}年" if first or month == "01" else "")


def open_statistics(
    parent: QWidget | None,
    db: Database,
    dialogs: DialogService,
    actor_of: Callable[[], Actor],
    show: Show | None = None,
) -> StatisticsWindow:
    """Show the 统计 screen as its own window and count this year at once."""
    window = StatisticsWindow(db, dialogs, actor_of, parent, show=show)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    window.count()
    return window
