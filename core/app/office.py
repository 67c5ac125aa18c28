"""The office's settings, who is at the keyboard, and what this PC is used for."""

from __future__ import annotations

from pathlib import Path

from core.actor import Actor, Station
from core.app.base import reading, unit_of_work
from core.db import Database
from core.operator import load_actor, save_operator, save_station
from core.settings_types import OfficeInput


def current_actor(data_dir: Path) -> Actor:
    """The operator last chosen on this PC (设置 → 切换操作人), with this PC's station."""
    return load_actor(data_dir)


def switch_operator(data_dir: Path, *, name: str, role: str) -> Actor:
    """Who is at the keyboard from now on; InvalidInput names the field to fix."""
    return save_operator(data_dir, name, role)


def change_station(data_dir: Path, actor: Actor, *, station: Station) -> Actor:
    """Make this PC a town office or the county; the data stay as they are."""
    save_station(data_dir, station)
    return Actor(actor.name, actor.role, station)


def load_office(db: Database) -> OfficeInput | None:
    """Read with sqlite3: the main window shows the office before the ORM has loaded."""
    with db.reader() as conn:
        row = conn.execute(
            "SELECT county_code, town, name, phone, catalog_id FROM office ORDER BY id LIMIT 1"
        ).fetchone()
    if row is None:
        return None
    return OfficeInput(county_code=row[0], town=row[1], name=row[2], phone=row[3], catalog_id=row[4])


def save_office(db: Database, actor: Actor, *, data: OfficeInput) -> None:
    """Create the office on first start, or change it; InvalidInput lists every field to fix."""
    from core.settings import save_office as store

    with unit_of_work(db) as s:
        store(s, data, actor.audit_name)


def office_code(db: Database) -> str | None:
    """本所上报代码, or None while it has not been set."""
    from core.packages.identity import OFFICE_CODE
    from core.packages.models import PackageSetting

    with reading(db) as s:
        row = s.get(PackageSetting, OFFICE_CODE)
        return row.value if row else None


def set_office_code(db: Database, actor: Actor, *, code: str) -> str:
    from core.packages.identity import set_office_code as store

    with unit_of_work(db) as s:
        return store(s, code, actor.audit_name)
