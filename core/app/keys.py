"""Signing and encryption keys of this PC: fingerprints, public key files, backups, rotation.

Every change to a key is an audit event; reading a fingerprint or writing a public key file
changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from core.actor import Actor, Station
from core.app.base import unit_of_work
from core.db import Database

if TYPE_CHECKING:  # cryptography loads when a key is first used, not at start-up
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from core.packages.keys import KeyStore


def _store(db: Database) -> KeyStore:
    from core.packages.keys import KeyStore

    return KeyStore(db.path.parent)


def _signing(db: Database, county: bool) -> Ed25519PrivateKey:
    store = _store(db)
    return store.county_key() if county else store.office_key()


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

    return display_fingerprint(fp(raw_public(_signing(db, county).public_key())))


def write_public_key(db: Database, *, target: Path, county: bool = False) -> Path:
    """The public half of the signing key, to hand to the other side (it may be shown to anyone)."""
    from core.files import write_atomically
    from core.packages.keys import public_pem

    write_atomically(target, public_pem(_signing(db, county).public_key()))
    return target


def write_encryption_key(db: Database, actor: Actor, *, target: Path) -> Path:
    """The county's public encryption key, for the towns to seal their batches with."""
    from core.files import write_atomically
    from core.packages.keys import public_pem

    actor.require_station(Station.COUNTY, "分发县局加密公钥")
    write_atomically(target, public_pem(_store(db).county_encryption_key().public_key()))
    return target


def export_backup(db: Database, actor: Actor, *, target: Path, password: str, county: bool = False) -> None:
    """A password-protected copy of the private key; keep it apart from the password."""
    _store(db).export_backup(target, password, _name(county))
    _audit(db, actor, "key_backup", _name(county), {"file": [None, target.name]})


def restore_backup(db: Database, actor: Actor, *, source: Path, password: str, county: bool = False) -> str:
    """Put a backed-up private key back in place; returns its fingerprint."""
    from core.packages.keys import display_fingerprint

    fp = _store(db).restore_backup(source, password, _name(county))
    _audit(db, actor, "key_restore", _name(county), {"fingerprint": [None, fp]})
    return display_fingerprint(fp)


def rotate_office_key(db: Database, actor: Actor) -> str:
    """Retire the office key and make a new one (to be registered at the county); the new fingerprint."""
    from core.packages.keys import display_fingerprint, raw_public
    from core.packages.keys import fingerprint as fp

    actor.require_station(Station.TOWN, "更换本所签名密钥")
    store = _store(db)
    old = store.office_fingerprint()
    new = fp(raw_public(store.rotate_office_key().public_key()))
    _audit(db, actor, "key_rotate", _name(False), {"fingerprint": [old, new]})
    return display_fingerprint(new)


def import_county_key(db: Database, actor: Actor, *, source: Path) -> str:
    """Keep the county's signing public key (to verify result packages); its fingerprint."""
    from core.packages.keys import display_fingerprint

    actor.require_station(Station.TOWN, "导入县局公钥")
    fp = _store(db).set_county_public(_read(source))
    _audit(db, actor, "key_import", "county_public", {"fingerprint": [None, fp]})
    return display_fingerprint(fp)


def import_county_encryption_key(db: Database, actor: Actor, *, source: Path) -> None:
    """Keep the county's encryption public key, so batches can be sealed to it."""
    actor.require_station(Station.TOWN, "导入县局加密公钥")
    _store(db).set_county_encryption_public(_read(source))
    _audit(db, actor, "key_import", "county_encryption_public", {"file": [None, source.name]})


def _read(source: Path) -> bytes:
    from core.packages.errors import PackageError

    try:
        return source.read_bytes()
    except OSError as exc:
        raise PackageError(
            "KEY_FILE_UNREADABLE", f"无法读取密钥文件 {source}：{exc.strerror or exc}。"
        ) from exc
