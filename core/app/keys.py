"""Signing and encryption keys of this PC: fingerprints, public key files, slips, backups, rotation,
and, at a town, the county's keys.

Every change to a key is an audit event; reading a fingerprint, printing a slip or writing a
public key file changes nothing. A public key file carries, above the key, lines people can
read (单位, 上报代码, 指纹); they are hints for the screen, the fingerprint is what is compared.
The county's allow-list of office keys is in core/app/key_registry.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from core.actor import Actor, Role, Station
from core.app.base import reading, unit_of_work
from core.db import Database

if TYPE_CHECKING:  # cryptography loads when a key is first used, not at start-up
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

    from core.app.reports import PreparedDocument
    from core.packages.keys import KeyFileInfo, KeyStore

HOLDER = "单位"
CODE = "上报代码"
PURPOSE = "用途"
OFFICE_PURPOSE = "站所签名公钥"
OLD_LAST_BATCH = "旧密钥最后批次"  # core/packages/key_numbers.py
COUNTY_PURPOSES = ("县局签名公钥", "县局加密公钥")


class KeyKind(StrEnum):
    SIGNING = "signing"  # Ed25519: signs batches (a town) or result packages (the county)
    ENCRYPTION = "encryption"  # X25519: the county's, to seal batches to


KIND_LABELS = {
    KeyKind.SIGNING: "县局签名公钥（用于核验县局发回的审核结果）",
    KeyKind.ENCRYPTION: "县局加密公钥（用于加密上报批次）",
}


@dataclass(frozen=True)
class KeyFilePreview:
    """What a public key file holds, shown before anything is saved."""

    kind: KeyKind
    fingerprint: str  # in groups of four
    holder: str  # the 单位 written in the file, or ""
    code: str  # the 上报代码 written in the file or in its name, or ""
    from_county: bool | None = None  # what the file says it is; None for a bare key file
    old_last_batch: int | None = None  # a town's new key: the last batch its old key signed


@dataclass(frozen=True)
class CountyKeyCheck:
    """A county key file against the county key of the same kind this town trusts now."""

    file: KeyFilePreview
    trusted: str | None  # in groups of four; None before the first import

    @property
    def same(self) -> bool:
        return self.trusted == self.file.fingerprint

    @property
    def replaces(self) -> bool:
        return self.trusted is not None and not self.same


class ImportOutcome(StrEnum):
    NEW = "new"
    SAME = "same"  # the key already trusted: nothing changed
    REPLACED = "replaced"


@dataclass(frozen=True)
class CountyKeyImport:
    kind: KeyKind
    fingerprint: str
    outcome: ImportOutcome
    previous: str | None


@dataclass(frozen=True)
class OfficeKeyCard:
    """The town's key dialog: who this office is, its fingerprint, and the county keys it trusts."""

    office_name: str
    code: str | None
    fingerprint: str
    county: str | None
    county_encryption: str | None


@dataclass(frozen=True)
class CountyKeyCard:
    county_name: str | None
    fingerprint: str
    encryption: str


def _store(db: Database) -> KeyStore:
    from core.packages.keys import KeyStore

    return KeyStore(db.path.parent)


def _signing(db: Database, county: bool) -> Ed25519PrivateKey:
    """The signing key, created when missing: only the key dialogs and signing call this."""
    store = _store(db)
    return store.county_key() if county else store.office_key()


def _public(db: Database, county: bool) -> Ed25519PublicKey:
    """The public half of a key that exists: what reading actions use; they never create one (#13)."""
    return _store(db).signing_public(county)


def _audit(db: Database, actor: Actor, action: str, key: str, changes: dict[str, list[object]]) -> None:
    from core import audit

    with unit_of_work(db) as s:
        audit.record(s, actor.audit_name, action, "key", key, changes)


def _name(county: bool) -> str:
    from core.packages import keys as k

    return k.COUNTY_KEY if county else k.OFFICE_KEY


def fingerprint(db: Database, *, county: bool = False) -> str:
    """The signing key's fingerprint in groups of four, as it is read aloud on the phone."""
    from core.packages.keys import display_fingerprint, raw_public
    from core.packages.keys import fingerprint as fp

    return display_fingerprint(fp(raw_public(_public(db, county))))


def _shown(db: Database, county: bool) -> str:
    """The fingerprint the key dialog and slip show: the dialog is where a station's key is made."""
    from core.packages.keys import display_fingerprint, raw_public
    from core.packages.keys import fingerprint as fp

    return display_fingerprint(fp(raw_public(_signing(db, county).public_key())))


def write_public_key(db: Database, *, target: Path, county: bool = False) -> Path:
    """The public half of the signing key, to hand to the other side (it may be shown to anyone)."""
    from core.files import write_atomically
    from core.packages.keys import public_pem

    write_atomically(target, public_pem(_public(db, county)))
    return target


def write_encryption_key(db: Database, actor: Actor, *, target: Path) -> Path:
    """The county's public encryption key, for the towns to seal their batches with."""
    from core.files import write_atomically
    from core.packages.keys import public_pem

    actor.require_station(Station.COUNTY, "分发县局加密公钥")
    actor.require_role(Role.ADMIN, "分发县局加密公钥")
    write_atomically(target, public_pem(_store(db).county_encryption_key().public_key()))
    return target


def export_backup(db: Database, actor: Actor, *, target: Path, password: str, county: bool = False) -> None:
    """A password-protected copy of the private key; keep it apart from the password."""
    actor.require_role(Role.ADMIN, "备份密钥")
    _store(db).export_backup(target, password, _name(county))
    _audit(db, actor, "key_backup", _name(county), {"file": [None, target.name]})


def restore_backup(db: Database, actor: Actor, *, source: Path, password: str, county: bool = False) -> str:
    """Put a backed-up private key back in place; returns its fingerprint."""
    from core.packages.keys import display_fingerprint, raw_public
    from core.packages.keys import fingerprint as raw_fp

    actor.require_role(Role.ADMIN, "恢复密钥")
    store = _store(db)
    old = raw_fp(raw_public(store.signing_public(county))) if store.has(_name(county)) else None
    fp = store.restore_backup(source, password, _name(county))
    _audit(db, actor, "key_restore", _name(county), {"fingerprint": [old, fp]})
    return display_fingerprint(fp)


def rotate_office_key(db: Database, actor: Actor) -> str:
    """Retire the office key and make a new one (to be registered at the county); the new fingerprint."""
    actor.require_station(Station.TOWN, "更换本所签名密钥")
    return _rotate(db, actor, county=False)


def rotate_county_key(db: Database, actor: Actor) -> str:
    """Retire the county's signing key and make a new one; every town imports the new public key.

    Result packages signed before stay verifiable only where the old key is still trusted: the
    county sends the new 县局公钥.pem with a new 县局密钥公布表 (docs/keys.md).
    """
    actor.require_station(Station.COUNTY, "更换县局签名密钥")
    return _rotate(db, actor, county=True)


def _rotate(db: Database, actor: Actor, county: bool) -> str:
    from core.packages.keys import display_fingerprint, raw_public
    from core.packages.keys import fingerprint as fp

    actor.require_role(Role.ADMIN, "更换签名密钥")
    who = actor.audit_name
    store = _store(db)
    old = fp(raw_public(store.signing_public(county))) if store.has(_name(county)) else None
    new = fp(raw_public(store.rotate(_name(county)).public_key()))
    with unit_of_work(db) as s:
        from core import audit

        audit.record(s, who, "key_rotate", "key", _name(county), {"fingerprint": [old, new]})
    return display_fingerprint(new)


def _display(raw_fp: str) -> str:
    from core.packages.keys import display_fingerprint

    return display_fingerprint(raw_fp)


def _code_in_name(name: str) -> str:
    import re

    found = re.search(r"本所公钥-([0-9A-Za-z]{6,20})", name)
    return found.group(1) if found else ""


def _info(source: Path) -> KeyFileInfo:
    from core.packages.keys import read_key_file

    return read_key_file(_read(source))


def read_key_file(*, source: Path) -> KeyFilePreview:
    """A public key file as handed over (USB stick): its kind, fingerprint and what it says it is."""
    info = _info(source)
    kind = KeyKind.SIGNING if info.signing else KeyKind.ENCRYPTION
    code = info.notes.get(CODE) or _code_in_name(source.name)
    purpose = info.notes.get(PURPOSE)
    county = None if purpose is None else purpose in COUNTY_PURPOSES
    from core.packages.key_numbers import note_number

    return KeyFilePreview(
        kind, _display(info.fingerprint), info.notes.get(HOLDER, ""), code, county, note_number(info.notes)
    )


def _trusted(store: KeyStore, kind: KeyKind) -> str | None:
    from core.packages.keys import fingerprint, raw_public

    key = store.county_public_or_none() if kind == KeyKind.SIGNING else store.county_encryption_public()
    return fingerprint(raw_public(key)) if key is not None else None


def check_county_key(db: Database, *, source: Path) -> CountyKeyCheck:
    """Before importing: the file's fingerprint, and the one trusted now if it would be replaced."""
    from core.packages.errors import PackageError

    preview = read_key_file(source=source)
    if preview.from_county is False or (preview.from_county is None and preview.code):
        raise PackageError(
            "KEY_FILE_NOT_COUNTY",
            f"这是站所{('（' + preview.holder + '）') if preview.holder else ''}的公钥文件，不是县局的公钥。"
            "请使用县局发来的县局公钥文件（县局公钥.pem、县局加密公钥.pem）。",
        )
    trusted = _trusted(_store(db), preview.kind)
    return CountyKeyCheck(preview, _display(trusted) if trusted else None)


def import_county_key_file(
    db: Database, actor: Actor, *, source: Path, replace: bool = False
) -> CountyKeyImport:
    """Trust the county's signing or encryption key (the file says which).

    Replacing a different key already trusted needs `replace` and the 管理员: a
    swapped file would let someone else's results in, or seal batches to someone else.
    """
    from core import audit
    from core.packages.errors import PackageError

    actor.require_station(Station.TOWN, "导入县局公钥")
    actor.require_role(Role.ADMIN, "导入县局公钥")
    who = actor.audit_name
    data = _read(source)
    check = check_county_key(db, source=source)
    kind, new = check.file.kind, check.file.fingerprint
    if check.same:
        return CountyKeyImport(kind, new, ImportOutcome.SAME, check.trusted)
    if check.replaces:
        if not replace:
            raise PackageError(
                "COUNTY_KEY_DIFFERENT",
                f"这个{KIND_LABELS[kind]}与本机已信任的不同（已信任：{check.trusted}；文件中：{new}）。"
                "请先与县局电话核对指纹；确需更换的，由管理员在“上报 → 导入县局公钥”中确认更换。",
            )
        actor.require_role(Role.ADMIN, "更换本机已信任的县局公钥")
    store = _store(db)
    fp = (
        store.set_county_public(data) if kind == KeyKind.SIGNING else store.set_county_encryption_public(data)
    )
    action = "key_replace" if check.replaces else "key_import"
    name = "county_public" if kind == KeyKind.SIGNING else "county_encryption_public"
    with unit_of_work(db) as s:
        old = check.trusted.replace(" ", "") if check.trusted else None
        audit.record(s, who, action, "key", name, {"fingerprint": [old, fp]})
    outcome = ImportOutcome.REPLACED if check.replaces else ImportOutcome.NEW
    return CountyKeyImport(kind, new, outcome, check.trusted)


def _import_kind(db: Database, actor: Actor, source: Path, kind: KeyKind) -> CountyKeyImport:
    from core.packages.errors import PackageError

    if read_key_file(source=source).kind != kind:
        raise PackageError("KEY_FILE_INVALID", f"这个文件不是{KIND_LABELS[kind]}，请核对文件。")
    return import_county_key_file(db, actor, source=source)


def import_county_key(db: Database, actor: Actor, *, source: Path) -> str:
    """Keep the county's signing public key (to verify result packages); its fingerprint."""
    return _import_kind(db, actor, source, KeyKind.SIGNING).fingerprint


def import_county_encryption_key(db: Database, actor: Actor, *, source: Path) -> None:
    """Keep the county's encryption public key, so batches can be sealed to it."""
    _import_kind(db, actor, source, KeyKind.ENCRYPTION)


def _read(source: Path) -> bytes:
    from core.packages.errors import PackageError

    try:
        return source.read_bytes()
    except OSError as exc:
        raise PackageError(
            "KEY_FILE_UNREADABLE", f"无法读取密钥文件 {source}：{exc.strerror or exc}。"
        ) from exc


def _office_identity(db: Database) -> tuple[str, str]:
    """The office's name and code, which a town's key file and slip must carry."""
    from core.errors import SubsidyDeskError
    from core.packages.identity import stored_office_code
    from core.settings import get_office

    with reading(db) as s:
        office, code = get_office(s), stored_office_code(s)
        name = office.name if office else ""
    if not name or not code:
        raise SubsidyDeskError(
            "OFFICE_IDENTITY_MISSING",
            "还没有填写本所名称或上报代码，县局无法据此登记。请先在“设置 → 事务所设置”中填写。",
        )
    return name, code


def _county_identity(db: Database) -> str:
    from core.errors import SubsidyDeskError
    from core.packages.identity import county_name

    with reading(db) as s:
        name = county_name(s)
    if not name:
        raise SubsidyDeskError(
            "COUNTY_NAME_MISSING",
            "还没有填写县局名称。请先在“设置 → 县局设置”中填写，如“德钦县劳动就业管理局”。",
        )
    return name


def office_key_card(db: Database, actor: Actor) -> OfficeKeyCard:
    from core.packages.identity import stored_office_code
    from core.settings import get_office

    actor.require_station(Station.TOWN, "查看本所密钥")
    with reading(db) as s:
        office, code = get_office(s), stored_office_code(s)
    store = _store(db)
    county, encryption = _trusted(store, KeyKind.SIGNING), _trusted(store, KeyKind.ENCRYPTION)
    return OfficeKeyCard(
        office.name if office else "", code, _shown(db, False), _display(county) if county else None,
        _display(encryption) if encryption else None,
    )  # fmt: skip


def county_key_card(db: Database, actor: Actor) -> CountyKeyCard:
    from core.packages.identity import county_name
    from core.packages.keys import fingerprint as fp
    from core.packages.keys import raw_public

    actor.require_station(Station.COUNTY, "查看县局密钥")
    with reading(db) as s:
        name = county_name(s)
    encryption = fp(raw_public(_store(db).county_encryption_key().public_key()))
    return CountyKeyCard(name, _shown(db, True), _display(encryption))


def write_office_key_file(db: Database, actor: Actor, *, folder: Path) -> Path:
    """本所公钥-<code>.pem in `folder` (a USB stick for the county); it may be shown to anyone."""
    from core.files import write_atomically
    from core.packages.keys import key_file

    actor.require_station(Station.TOWN, "写出本所公钥文件")
    actor.require_role(Role.ADMIN, "写出本所公钥文件")
    name, code = _office_identity(db)
    notes = {HOLDER: name, CODE: code, PURPOSE: OFFICE_PURPOSE}
    last = old_keys_last_batch(db)
    if last is not None:
        notes[OLD_LAST_BATCH] = f"第{last}批"
    data = key_file(_signing(db, False).public_key(), notes, "本所签名公钥（可以公开，不含私钥）")
    target = folder / f"本所公钥-{code}.pem"
    _write_to(target, lambda: write_atomically(target, data))
    return target


def old_keys_last_batch(db: Database) -> int | None:
    """The last batch this office signed with a key it has since replaced (None: never replaced)."""
    from core.packages.key_numbers import retired_last_batch
    from core.packages.keys import fingerprint as fp
    from core.packages.keys import raw_public

    current = fp(raw_public(_signing(db, False).public_key()))
    with reading(db) as s:
        return retired_last_batch(s, current)


def write_county_key_files(db: Database, actor: Actor, *, folder: Path) -> tuple[Path, Path]:
    """县局公钥.pem and 县局加密公钥.pem in `folder`, for every town to import."""
    from core.files import write_atomically
    from core.packages.keys import key_file

    actor.require_station(Station.COUNTY, "写出县局公钥文件")
    actor.require_role(Role.ADMIN, "写出县局公钥文件")
    name = _county_identity(db)
    signing_notes = {HOLDER: name, PURPOSE: COUNTY_PURPOSES[0]}
    sealing_notes = {HOLDER: name, PURPOSE: COUNTY_PURPOSES[1]}
    signing = key_file(_signing(db, True).public_key(), signing_notes, "县局签名公钥（可以公开，不含私钥）")
    sealing_key = _store(db).county_encryption_key().public_key()
    sealing = key_file(sealing_key, sealing_notes, "县局加密公钥（可以公开，不含私钥）")
    first, second = folder / "县局公钥.pem", folder / "县局加密公钥.pem"
    _write_to(first, lambda: write_atomically(first, signing))
    _write_to(second, lambda: write_atomically(second, sealing))
    return first, second


def _write_to(target: Path, write: Callable[[], None]) -> None:
    from core.errors import SubsidyDeskError

    if not target.parent.is_dir():
        raise SubsidyDeskError(
            "KEY_FOLDER_MISSING", f"找不到文件夹 {target.parent}，请检查U盘是否插好，或重新选择文件夹。"
        )
    try:
        write()
    except OSError as exc:
        raise SubsidyDeskError(
            "KEY_FILE_WRITE_FAILED", f"无法写入 {target}：{exc.strerror or exc}。请换一个U盘或文件夹再试。"
        ) from exc


def prepare_key_slip(db: Database, actor: Actor, *, today: dt.date | None = None) -> PreparedDocument:
    """密钥登记表 (a town) or 县局密钥公布表 (the county), read now and drawn by `render`."""
    from core.app.reports import PreparedDocument
    from core.printing.key_slip import county_slip, render_key_slip, town_slip

    day = today or dt.date.today()
    if actor.station == Station.COUNTY:
        card = county_key_card(db, actor)
        from core.app.inbox import service_fingerprint

        identity = _county_identity(db)
        slip = county_slip(
            identity, _raw(card.fingerprint), _raw(card.encryption), day, service_fingerprint(db)
        )
    else:
        name, code = _office_identity(db)
        slip = town_slip(name, code, _raw(_shown(db, False)), day, old_keys_last_batch(db))
    return PreparedDocument(f"{slip.title}_{slip.holder}.pdf", slip.title, lambda: render_key_slip(slip))


def _raw(display: str) -> str:
    return display.replace(" ", "")
