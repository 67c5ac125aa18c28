"""Columns sized to what they hold: names, numbers and subsidies are read whole, and the spare
room of a wide window goes to one text column (the subsidy, a name), never to an amount."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QTableView

MAX_WIDTH = 320  # pixels; a longer text (a reason, an organisation's name) shows in full elsewhere


def fit_columns(table: QTableView, spare: int) -> None:
    """Each column as wide as its header and loaded cells (at most MAX_WIDTH); column `spare`
    takes the room left over. Call it after the rows change: a new page, a new search."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.resizeColumnsToContents()
    for column in range(header.count()):
        table.setColumnWidth(column, min(table.columnWidth(column), MAX_WIDTH))
    header.setSectionResizeMode(spare, QHeaderView.ResizeMode.Stretch)


def keep_fitted(table: QTableView, spare: int) -> None:
    """fit_columns now and whenever the table's model is reset or gets rows."""
    model = table.model()
    fit_columns(table, spare)
    model.modelReset.connect(lambda: fit_columns(table, spare))
    model.rowsInserted.connect(lambda *_a: fit_columns(table, spare))
