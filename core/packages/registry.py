"""The county's allow-list of office keys, and what it has already imported from each office."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.db.models import utcnow
from core.packages.errors import PackageError
from core.packages.identity import check_office_code
from core.packages.keys import AllowedKey, AllowList, fingerprint, load_signing_public, raw_public
from core.packages.models import CountyOfficeKey, ImportedPackage
from core.packages.verify import Seen


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


def revoke_office_key(session: Session, fp: str, since: dt.datetime, actor: str) -> None:
    """A lost or stolen key: packages it signed from `since` on are refused."""
    row = session.scalar(select(CountyOfficeKey).where(CountyOfficeKey.fingerprint == fp))
    if row is None:
        raise PackageError("KEY_NOT_REGISTERED", "没有登记过这个指纹的密钥，请核对指纹。")
    row.valid_until = since
    audit.record(session, actor, "revoke_key", "county_office", row.office_code, {"fingerprint": [fp, None]})


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
