"""The tabs of the county's case view, each built from a frozen part of core's CountyCaseView.

Plain widgets only: labelled values in forms, read-only tables whose columns fit their content.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.packages.county_cards import RuleLine
from core.packages.county_case import AssessmentPart, DuplicatePair, HistoryLine, Item

MAX_COLUMN = 420  # pixels: a long clause or history line wraps in its tooltip instead


def value_label(text: str) -> QLabel:
    label = QLabel(text, wordWrap=True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def item_form(items: Sequence[Item], layout: QFormLayout | None = None) -> QFormLayout:
    form = layout or QFormLayout()
    for item in items:
        form.addRow(f"{item.label}：", value_label(item.value))
    return form


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], stretch_last: bool = True) -> QTableWidget:
    """A read-only table; columns fit their content, the last one takes what is left."""
    widget = QTableWidget(len(rows), len(headers))
    widget.setHorizontalHeaderLabels(list(headers))
    widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    widget.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    widget.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    widget.verticalHeader().setVisible(False)
    widget.setWordWrap(True)
    for r, values in enumerate(rows):
        for c, text in enumerate(values):
            cell = QTableWidgetItem(text)
            cell.setToolTip(text)
            widget.setItem(r, c, cell)
    fit_columns(widget, stretch_last)
    return widget


def fit_columns(widget: QTableWidget, stretch_last: bool = True) -> None:
    widget.resizeColumnsToContents()
    for column in range(widget.columnCount()):
        widget.setColumnWidth(column, min(widget.columnWidth(column), MAX_COLUMN))
    widget.horizontalHeader().setStretchLastSection(stretch_last)
    widget.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    widget.resizeRowsToContents()


def scrolled(inner: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(inner)
    return area


def form_page(*forms: tuple[str, QFormLayout]) -> QScrollArea:
    """Labelled values in titled boxes, scrolling when long."""
    page = QWidget()
    column = QVBoxLayout(page)
    for title, form in forms:
        box = QGroupBox(title)
        box.setLayout(form)
        column.addWidget(box)
    column.addStretch(1)
    return scrolled(page)


def assessment_page(part: AssessmentPart) -> tuple[QWidget, QTableWidget]:
    """The town's result, every rule with the clause it rests on, then the notes (missing
    facts or materials, conflicts, the policy readings that apply)."""
    page = QWidget()
    column = QVBoxLayout(page)
    headline = value_label(part.headline)
    headline.setStyleSheet("font-weight: bold;")
    column.addWidget(headline)
    column.addWidget(value_label(part.catalog))
    rules = table(
        ["结果", "核对内容", "依据条款"], [(r.outcome, r.text, _clause_text(r)) for r in part.rules]
    )
    split = QSplitter(Qt.Orientation.Vertical)
    split.addWidget(rules)
    if part.notes:
        notes = QListWidget()
        notes.setWordWrap(True)
        notes.addItems(list(part.notes))
        box = QGroupBox("补充说明")
        QVBoxLayout(box).addWidget(notes)
        split.addWidget(box)
        split.setSizes([360, 160])
    column.addWidget(split, 1)
    return page, rules


def _clause_text(rule: RuleLine) -> str:
    if not rule.clause:
        return "—"
    return f"{rule.clause}：{rule.clause_text}" if rule.clause_text else rule.clause


def history_table(town: Sequence[HistoryLine], county: Sequence[HistoryLine]) -> QTableWidget:
    rows = [(_when(h), "站所", h.actor, h.what) for h in town] + [
        (_when(h), "县局", h.actor, h.what) for h in county
    ]
    return table(["时间", "办理方", "经办人", "事项"], rows)


def _when(line: HistoryLine) -> str:
    return f"{line.at:%Y-%m-%d %H:%M}" if line.at else ""


CLAIM_ROWS = (
    ("站所", "office"),
    ("受理编号", "case_number"),
    ("申请人", "applicant"),
    ("证件号", "id_masked"),
    ("补贴项目", "subsidy"),
    ("申请金额", "amount"),
    ("申请日期", "application_date"),
    ("状态", "status"),
)


def duplicates_page(pairs: Sequence[DuplicatePair]) -> tuple[QWidget, list[QTableWidget]]:
    """Each suspected duplicate: this claim and the other one side by side, field by field."""
    page = QWidget()
    column = QVBoxLayout(page)
    column.addWidget(value_label("同一证件号、同一补贴、同一年度的申报，请对照核定，不会自动合并。"))
    tables = []
    for pair in pairs:
        box = QGroupBox(f"疑似重复申报（{pair.state}）")
        inner = QVBoxLayout(box)
        rows = [(label, getattr(pair.this, key), getattr(pair.other, key)) for label, key in CLAIM_ROWS]
        side = table(["项目", "本件", "另一件"], rows)
        inner.addWidget(side)
        tables.append(side)
        column.addWidget(box)
    column.addStretch(1)
    return scrolled(page), tables
