"""The county's register of office keys (站所密钥登记), from the screen.

A town hands over its public key file and a signed 密钥登记表. The officer reads the file
(`check_office_key`: nothing is saved), compares the fingerprint on screen with the slip group
by group, and only then registers it. A key that is lost or stolen is revoked with a reason;
both are audit events.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.actor import Actor, Role, Station
from core.app.base import reading, unit_of_work
from core.app.keys import KeyFilePreview, KeyKind, read_key_file
from core.db import Database

if TYPE_CHECKING:
    from core.packages.models import CountyOfficeKey


@dataclass(frozen=True)
class RegisteredKey:
    """One office key on the allow-list, as the register lists it (times are local)."""

    office_code: str
    office_name: str
    fingerprint: str  # in groups of four
    registered_by: str
    registered_at: dt.datetime
    valid_until: dt.datetime | None
    revoked_by: str = ""
    revoke_reason: str = ""
    last_batch: int | None = None  # the last batch number it may sign, once replaced or revoked

    @property
    def active(self) -> bool:
        return self.valid_until is None and self.last_batch is None

    @property
    def state(self) -> str:
        if self.active:
            return "有效"
        until = f"{self.valid_until:%Y-%m-%d %H:%M}" if self.valid_until else ""
        limit = f"只认第{self.last_batch}批及以前" if self.last_batch else "此后签名的一律不认"
        if self.revoked_by:
            return f"已停用（{until}起；{limit}；{self.revoke_reason}）"
        return f"已换新密钥（{until}起；{limit}）"


@dataclass(frozen=True)
class OfficeKeyCheck:
    """A town's key file before it is registered: what to compare with the slip."""

    file: KeyFilePreview
    already: bool  # this very key is registered for this code
    current: str | None  # the office's key in use now, which registering would stop
    # What the file says the office's old key signed last; registering stops the old key there.
    old_last_batch: int | None = None


def _officer(actor: Actor, what: str) -> str:
    actor.require_station(Station.COUNTY, what)
    actor.require_role(Role.ADMIN, what)
    return actor.audit_name


def _local(at: dt.datetime) -> dt.datetime:
    from core.packages.slip import local_time

    return local_time(at)


def registered_keys(db: Database) -> list[RegisteredKey]:
    """Every office key ever registered, by code, the newest of each office first."""
    from core.packages.registry import office_keys, revocations

    with reading(db) as s:
        revoked = revocations(s)
        return [_registered(r, revoked.get((r.office_code, r.fingerprint))) for r in office_keys(s)]


def _registered(r: CountyOfficeKey, revoked: tuple[dt.datetime, str, str] | None) -> RegisteredKey:
    from core.packages.keys import display_fingerprint

    until = _local(r.valid_until) if r.valid_until else None
    by, reason = (revoked[1], revoked[2]) if revoked else ("", "")
    return RegisteredKey(r.office_code, r.office_name, display_fingerprint(r.fingerprint), r.registered_by,
                         _local(r.registered_at), until, by, reason, r.last_batch)  # fmt: skip


def _find(db: Database, code: str, fingerprint: str) -> RegisteredKey | None:
    raw = fingerprint.replace(" ", "")
    return next(
        (k for k in registered_keys(db) if k.office_code == code and k.fingerprint.replace(" ", "") == raw),
        None,
    )


def _found(db: Database, code: str, fingerprint: str) -> RegisteredKey:
    found = _find(db, code, fingerprint)
    assert found is not None  # just written in the same call
    return found


def read_office_key_file(*, source: Path) -> KeyFilePreview:
    """A town's key file; a county key file (or an encryption key) is refused."""
    from core.packages.errors import PackageError

    preview = read_key_file(source=source)
    if preview.kind != KeyKind.SIGNING or preview.from_county:
        raise PackageError(
            "KEY_FILE_NOT_OFFICE",
            "这个文件不是站所的签名公钥（可能是县局自己的公钥文件）。请让站所在“上报 → 本所密钥”中写出本所公钥文件。",
        )
    return preview


def check_office_key(db: Database, *, source: Path, code: str) -> OfficeKeyCheck:
    """Read a town's key file and compare it with the register; saves nothing."""
    from core.packages.keys import display_fingerprint

    preview = read_office_key_file(source=source)
    raw = preview.fingerprint.replace(" ", "")
    same_code = [k for k in registered_keys(db) if k.office_code == code.strip()]
    current = next((k.fingerprint for k in same_code if k.active), None)
    already = any(k.fingerprint.replace(" ", "") == raw for k in same_code)
    current = current if current != display_fingerprint(raw) else None
    return OfficeKeyCheck(preview, already, current, preview.old_last_batch)


def register_office_key(db: Database, actor: Actor, *, source: Path, code: str, name: str) -> RegisteredKey:
    """Put the town's key on the allow-list, after the officer compared its fingerprint with the slip."""
    from core.errors import InvalidInput, ValidationError
    from core.packages.errors import PackageError
    from core.packages.identity import check_office_code
    from core.packages.registry import register_office_key as register

    who = _officer(actor, "登记站所公钥")
    errors: list[ValidationError] = []
    try:
        clean = check_office_code(code)
    except PackageError:
        errors.append(
            ValidationError(
                "OFFICE_CODE_FORMAT",
                "上报代码",
                "上报代码格式不对：应为站所密钥登记表上的代码（一般为9位数字），请核对。",
            )
        )
    if not name.strip():
        errors.append(
            ValidationError("OFFICE_NAME_EMPTY", "站所名称", "请填写站所名称，如“升平镇劳动保障事务所”。")
        )
    if errors:
        raise InvalidInput(errors)
    preview = read_office_key_file(source=source)
    data = source.read_bytes()
    with unit_of_work(db) as s:
        fp = register(s, clean, data, who, name.strip(), preview.old_last_batch).fingerprint
    return _found(db, clean, fp)


def revoke_office_key(
    db: Database, actor: Actor, *, code: str, fingerprint: str, reason: str, last_batch: int | None = None
) -> RegisteredKey:
    """Stop a lost or stolen key: a package it signed with a batch number after `last_batch` is
    refused (PKG_KEY_RETIRED), whatever time it claims (#13).

    Without `last_batch`, the last batch the county imported with it: nothing more it signs
    imports. A town's batch exported with it but not yet handed over needs its number given.
    """
    from core.db.models import utcnow
    from core.errors import InvalidInput, ValidationError
    from core.packages.errors import PackageError
    from core.packages.registry import revoke_office_key as revoke

    who = _officer(actor, "停用站所密钥")
    if not reason.strip():
        raise InvalidInput(
            [ValidationError("REVOKE_REASON", "停用原因", "请写明停用原因，如“U盘丢失”“电脑被盗”。")]
        )
    raw = fingerprint.replace(" ", "")
    found = _find(db, code, raw)
    if found is None:
        raise PackageError("KEY_NOT_REGISTERED", "没有登记过这个指纹的密钥，请核对指纹。")
    if not found.active:
        raise PackageError("KEY_ALREADY_STOPPED", f"这个密钥已经停用（{found.state}），无需再停用。")
    with unit_of_work(db) as s:
        # Packages carry their time to the second: one made in this very second is refused too.
        revoke(s, raw, utcnow().replace(microsecond=0), who, reason.strip(), code, last_batch)
    return _found(db, code, raw)
