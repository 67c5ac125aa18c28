from __future__ import annotations

from core.db import Database
from core.settings_types import OfficeInput


def load_office(db: Database) -> OfficeInput | None:
    """Read with sqlite3: the main window shows the office before the ORM has loaded."""
    with db.reader() as conn:
        row = conn.execute(
            "SELECT county_code, town, name, phone, catalog_id FROM office ORDER BY id LIMIT 1"
        ).fetchone()
    if row is None:
        return None
    return OfficeInput(county_code=row[0], town=row[1], name=row[2], phone=row[3], catalog_id=row[4])


def store_office(db: Database, data: OfficeInput, actor: str) -> None:
    from core.settings import save_office

    with db.session() as s, s.begin():
        save_office(s, data, actor)
