"""The county's allow-list of office keys, and what it has already imported from each office."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
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
    session: Session, office_code: str, public_key_file: bytes, actor: str, office_name: str = ""
) -> CountyOfficeKey:
    """Put an office's public key on the allow-list; its previous key stops at this moment.

    Packages signed by the previous key before now keep verifying (the validity window). The
    new key is valid from the start of time: it did not exist before the office made it, and
    the office may have exported with it before the county registered it.
    """
    code = check_office_code(office_code)
    raw = raw_public(load_signing_public(public_key_file))
    fp = fingerprint(raw)
    existing = session.scalar(
        select(CountyOfficeKey).where(CountyOfficeKey.office_code == code, CountyOfficeKey.fingerprint == fp)
    )
    if existing is not None:
        return existing
    now = utcnow()
    for old in session.scalars(
        select(CountyOfficeKey).where(
            CountyOfficeKey.office_code == code, CountyOfficeKey.valid_until.is_(None)
        )
    ):
        old.valid_until = now
    row = CountyOfficeKey(
        office_code=code, office_name=office_name, public_key=raw.hex(), fingerprint=fp, valid_from=dt.datetime.min,
        registered_by=actor,
    )  # fmt: skip
    session.add(row)
    session.flush()
    audit.record(session, actor, "register_key", "county_office", code, {"fingerprint": [None, fp]})
    return row


def revoke_office_key(
    session: Session,
    fp: str,
    since: dt.datetime,
    actor: str,
    reason: str = "",
    office_code: str | None = None,
) -> CountyOfficeKey:
    """A lost or stolen key: packages it signed from `since` on are refused.

    A key that already stopped earlier (replaced by a newer one) keeps its earlier end: revoking
    never makes a key valid for longer.
    """
    stmt = select(CountyOfficeKey).where(CountyOfficeKey.fingerprint == fp)
    if office_code is not None:
        stmt = stmt.where(CountyOfficeKey.office_code == office_code)
    row = session.scalars(stmt.order_by(CountyOfficeKey.id)).first()
    if row is None:
        raise PackageError("KEY_NOT_REGISTERED", "没有登记过这个指纹的密钥，请核对指纹。")
    row.valid_until = since if row.valid_until is None else min(row.valid_until, since)
    changes: dict[str, list[object]] = {"fingerprint": [fp, None]}
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
        [AllowedKey(r.office_code, bytes.fromhex(r.public_key), r.valid_from, r.valid_until) for r in rows]
    )


def seen_sequences(session: Session) -> Seen:
    seen: dict[str, dict[int, str]] = {}
    for code, number, digest in session.execute(
        select(ImportedPackage.office_code, ImportedPackage.batch_number, ImportedPackage.manifest_sha256)
    ):
        seen.setdefault(code, {})[number] = digest
    return seen
