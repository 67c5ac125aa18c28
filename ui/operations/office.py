from __future__ import annotations

from core.db import Database
from core.settings import OfficeInput, get_office, save_office


def load_office(db: Database) -> OfficeInput | None:
    with db.session() as s:
        o = get_office(s)
        if o is None:
            return None
        return OfficeInput(
            county_code=o.county_code, town=o.town, name=o.name, phone=o.phone, catalog_id=o.catalog_id
        )


def store_office(db: Database, data: OfficeInput, actor: str) -> None:
    with db.session() as s, s.begin():
        save_office(s, data, actor)
