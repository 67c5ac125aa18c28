"""The applicant list's table model."""

from __future__ import annotations

from collections.abc import Callable

from core.app.paging import PagedRows
from core.applicant_query import PersonRow
from ui.paging import Column, PagedTableModel

PERSON_COLUMNS: list[Column[PersonRow]] = [
    Column("姓名", lambda r: r.name),
    Column("身份证号", lambda r: r.id_number_masked),
    Column("性别", lambda r: r.sex),
    Column("出生日期", lambda r: r.birth_date.isoformat()),
    Column("户籍镇", lambda r: r.registered_town),
    Column("户籍村", lambda r: r.registered_village),
    Column("人员类别", lambda r: r.categories),
    Column("联系电话", lambda r: r.phone),
]


class PersonTableModel(PagedTableModel):
    def __init__(self, rows_for: Callable[[str], PagedRows[PersonRow]]) -> None:
        self._rows_for = rows_for
        self.text = ""
        super().__init__(PERSON_COLUMNS, rows_for(""))

    def search(self, text: str) -> None:
        self.text = text
        self.show_rows(self._rows_for(text))
