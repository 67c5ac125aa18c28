"""Accounts (#13): the first 管理员 and the recovery code, login, lockout, the idle lock, what a
管理员 does, and that no password is kept in clear."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from core.accounts import LOCK_TIME, MAX_FAILED_LOGINS
from core.actor import Actor, Role, Station
from core.app import accounts
from core.db.models import Account, AuditEvent
from core.errors import InvalidInput, SubsidyDeskError
from core.idle import IdleLock
from core.operator import save_station
from tests.logins import PASSWORD, add_account

T0 = dt.datetime(2026, 12, 2, 8, 0)


def _actions(db, name: str) -> list[str]:
    with db.session() as s:
        rows = s.scalars(
            select(AuditEvent).where(AuditEvent.entity == "account", AuditEvent.entity_key == name)
        )
        return [e.action for e in rows]


@pytest.fixture
def admin(db) -> Actor:
    return accounts.create_first_admin(db, name="周管理", password=PASSWORD).actor


def test_first_start_makes_one_admin_with_a_recovery_code(db) -> None:
    assert not accounts.has_accounts(db)
    first = accounts.create_first_admin(db, name="周管理", password=PASSWORD)
    assert first.actor == Actor("周管理", Role.ADMIN, Station.TOWN)
    assert len(first.recovery_code) == 23 and first.recovery_code.count("-") == 3
    assert accounts.has_accounts(db) and accounts.login_names(db) == ["周管理"]
    with pytest.raises(SubsidyDeskError) as second:
        accounts.create_first_admin(db, name="另一人", password=PASSWORD)
    assert second.value.code == "ACCOUNTS_EXIST"


def test_no_password_or_recovery_code_is_kept_in_clear(db, data_dir: Path) -> None:
    first = accounts.create_first_admin(db, name="周管理", password=PASSWORD)
    accounts.login(db, name="周管理", password=PASSWORD, now=T0)
    with pytest.raises(SubsidyDeskError):
        accounts.login(db, name="周管理", password="错的密码错的密码", now=T0)
    db.close()
    stored = b"".join(p.read_bytes() for p in data_dir.rglob("*") if p.is_file())
    for secret in (PASSWORD, "错的密码错的密码", first.recovery_code, first.recovery_code.replace("-", "")):
        assert secret.encode("utf-8") not in stored
    assert b"$argon2id$" in stored


def test_login_gives_the_accounts_roles_at_this_station(db) -> None:
    add_account(db, "李经办", Role.CLERK, Role.HEAD)
    actor = accounts.login(db, name="李经办", password=PASSWORD, now=T0)
    assert actor.roles == {Role.CLERK, Role.HEAD} and actor.station == Station.TOWN
    assert _actions(db, "李经办")[-1] == "login"


def test_a_wrong_password_is_counted_and_the_fifth_locks_for_five_minutes(db) -> None:
    add_account(db, "李经办", Role.CLERK)
    for attempt in range(1, MAX_FAILED_LOGINS):
        with pytest.raises(SubsidyDeskError) as wrong:
            accounts.login(db, name="李经办", password="不对的密码不对", now=T0)
        assert wrong.value.code == "LOGIN_FAILED"
        assert f"再输错{MAX_FAILED_LOGINS - attempt}次" in wrong.value.message_zh
    with pytest.raises(SubsidyDeskError) as fifth:
        accounts.login(db, name="李经办", password="不对的密码不对", now=T0)
    assert fifth.value.code == "ACCOUNT_LOCKED" and "5分钟" in fifth.value.message_zh
    # locked: even the right password waits
    with pytest.raises(SubsidyDeskError) as locked:
        accounts.login(db, name="李经办", password=PASSWORD, now=T0 + LOCK_TIME - dt.timedelta(seconds=1))
    assert locked.value.code == "ACCOUNT_LOCKED"
    assert accounts.login(db, name="李经办", password=PASSWORD, now=T0 + LOCK_TIME).name == "李经办"
    trail = _actions(db, "李经办")
    assert trail.count("login_failed") == MAX_FAILED_LOGINS and trail.count("account_locked") == 1


def test_a_success_resets_the_count(db) -> None:
    add_account(db, "李经办", Role.CLERK)
    for _ in range(MAX_FAILED_LOGINS - 1):
        with pytest.raises(SubsidyDeskError):
            accounts.login(db, name="李经办", password="不对的密码不对", now=T0)
    accounts.login(db, name="李经办", password=PASSWORD, now=T0)
    with pytest.raises(SubsidyDeskError) as wrong:
        accounts.login(db, name="李经办", password="不对的密码不对", now=T0)
    assert wrong.value.code == "LOGIN_FAILED"


def test_the_recovery_code_resets_the_first_admins_password_once(db) -> None:
    first = accounts.create_first_admin(db, name="周管理", password=PASSWORD)
    for _ in range(MAX_FAILED_LOGINS):  # locked out, and the password forgotten
        with pytest.raises(SubsidyDeskError):
            accounts.login(db, name="周管理", password="忘了忘了忘了忘了", now=T0)
    typed = first.recovery_code.lower().replace("-", " ")  # as typed off the paper
    fresh = accounts.recover_with_code(db, name="周管理", code=typed, new_password="新的密码新的密码")
    assert fresh != first.recovery_code
    assert accounts.login(db, name="周管理", password="新的密码新的密码").name == "周管理"
    with pytest.raises(SubsidyDeskError) as used:
        accounts.recover_with_code(
            db, name="周管理", code=first.recovery_code, new_password="再新一点的密码吧"
        )
    assert used.value.code == "RECOVERY_WRONG"
    assert "recovery_used" in _actions(db, "周管理")


def test_the_recovery_code_does_not_open_another_account(db, admin: Actor) -> None:
    add_account(db, "李经办", Role.CLERK)
    with pytest.raises(SubsidyDeskError) as other:
        accounts.recover_with_code(
            db, name="李经办", code="AAAAA-BBBBB-CCCCC-DDDDD", new_password="新的密码新的密码"
        )
    assert other.value.code == "RECOVERY_WRONG"


def test_the_admin_creates_sets_roles_resets_and_disables(db, admin: Actor) -> None:
    accounts.create_account(db, admin, name="李经办", password=PASSWORD, roles=[Role.CLERK])
    accounts.set_roles(db, admin, name="李经办", roles=[Role.CLERK, Role.HEAD])
    assert accounts.login(db, name="李经办", password=PASSWORD).roles == {Role.CLERK, Role.HEAD}
    accounts.reset_password(db, admin, name="李经办", password="重设以后的新密码")
    assert accounts.login(db, name="李经办", password="重设以后的新密码").name == "李经办"
    accounts.set_disabled(db, admin, name="李经办", disabled=True)
    assert accounts.login_names(db) == ["周管理"]
    with pytest.raises(SubsidyDeskError) as off:
        accounts.login(db, name="李经办", password="重设以后的新密码")
    assert off.value.code == "ACCOUNT_UNKNOWN"
    rows = {r.name: r for r in accounts.account_rows(db, admin)}
    assert rows["李经办"].disabled and rows["周管理"].roles == {Role.ADMIN}
    assert _actions(db, "李经办") == [
        "account_create", "account_roles", "login", "account_password_reset", "login", "account_disabled",
    ]  # fmt: skip


def test_what_the_admin_types_is_checked_field_by_field(db, admin: Actor) -> None:
    with pytest.raises(InvalidInput) as bad:
        accounts.create_account(db, admin, name=" ", password="短", roles=[Role.REVIEWER])
    assert {e.code for e in bad.value.errors} == {"ACCOUNT_NAME", "ACCOUNT_ROLES", "PASSWORD_SHORT"}
    with pytest.raises(InvalidInput) as same:
        accounts.create_account(db, admin, name="周管理", password=PASSWORD, roles=[Role.CLERK])
    assert same.value.errors[0].code == "ACCOUNT_EXISTS"


def test_the_last_admin_cannot_be_removed(db, admin: Actor) -> None:
    with pytest.raises(InvalidInput) as roles:
        accounts.set_roles(db, admin, name="周管理", roles=[Role.CLERK])
    assert roles.value.errors[0].code == "LAST_ADMIN"
    with pytest.raises(SubsidyDeskError) as off:
        accounts.set_disabled(db, admin, name="周管理", disabled=True)
    assert off.value.code == "LAST_ADMIN"


def test_county_roles_at_the_county(data_dir: Path, db) -> None:
    save_station(data_dir, "county")
    admin = accounts.create_first_admin(db, name="县管理", password=PASSWORD).actor
    assert admin.station == Station.COUNTY
    accounts.create_account(db, admin, name="王审核", password=PASSWORD, roles=[Role.REVIEWER, Role.FINANCE])
    with pytest.raises(InvalidInput) as town_role:
        accounts.create_account(db, admin, name="李经办", password=PASSWORD, roles=[Role.CLERK])
    assert town_role.value.errors[0].code == "ACCOUNT_ROLES"
    assert accounts.login(db, name="王审核", password=PASSWORD).roles == {Role.REVIEWER, Role.FINANCE}


@pytest.mark.parametrize(
    "call",
    [
        lambda db, a: accounts.account_rows(db, a),
        lambda db, a: accounts.create_account(db, a, name="新人", password=PASSWORD, roles=[Role.CLERK]),
        lambda db, a: accounts.set_roles(db, a, name="李经办", roles=[Role.ADMIN]),
        lambda db, a: accounts.reset_password(db, a, name="周管理", password="我来改管理员的密码"),
        lambda db, a: accounts.set_disabled(db, a, name="周管理", disabled=True),
        lambda db, a: accounts.set_single_staff(db, a, on=True),
        lambda db, a: accounts.set_idle_minutes(db, a, minutes=240),
    ],
)
def test_a_clerk_cannot_do_the_admins_work_even_calling_the_use_case(db, admin: Actor, call) -> None:
    clerk = add_account(db, "李经办", Role.CLERK, Role.HEAD)
    with pytest.raises(SubsidyDeskError) as refused:
        call(db, clerk)
    assert refused.value.code == "ROLE_REQUIRED"
    assert accounts.login(db, name="周管理", password=PASSWORD).roles == {Role.ADMIN}
    assert not accounts.single_staff(db) and accounts.idle_minutes(db) == accounts.DEFAULT_IDLE_MINUTES


def test_the_idle_lock_minutes_are_a_setting(db, admin: Actor) -> None:
    assert accounts.idle_minutes(db) == 10
    accounts.set_idle_minutes(db, admin, minutes=3)
    assert accounts.idle_minutes(db) == 3
    with pytest.raises(InvalidInput) as bad:
        accounts.set_idle_minutes(db, admin, minutes=0)
    assert bad.value.errors[0].code == "IDLE_MINUTES"


def test_the_idle_lock_follows_the_clock_it_is_given() -> None:
    lock = IdleLock(dt.timedelta(minutes=10), T0)
    assert not lock.due(T0 + dt.timedelta(minutes=9, seconds=59))
    lock.touch(T0 + dt.timedelta(minutes=9))
    assert not lock.due(T0 + dt.timedelta(minutes=18))
    assert lock.due(T0 + dt.timedelta(minutes=19))


def test_unlocking_asks_the_same_persons_password(db) -> None:
    clerk = add_account(db, "李经办", Role.CLERK)
    add_account(db, "赵所长", Role.HEAD, password="所长的密码所长的")
    assert accounts.unlock(db, clerk, password=PASSWORD) == clerk
    with pytest.raises(SubsidyDeskError) as other:
        accounts.unlock(db, clerk, password="所长的密码所长的")
    assert other.value.code == "LOGIN_FAILED"


def test_own_password_change_needs_the_old_one(db) -> None:
    clerk = add_account(db, "李经办", Role.CLERK)
    with pytest.raises(InvalidInput) as wrong:
        accounts.change_own_password(db, clerk, old="不是原来的密码", new="新的密码新的密码")
    assert wrong.value.errors[0].code == "PASSWORD_WRONG"
    accounts.change_own_password(db, clerk, old=PASSWORD, new="新的密码新的密码")
    assert accounts.login(db, name="李经办", password="新的密码新的密码") == clerk


def test_an_account_row_is_what_the_model_says(db, admin: Actor) -> None:
    with db.session() as s:
        stored = s.scalars(select(Account)).one()
    assert stored.roles == "admin" and stored.password_hash.startswith("$argon2id$")


def test_the_program_hashes_with_argon2id_at_rfc_9106_costs(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    import core.accounts

    fresh = importlib.reload(core.accounts)  # the module as the program loads it, without the tests' costs
    try:
        stored = fresh.hash_secret(PASSWORD)
        assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
        assert fresh._matches(stored, PASSWORD) and not fresh._matches(stored, PASSWORD + "x")
    finally:
        importlib.reload(core.accounts)


def test_the_pc_use_is_the_admins_and_the_other_station_keeps_only_that_role(db, data_dir: Path) -> None:
    from core.app import office

    both = Actor("周管理", (Role.ADMIN, Role.HEAD))
    assert office.change_station(data_dir, both, station=Station.TOWN) == both  # asked again: kept
    moved = office.change_station(data_dir, both, station=Station.COUNTY)
    assert moved == Actor("周管理", Role.ADMIN, Station.COUNTY)
    with pytest.raises(SubsidyDeskError) as refused:
        office.change_station(data_dir, Actor("李经办", Role.CLERK), station=Station.TOWN)
    assert refused.value.code == "ROLE_REQUIRED"


def test_the_first_start_chooses_the_station_only_before_any_account(db) -> None:
    from core.app import office

    assert office.first_station(db, station=Station.COUNTY) == Station.COUNTY
    add_account(db, "周管理", Role.ADMIN)
    with pytest.raises(SubsidyDeskError) as later:
        office.first_station(db, station=Station.TOWN)
    assert later.value.code == "ROLE_REQUIRED"
