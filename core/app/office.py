"""The office's settings and what this PC is used for (who is at the keyboard: core/app/accounts.py)."""

from __future__ import annotations

from pathlib import Path

from core.actor import Actor, Role, Station
from core.app.base import reading, unit_of_work
from core.db import Database
from core.operator import STATION_FILE, save_station
from core.settings_types import OfficeInput

# core.packages.identity.COUNTY_NAME, spelled here so that reading it loads no SQLAlchemy.
COUNTY_NAME = "county_name"


def station_chosen(data_dir: Path) -> bool:
    """Whether this PC has been told what it is for (asked first, at the very first start)."""
    return (data_dir / STATION_FILE).is_file()


def station(data_dir: Path) -> Station:
    from core.operator import load_station

    return load_station(data_dir)


def nobody(data_dir: Path) -> Actor:
    """The actor before anyone has logged in: no roles, no name; it may change nothing."""
    return Actor("", frozenset(), station(data_dir))


def first_station(db: Database, *, station: Station) -> Station:
    """First start, before the first 管理员 exists: what this PC is for."""
    from core.actor import PermissionDenied
    from core.app.accounts import has_accounts

    if has_accounts(db):
        raise PermissionDenied(
            "ROLE_REQUIRED", "本机已有账户：更改本机用途请由管理员在“设置 → 本机用途”中进行。"
        )
    return save_station(db.path.parent, station)


def change_station(data_dir: Path, actor: Actor, *, station: Station) -> Actor:
    """Make this PC a town office or the county (管理员); the data stay as they are.

    The roles an account holds at the other station are given by the 管理员 there after the
    change; until then the account acts as 管理员 only (core.accounts.actor_of)."""
    actor.require_role(Role.ADMIN, "更改本机用途")
    save_station(data_dir, station)
    return Actor(actor.name, actor.roles if station == actor.station else actor.roles & {Role.ADMIN}, station)


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

    actor.require_role(Role.ADMIN, "修改事务所设置")
    with unit_of_work(db) as s:
        store(s, data, actor.audit_name)


def save_office_setup(db: Database, actor: Actor, *, data: OfficeInput, reporting_code: str) -> None:
    """The office and its 上报代码 together (the set-up dialog); every field's error at once."""
    from core.errors import InvalidInput, ValidationError
    from core.packages.identity import check_township_code, set_office_code, stored_office_code
    from core.settings import save_office as store
    from core.settings import validate_office

    actor.require_station(Station.TOWN, "填写事务所信息")
    actor.require_role(Role.ADMIN, "填写事务所信息")
    who = actor.audit_name
    errors: list[ValidationError] = []
    try:
        validate_office(data)
    except InvalidInput as exc:
        errors += exc.errors
    with unit_of_work(db) as s:
        try:
            check_township_code(reporting_code, stored_office_code(s))
        except ValidationError as exc:
            errors.append(exc)
        if errors:
            raise InvalidInput(errors)
        store(s, data, who)
        set_office_code(s, reporting_code, who)


def office_code(db: Database) -> str | None:
    """本所上报代码, or None while it has not been set."""
    from core.packages.identity import stored_office_code

    with reading(db) as s:
        return stored_office_code(s)


def set_office_code(db: Database, actor: Actor, *, code: str) -> str:
    """A new code is the 9-digit township code; the stored one is kept as it is."""
    from core.packages.identity import set_office_code as store

    actor.require_role(Role.ADMIN, "设置本所上报代码")
    with unit_of_work(db) as s:
        return store(s, code, actor.audit_name)


def county_name(db: Database) -> str | None:
    """The county's name on a county PC (printed on its key slip), or None before it is set.

    Read with sqlite3: the first-start check runs before the ORM has loaded.
    """
    with db.reader() as conn:
        row = conn.execute("SELECT value FROM package_setting WHERE name = ?", (COUNTY_NAME,)).fetchone()
    return str(row[0]) if row else None


def save_county_name(db: Database, actor: Actor, *, name: str) -> str:
    """The county's own name (设置 → 县局设置); InvalidInput names the field."""
    from core.errors import InvalidInput, ValidationError
    from core.packages.identity import set_county_name

    actor.require_station(Station.COUNTY, "填写县局名称")
    actor.require_role(Role.ADMIN, "填写县局名称")
    who = actor.audit_name
    try:
        with unit_of_work(db) as s:
            return set_county_name(s, name, who)
    except ValidationError as exc:
        raise InvalidInput([exc]) from None
