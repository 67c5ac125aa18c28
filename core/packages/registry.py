"""The county's allow-list of office keys, and what it has already imported from each office."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit
from core.db.models import AuditEvent, utcnow
from core.packages.errors import PackageError
from core.packages.identity import check_office_code
from core.packages.keys import AllowedKey, AllowList, fingerprint, load_signing_public, raw_public
from core.packages.models import CountyOfficeKey, ImportedPackage
from core.packages.verify import Seen

REVOKE_ACTION = "revoke_key"


def register_office_key(
    session: Session,
    office_code: str,
    public_key_file: bytes,
    actor: str,
    office_name: str = "",
    previous_last_batch: int | None = None,
) -> CountyOfficeKey:
    """Put an office's public key on the allow-list; its previous key stops at a batch number.

    The previous key may sign up to `previous_last_batch` (what the town's new key file says
    its old key signed last), never fewer than the county already imported with it: batches
    the town exported before it changed keys keep importing; a later number signed with the
    old key is refused, whatever time it claims (#13). The new key is valid from the start
    of time: it did not exist before the office made it.

    One public key is registered under one office only; a key once replaced or revoked is never
    made valid again (the town makes a new one).
    """
    code = check_office_code(office_code)
    raw = raw_public(load_signing_public(public_key_file))
    fp = fingerprint(raw)
    known = list(session.scalars(select(CountyOfficeKey).where(CountyOfficeKey.fingerprint == fp)))
    elsewhere = [k for k in known if k.office_code != code]
    if elsewhere:
        raise PackageError(
            "KEY_OTHER_OFFICE",
            f"这个公钥已登记在 {elsewhere[0].office_code}（{elsewhere[0].office_name}）名下，同一个公钥只能登记在一个站所名下。"
            "请核对文件是否拿错；每个站所须在本所电脑上生成自己的密钥。",
        )
    if known:
        if known[0].valid_until is None and known[0].last_batch is None:
            return known[0]
        raise PackageError(
            "KEY_RETIRED_AGAIN",
            "这个公钥已经更换或停用过，不能重新启用。请站所在“上报 → 本所密钥”中换新密钥后再来登记新公钥。",
        )
    now = utcnow()
    for old in _active(session, code):
        close_key(session, old, now, previous_last_batch)
    row = CountyOfficeKey(
        office_code=code, office_name=office_name, public_key=raw.hex(), fingerprint=fp, valid_from=dt.datetime.min,
        registered_by=actor,
    )  # fmt: skip
    session.add(row)
    session.flush()
    audit.record(session, actor, "register_key", "county_office", code, {"fingerprint": [None, fp]})
    return row


def _active(session: Session, code: str) -> list[CountyOfficeKey]:
    stmt = select(CountyOfficeKey).where(
        CountyOfficeKey.office_code == code,
        CountyOfficeKey.valid_until.is_(None),
        CountyOfficeKey.last_batch.is_(None),
    )
    return list(session.scalars(stmt))


def imported_with(session: Session, row: CountyOfficeKey) -> int:
    """The highest batch number the county imported from this office signed by this key (0: none)."""
    stmt = select(func.max(ImportedPackage.batch_number)).where(
        ImportedPackage.office_code == row.office_code, ImportedPackage.key_fingerprint == row.fingerprint
    )
    return session.scalar(stmt) or 0


def close_key(session: Session, row: CountyOfficeKey, at: dt.datetime, last_batch: int | None) -> None:
    """Stop a key at a batch number: at least what was imported with it, at most what it is told."""
    imported = imported_with(session, row)
    number = imported if last_batch is None else max(last_batch, imported)
    row.last_batch = number if row.last_batch is None else min(row.last_batch, number)
    row.valid_until = at if row.valid_until is None else min(row.valid_until, at)


def revoke_office_key(
    session: Session,
    fp: str,
    since: dt.datetime,
    actor: str,
    reason: str = "",
    office_code: str | None = None,
    last_batch: int | None = None,
) -> CountyOfficeKey:
    """A lost or stolen key: packages it signed with a number after `last_batch` are refused.

    Without `last_batch`, the last batch imported with it: nothing it signs from now on
    imports. A key that already stopped (replaced by a newer one) keeps its earlier end:
    revoking never makes a key valid for longer.
    """
    stmt = select(CountyOfficeKey).where(CountyOfficeKey.fingerprint == fp)
    if office_code is not None:
        stmt = stmt.where(CountyOfficeKey.office_code == office_code)
    row = session.scalars(stmt.order_by(CountyOfficeKey.id)).first()
    if row is None:
        raise PackageError("KEY_NOT_REGISTERED", "没有登记过这个指纹的密钥，请核对指纹。")
    close_key(session, row, since, last_batch)
    changes: dict[str, list[object]] = {"fingerprint": [fp, None], "last_batch": [None, row.last_batch]}
    if reason:
        changes["reason"] = [None, reason]
    audit.record(session, actor, REVOKE_ACTION, "county_office", row.office_code, changes)
    return row


def office_keys(session: Session) -> list[CountyOfficeKey]:
    """Every key ever registered, by office code, the newest of each office first."""
    stmt = select(CountyOfficeKey).order_by(CountyOfficeKey.office_code, CountyOfficeKey.id.desc())
    return list(session.scalars(stmt))


def revocations(session: Session) -> dict[tuple[str, str], tuple[dt.datetime, str, str]]:
    """(office code, fingerprint) -> (when, by whom, reason) of each revocation, from the audit trail."""
    found: dict[tuple[str, str], tuple[dt.datetime, str, str]] = {}
    stmt = select(AuditEvent).where(AuditEvent.action == REVOKE_ACTION, AuditEvent.entity == "county_office")
    for event in session.scalars(stmt.order_by(AuditEvent.id)):
        fp = (event.changes.get("fingerprint") or [None])[0]
        reason = (event.changes.get("reason") or [None, ""])[1]
        if isinstance(fp, str):
            found[(event.entity_key, fp)] = (event.at, event.actor, str(reason or ""))
    return found


def load_allow_list(session: Session) -> AllowList:
    rows = session.scalars(select(CountyOfficeKey).order_by(CountyOfficeKey.id))
    return AllowList(
        [
            AllowedKey(r.office_code, bytes.fromhex(r.public_key), r.valid_from, r.valid_until, r.last_batch)
            for r in rows
        ]
    )


def seen_sequences(session: Session) -> Seen:
    seen: dict[str, dict[int, str]] = {}
    for code, number, digest in session.execute(
        select(ImportedPackage.office_code, ImportedPackage.batch_number, ImportedPackage.manifest_sha256)
    ):
        seen.setdefault(code, {})[number] = digest
    return seen
