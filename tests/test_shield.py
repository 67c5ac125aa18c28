"""Qt overrides never let an error through: PySide6 would crash the whole program (ui/shield.py)."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QWizard, QWizardPage

from core.app.paging import PagedRows
from ui.paging import Column, PagedTableModel
from ui.shield import shielded


class FailingPage(QWizardPage):
    @shielded(False)
    def validatePage(self) -> bool:
        return int("不是数字") > 0  # a ValueError raised inside C code


def test_an_error_in_an_override_is_reported_and_qt_gets_the_fallback(qtbot, monkeypatch) -> None:
    seen: list[type[BaseException]] = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, _exc, _tb: seen.append(kind))
    wizard = QWizard()
    qtbot.addWidget(wizard)
    wizard.setPage(0, FailingPage())
    wizard.setPage(1, QWizardPage())
    wizard.show()
    wizard.next()  # the process survives; the page refused to move on
    assert wizard.currentId() == 0
    assert seen == [ValueError]


def test_a_model_whose_rows_fail_shows_nothing_instead_of_crashing(qtbot, monkeypatch) -> None:
    from PySide6.QtWidgets import QTableView

    seen: list[type[BaseException]] = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, _exc, _tb: seen.append(kind))
    rows = PagedRows(lambda: 1, lambda offset, limit: [{"x": 1}])
    model = PagedTableModel([Column("金额", lambda r: f"{1 / 0}")], rows)
    model.show_rows(rows)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.show()
    qtbot.waitExposed(view)
    assert model.data(model.index(0, 0)) is None
    assert ZeroDivisionError in seen


@pytest.mark.parametrize("fallback", [0, None, False])
def test_a_method_that_works_is_untouched(fallback) -> None:
    class Thing:
        @shielded(fallback)
        def answer(self, x: int) -> int:
            return x * 2

    assert Thing().answer(21) == 42
    assert Thing.answer.__name__ == "answer"
