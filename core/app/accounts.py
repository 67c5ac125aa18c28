"""Logging in and out, the idle lock's password, the recovery code, and the 管理员's accounts.

A refused login still commits what it did (the failed count, the lock, their audit events)
before the refusal is raised. The office's two account settings (单人办公, the idle lock's
minutes) are kept in `package_setting`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from core.actor import Actor, Role, Station
from core.app.base import reading, unit_of_work
from core.db import Database
from core.errors import InvalidInput, SubsidyDeskError, ValidationError
from core.operator import load_station

SINGLE_STAFF = "single_staff"
IDLE_MINUTES = "idle_lock_minutes"
DEFAULT_IDLE_MINUTES = 10
MAX_IDLE_MINUTES = 240


@dataclass(frozen=True)
class AccountRow:
    name: str
    roles: frozenset[Role]
    disabled: bool
    locked: bool


@dataclass(frozen=True)
class FirstAdmin:
    actor: Actor
    recovery_code: str  # shown once, to be printed or written down; only its hash is kept


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _station(db: Database) -> Station:
    return load_station(db.path.parent)


def _admin(actor: Actor, what: str) -> str:
    actor.require_role(Role.ADMIN, what)
    return actor.audit_name


# -- before anyone is logged in ---------------------------------------------------------------


def has_accounts(db: Database) -> bool:
    """Read with sqlite3: the login screen comes before the ORM has loaded."""
    with db.reader() as conn:
        return conn.execute("SELECT 1 FROM account LIMIT 1").fetchone() is not None


def login_names(db: Database) -> list[str]:
    """The names the login screen lists: accounts not disabled, oldest first."""
    with db.reader() as conn:
        rows = conn.execute("SELECT name FROM account WHERE NOT disabled ORDER BY id").fetchall()
    return [str(r[0]) for r in rows]


def create_first_admin(db: Database, *, name: str, password: str) -> FirstAdmin:
    """First start: the first 管理员, logged in, and the recovery code to print."""
    from core import accounts

    station = _station(db)
    with unit_of_work(db) as s:
        account, code = accounts.create_first_admin(s, name=name, password=password, station=station)
        actor = accounts.actor_of(account, station)
    return FirstAdmin(actor, code)


def login(db: Database, *, name: str, password: str, now: dt.datetime | None = None) -> Actor:
    """The account as the actor of this session; LoginRefused says why not (wrong, locked)."""
    from core import accounts

    with unit_of_work(db) as s:
        outcome = accounts.authenticate(
            s, name=name, password=password, station=_station(db), now=now or _now()
        )
    if outcome.refusal is not None:
        raise outcome.refusal
    assert outcome.actor is not None
    return outcome.actor


def unlock(db: Database, actor: Actor, *, password: str, now: dt.datetime | None = None) -> Actor:
    """The idle lock asks the same person's password again; the open work stays as it was."""
    return login(db, name=actor.name, password=password, now=now)


def logout(db: Database, actor: Actor) -> None:
    from core import audit

    with unit_of_work(db) as s:
        audit.record(s, actor.audit_name, "logout", "account", actor.name, {})


def recover_with_code(db: Database, *, name: str, code: str, new_password: str) -> str:
    """恢复码: a new password for the first 管理员; returns the new code that replaces the used one."""
    from core import accounts

    with unit_of_work(db) as s:
        refusal, fresh = accounts.recover(s, name=name, code=code, new_password=new_password, now=_now())
    if refusal is not None:
        raise refusal
    return fresh


def change_own_password(db: Database, actor: Actor, *, old: str, new: str) -> None:
    from core import accounts

    with unit_of_work(db) as s:
        ok = accounts.change_password(s, name=actor.audit_name, old=old, new=new)
    if not ok:
        raise InvalidInput([ValidationError("PASSWORD_WRONG", "原密码", "原密码不对，请重新输入。")])


# -- the 管理员's work ------------------------------------------------------------------------


def account_rows(db: Database, actor: Actor, *, now: dt.datetime | None = None) -> list[AccountRow]:
    from core import accounts

    _admin(actor, "管理账户")
    when = now or _now()
    with reading(db) as s:
        return [
            AccountRow(
                a.name,
                accounts.decode_roles(a.roles),
                a.disabled,
                bool(a.locked_until and a.locked_until > when),
            )
            for a in accounts.all_accounts(s)
        ]


def create_account(db: Database, actor: Actor, *, name: str, password: str, roles: Iterable[Role]) -> None:
    from core import accounts

    who = _admin(actor, "建立账户")
    with unit_of_work(db) as s:
        accounts.create(s, name=name, password=password, roles=roles, station=_station(db), by=who)


def set_roles(db: Database, actor: Actor, *, name: str, roles: Iterable[Role]) -> None:
    from core import accounts

    who = _admin(actor, "设置角色")
    with unit_of_work(db) as s:
        accounts.set_roles(s, name=name, roles=roles, station=_station(db), by=who)


def reset_password(db: Database, actor: Actor, *, name: str, password: str) -> None:
    from core import accounts

    who = _admin(actor, "重设密码")
    with unit_of_work(db) as s:
        accounts.reset_password(s, name=name, password=password, by=who)


def set_disabled(db: Database, actor: Actor, *, name: str, disabled: bool) -> None:
    from core import accounts

    who = _admin(actor, "停用或启用账户")
    with unit_of_work(db) as s:
        accounts.set_disabled(s, name=name, disabled=disabled, by=who)


# -- the office's account settings ------------------------------------------------------------


def _setting(db: Database, name: str) -> str | None:
    with db.reader() as conn:
        row = conn.execute("SELECT value FROM package_setting WHERE name = ?", (name,)).fetchone()
    return str(row[0]) if row else None


def _store(db: Database, who: str, name: str, value: str) -> None:
    from core import audit
    from core.packages.models import PackageSetting

    with unit_of_work(db) as s:
        row = s.get(PackageSetting, name)
        audit.record(
            s, who, "setting", "package_setting", name, {"value": [row.value if row else None, value]}
        )
        if row is None:
            s.add(PackageSetting(name=name, value=value))
        else:
            row.value = value


def single_staff(db: Database) -> bool:
    """单人办公: the office has one member of staff, who may review their own cases (audited)."""
    return _setting(db, SINGLE_STAFF) == "1"


def set_single_staff(db: Database, actor: Actor, *, on: bool) -> None:
    actor.require_station(Station.TOWN, "设为单人办公")
    _store(db, _admin(actor, "设为单人办公"), SINGLE_STAFF, "1" if on else "0")


def idle_minutes_at_start(db: Database) -> int:
    """idle_minutes for the first window, read with sqlite3 (the ORM is not loaded yet)."""
    with db.reader() as conn:
        row = conn.execute("SELECT value FROM package_setting WHERE name = ?", (IDLE_MINUTES,)).fetchone()
    return int(row[0]) if row and str(row[0]).isdigit() else DEFAULT_IDLE_MINUTES


def idle_minutes(db: Database) -> int:
    """After this many minutes without input the window locks (default 10)."""
    try:
        return int(_setting(db, IDLE_MINUTES) or DEFAULT_IDLE_MINUTES)
    except ValueError:
        return DEFAULT_IDLE_MINUTES


def set_idle_minutes(db: Database, actor: Actor, *, minutes: int) -> None:
    who = _admin(actor, "设置自动锁定时间")
    if not 1 <= minutes <= MAX_IDLE_MINUTES:
        raise InvalidInput(
            [ValidationError("IDLE_MINUTES", "自动锁定", f"请填1到{MAX_IDLE_MINUTES}之间的分钟数。")]
        )
    _store(db, who, IDLE_MINUTES, str(minutes))


def require_account(db: Database, name: str) -> None:
    """For the command line: a name that is no account is told plainly."""
    if name.strip() not in login_names(db):
        raise SubsidyDeskError("ACCOUNT_UNKNOWN", f"没有名为“{name.strip()}”的账户，或账户已停用。")
