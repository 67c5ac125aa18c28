"""Accounts: passwords hashed with Argon2id, roles per station, lockout, the recovery code.

Nothing here keeps, logs or audits a password or a recovery code in clear: only their Argon2id
hashes (argon2-cffi's defaults, RFC 9106's second recommended profile) are stored, and the audit
trail records who did what to which account, never the secret itself.

Decisions (issue 13):
- 5 wrong passwords in a row lock the account for 5 minutes; the count is kept in the database,
  so closing the program does not reset it. The lock and every failed login are audited.
- The recovery code (恢复码) belongs to the first 管理员 only. Using it sets a new password,
  lifts a lock, and replaces the code with a new one, shown once: a code is good for one use.
- The clock is a parameter (`now`, naive UTC like the audit trail) so that tests drive it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit
from core.actor import ROLE_LABELS, STATION_ROLES, Actor, PermissionDenied, Role, Station
from core.db.models import Account
from core.errors import InvalidInput, SubsidyDeskError, ValidationError

MAX_FAILED_LOGINS = 5
LOCK_TIME = dt.timedelta(minutes=5)
MIN_PASSWORD_LENGTH = 8
MAX_NAME_LENGTH = 40
# No 0/O, 1/I/L: the code is read off paper and typed by hand; 20 of 31 symbols ≈ 99 bits.
RECOVERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECOVERY_GROUPS, RECOVERY_GROUP_LENGTH = 4, 5

_hasher = PasswordHasher()


class LoginRefused(SubsidyDeskError):
    """A login, an unlock or a recovery that did not succeed; nothing about the secret is told."""


@dataclass(frozen=True)
class LoginOutcome:
    """What a login attempt did; the use case commits it before it raises a refusal."""

    actor: Actor | None
    refusal: LoginRefused | None


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def _matches(stored: str | None, secret: str) -> bool:
    if not stored:
        return False
    try:
        return _hasher.verify(stored, secret)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def new_recovery_code() -> str:
    groups = (
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUP_LENGTH))
        for _ in range(RECOVERY_GROUPS)
    )
    return "-".join(groups)


def _normal_code(code: str) -> str:
    """What the person typed, as the code was printed: case, spaces and dashes do not matter."""
    plain = "".join(ch for ch in code.upper() if ch.isalnum())
    size = RECOVERY_GROUP_LENGTH
    return "-".join(plain[i : i + size] for i in range(0, len(plain), size))


def encode_roles(roles: Iterable[Role]) -> str:
    chosen = set(roles)
    return ",".join(r.value for r in ROLE_LABELS if r in chosen)


def decode_roles(text: str) -> frozenset[Role]:
    known = {r.value: r for r in Role}
    return frozenset(known[v] for v in text.split(",") if v in known)


def actor_of(account: Account, station: Station) -> Actor:
    """The account as the one acting: its roles that exist at this station only."""
    allowed = set(STATION_ROLES[station])
    return Actor(account.name, frozenset(r for r in decode_roles(account.roles) if r in allowed), station)


# -- checks of what a 管理员 types ------------------------------------------------------------


def password_error(password: str, field: str = "密码") -> ValidationError | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return ValidationError(
            "PASSWORD_SHORT", field, f"密码至少要{MIN_PASSWORD_LENGTH}个字符，请换一个更长的密码。"
        )
    if password.strip() != password:
        return ValidationError("PASSWORD_SPACES", field, "密码的开头和结尾不能是空格，请去掉空格。")
    return None


def _checked_name(name: str) -> str:
    clean = name.strip()
    if not clean or len(clean) > MAX_NAME_LENGTH:
        raise InvalidInput(
            [ValidationError("ACCOUNT_NAME", "姓名", f"请填写姓名（1到{MAX_NAME_LENGTH}个字）。")]
        )
    return clean


def _checked_roles(roles: Iterable[Role], station: Station) -> frozenset[Role]:
    chosen = frozenset(roles)
    if not chosen:
        raise InvalidInput([ValidationError("ACCOUNT_ROLES", "角色", "请至少选择一个角色。")])
    if not chosen <= set(STATION_ROLES[station]):
        names = "、".join(ROLE_LABELS[r] for r in STATION_ROLES[station])
        raise InvalidInput([ValidationError("ACCOUNT_ROLES", "角色", f"本机的角色只有{names}，请从中选择。")])
    return chosen


def _checked_password(password: str) -> None:
    error = password_error(password)
    if error is not None:
        raise InvalidInput([error])


# -- storage ----------------------------------------------------------------------------------


def find(session: Session, name: str) -> Account | None:
    return session.scalar(select(Account).where(Account.name == name.strip()))


def _get(session: Session, name: str) -> Account:
    account = find(session, name)
    if account is None:
        raise SubsidyDeskError("ACCOUNT_UNKNOWN", f"没有名为“{name.strip()}”的账户。")
    return account


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Account)) or 0


def all_accounts(session: Session) -> list[Account]:
    return list(session.scalars(select(Account).order_by(Account.id)))


def create(
    session: Session, *, name: str, password: str, roles: Iterable[Role], station: Station, by: str
) -> Account:
    """A new account; every field's error at once."""
    errors: list[ValidationError] = []
    for check in (lambda: _checked_name(name), lambda: _checked_roles(roles, station)):
        try:
            check()
        except InvalidInput as exc:
            errors += exc.errors
    if (error := password_error(password)) is not None:
        errors.append(error)
    if not errors and find(session, name) is not None:
        errors.append(
            ValidationError("ACCOUNT_EXISTS", "姓名", f"已有名为“{name.strip()}”的账户，请换一个名字。")
        )
    if errors:
        raise InvalidInput(errors)
    account = Account(name=name.strip(), password_hash=hash_secret(password), roles=encode_roles(roles))
    session.add(account)
    session.flush()
    audit.record(session, by, "account_create", "account", account.name, {"roles": [None, account.roles]})
    return account


def create_first_admin(
    session: Session, *, name: str, password: str, station: Station
) -> tuple[Account, str]:
    """The first 管理员, at first start, and its recovery code (only its hash is kept)."""
    if count(session):
        raise PermissionDenied("ACCOUNTS_EXIST", "本机已有账户：新账户请由管理员在“设置 → 账户管理”中建立。")
    account = create(
        session, name=name, password=password, roles=[Role.ADMIN], station=station, by=name.strip()
    )
    code = new_recovery_code()
    account.recovery_hash = hash_secret(code)
    return account, code


# -- logging in -------------------------------------------------------------------------------


def _locked(account: Account, now: dt.datetime) -> LoginRefused | None:
    if account.locked_until is None or account.locked_until <= now:
        return None
    minutes = max(1, -(-int((account.locked_until - now).total_seconds()) // 60))
    return LoginRefused(
        "ACCOUNT_LOCKED",
        f"密码连续输错{MAX_FAILED_LOGINS}次，账户“{account.name}”已锁定，请{minutes}分钟后再试；"
        "忘记密码请找管理员重设。",
    )


def authenticate(
    session: Session, *, name: str, password: str, station: Station, now: dt.datetime
) -> LoginOutcome:
    """Check a password; a wrong one counts towards the lock, which is audited."""
    account = find(session, name)
    if account is None or account.disabled:
        return LoginOutcome(None, LoginRefused("ACCOUNT_UNKNOWN", "没有这个账户，或账户已停用。请找管理员。"))
    if (locked := _locked(account, now)) is not None:
        return LoginOutcome(None, locked)
    if not _matches(account.password_hash, password):
        return LoginOutcome(None, _failed(session, account, now))
    account.failed_logins = 0
    account.locked_until = None
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = hash_secret(password)
    actor = actor_of(account, station)
    audit.record(session, account.name, "login", "account", account.name, {})
    return LoginOutcome(actor, None)


def _failed(session: Session, account: Account, now: dt.datetime) -> LoginRefused:
    account.failed_logins += 1
    audit.record(
        session,
        account.name,
        "login_failed",
        "account",
        account.name,
        {"failed": [None, account.failed_logins]},
    )
    if account.failed_logins >= MAX_FAILED_LOGINS:
        account.failed_logins = 0
        account.locked_until = now + LOCK_TIME
        audit.record(
            session,
            account.name,
            "account_locked",
            "account",
            account.name,
            {"locked_until": [None, account.locked_until]},
        )
        return _locked(account, now) or LoginRefused("ACCOUNT_LOCKED", "账户已锁定。")
    left = MAX_FAILED_LOGINS - account.failed_logins
    return LoginRefused(
        "LOGIN_FAILED", f"密码不对。再输错{left}次，账户将锁定{LOCK_TIME.seconds // 60}分钟。"
    )


def recover(
    session: Session, *, name: str, code: str, new_password: str, now: dt.datetime
) -> tuple[LoginRefused | None, str]:
    """The recovery code sets a new password; a new code replaces the used one."""
    _checked_password(new_password)
    account = find(session, name)
    if account is None or not _matches(account.recovery_hash, _normal_code(code)):
        if account is not None:
            audit.record(session, account.name, "recovery_failed", "account", account.name, {})
        return LoginRefused("RECOVERY_WRONG", "恢复码不对（恢复码只能重设第一个管理员的密码）。"), ""
    fresh = new_recovery_code()
    account.password_hash = hash_secret(new_password)
    account.recovery_hash = hash_secret(fresh)
    account.failed_logins, account.locked_until, account.disabled = 0, None, False
    audit.record(session, account.name, "recovery_used", "account", account.name, {})
    return None, fresh


# -- what a 管理员 does -----------------------------------------------------------------------


def _admins_left(session: Session, without: Account) -> int:
    return sum(
        1
        for a in all_accounts(session)
        if a.id != without.id and not a.disabled and Role.ADMIN in decode_roles(a.roles)
    )


def set_roles(session: Session, *, name: str, roles: Iterable[Role], station: Station, by: str) -> Account:
    account = _get(session, name)
    chosen = _checked_roles(roles, station)
    if Role.ADMIN not in chosen and not _admins_left(session, account):
        raise InvalidInput(
            [ValidationError("LAST_ADMIN", "角色", "这是唯一的管理员账户，不能去掉管理员角色。")]
        )
    new = encode_roles(chosen)
    audit.record(session, by, "account_roles", "account", account.name, {"roles": [account.roles, new]})
    account.roles = new
    return account


def reset_password(session: Session, *, name: str, password: str, by: str) -> Account:
    account = _get(session, name)
    _checked_password(password)
    account.password_hash = hash_secret(password)
    account.failed_logins, account.locked_until = 0, None
    audit.record(session, by, "account_password_reset", "account", account.name, {})
    return account


def change_password(session: Session, *, name: str, old: str, new: str) -> bool:
    """The user's own new password; False when the old one is wrong (nothing changes)."""
    account = _get(session, name)
    _checked_password(new)
    if not _matches(account.password_hash, old):
        return False
    account.password_hash = hash_secret(new)
    audit.record(session, account.name, "account_password_changed", "account", account.name, {})
    return True


def set_disabled(session: Session, *, name: str, disabled: bool, by: str) -> Account:
    account = _get(session, name)
    if disabled and Role.ADMIN in decode_roles(account.roles) and not _admins_left(session, account):
        raise SubsidyDeskError("LAST_ADMIN", "这是唯一的管理员账户，不能停用。")
    audit.record(
        session, by, "account_disabled", "account", account.name, {"disabled": [account.disabled, disabled]}
    )
    account.disabled = disabled
    return account
