"""The town's outbox: batches sent to the county over the network, when there is one.

USB stays the way every batch can go; the network is a second road for the same signed
package. A batch is queued (待发送) by the clerk, or by itself after export when the office
chose 导出后自动网上发送; the sender (run in the background by the window, or by
`main.py send`) takes what is due, resumes an interrupted upload at the offset the county
confirms, and keeps the county's signed receipt: 已送达, or 被拒 with the county's reason, and
later 已导入. A failure that the network may cure is tried again with a growing pause (30 s,
1 min, 2 min … up to 15 min); one it cannot (a changed certificate, an office the county does
not know) waits for the clerk, with its message.

Nothing here is needed to start or to work: without settings the outbox is simply empty.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.actor import Actor, Role, Station
from core.app.base import reading, unit_of_work
from core.db import Database
from core.errors import InvalidInput, SubsidyDeskError, ValidationError
from core.files import write_atomically
from core.localtime import local_time
from core.net.states import DELIVERED, IMPORTED, QUEUED, REFUSED, SENDING, STATE_LABELS

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from sqlalchemy.orm import Session

    from core.net.client import CountyService, ServiceAddress
    from core.net.models import OutboxItem

UPLOAD_SETTINGS = "upload.json"
OUTBOX_DIRNAME = "outbox"
FIRST_PAUSE = dt.timedelta(seconds=30)
LONGEST_PAUSE = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class UploadSettings:
    url: str = ""
    fingerprint: str = ""
    proxy: str = ""
    timeout_s: int = 30
    auto_send: bool = False

    @property
    def configured(self) -> bool:
        return bool(self.url.strip())


@dataclass(frozen=True)
class OutboxRow:
    batch_number: int
    state: str
    state_label: str
    sent_bytes: int
    total_bytes: int
    attempts: int
    last_error: str
    reason: str
    next_try_at: dt.datetime | None  # local time
    delivered_at: dt.datetime | None  # local time

    @property
    def percent(self) -> int:
        return int(100 * self.sent_bytes / self.total_bytes) if self.total_bytes else 0


@dataclass(frozen=True)
class SendOutcome:
    batch_number: int
    state: str
    message: str


Progress = Callable[[int, int, int], None]  # batch number, bytes sent, bytes in all


def load_settings(data_dir: Path) -> UploadSettings:
    try:
        raw = json.loads((data_dir / UPLOAD_SETTINGS).read_text(encoding="utf-8"))
        return UploadSettings(**{k: v for k, v in raw.items() if k in UploadSettings.__dataclass_fields__})
    except (OSError, ValueError, TypeError):
        return UploadSettings()


def save_settings(db: Database, actor: Actor, *, settings: UploadSettings) -> UploadSettings:
    """上报服务设置: checked, audited; the certificate fingerprint is stored as 64 hex digits."""
    from core import audit
    from core.net.certificate import normalise_fingerprint

    actor.require_station(Station.TOWN, "设置网上报送")
    actor.require_role(Role.ADMIN, "设置网上报送")
    who = actor.audit_name
    url = settings.url.strip()
    errors = []
    if url and not url.lower().startswith(("https://", "http://")):
        url = "https://" + url
    from urllib.parse import urlsplit

    if url and not urlsplit(url).hostname:
        errors.append(
            ValidationError(
                "UPLOAD_URL",
                "服务地址",
                "服务地址应像 192.168.1.10:8443 这样（县局服务器的地址和端口），请向县局核对。",
            )
        )
    if not url and settings.auto_send:
        errors.append(
            ValidationError("UPLOAD_URL", "服务地址", "要自动通过网络报送，请先填写县局上报服务的地址。")
        )
    proxy = settings.proxy.strip()
    if proxy and not urlsplit(proxy if "://" in proxy else "http://" + proxy).hostname:
        errors.append(
            ValidationError(
                "UPLOAD_PROXY", "代理服务器", "代理服务器应像 10.0.0.1:3128 这样；没有代理请留空。"
            )
        )
    pin = normalise_fingerprint(settings.fingerprint)
    if url.lower().startswith("https://") and len(pin) != 64:
        errors.append(
            ValidationError(
                "UPLOAD_PIN",
                "证书指纹",
                "证书指纹是64位（数字0-9和字母a-f），请照县局密钥公布表上的“上报服务证书指纹”填写。",
            )
        )
    if not 5 <= settings.timeout_s <= 600:
        errors.append(ValidationError("UPLOAD_TIMEOUT", "超时", "超时应在5到600秒之间。"))
    if errors:
        raise InvalidInput(errors)
    clean = UploadSettings(url, pin, settings.proxy.strip(), settings.timeout_s, settings.auto_send)
    before = asdict(load_settings(db.path.parent))
    write_atomically(db.path.parent / UPLOAD_SETTINGS, json.dumps(asdict(clean), ensure_ascii=False).encode())
    changes = audit.diff(before, asdict(clean))
    if changes:
        with unit_of_work(db) as s:
            audit.record(s, who, "update", "upload_settings", "town", changes)
    return clean


def queue(db: Database, actor: Actor, *, number: int) -> OutboxRow:
    """网上发送 a batch: it waits in the outbox; sending it again changes nothing."""
    from core import audit

    who = actor.audit_name
    with unit_of_work(db) as s:
        item = _queue(s, number)
        if item.attempts == 0 and item.state == QUEUED:
            audit.record(s, who, "queue_upload", "batch", str(number), {"网上报送": [None, "待发送"]})
        return _row(item)


def _queue(session: Session, number: int) -> OutboxItem:
    from sqlalchemy import select

    from core.net.models import OutboxItem
    from core.packages.models import Batch

    item = session.scalar(select(OutboxItem).where(OutboxItem.batch_number == number))
    if item is not None:
        if item.state in (QUEUED, SENDING):
            item.next_try_at = None  # 立即发送: whatever the pause was
        return item
    batch = session.scalar(select(Batch).where(Batch.number == number))
    if batch is None:
        raise SubsidyDeskError("BATCH_MISSING", f"没有第{number}批。")
    item = OutboxItem(batch_number=number, manifest_sha256=batch.manifest_sha256, state=QUEUED,
                      upload_url="", sent_bytes=0, total_bytes=0, attempts=0, last_error="",
                      receipt="", reason="")  # fmt: skip
    session.add(item)
    session.flush()
    return item


def rows(db: Database) -> dict[int, OutboxRow]:
    """The sending state of every batch in the outbox, by batch number."""
    from sqlalchemy import select

    from core.net.models import OutboxItem

    with reading(db) as s:
        return {i.batch_number: _row(i) for i in s.scalars(select(OutboxItem))}


def _row(item: OutboxItem) -> OutboxRow:
    return OutboxRow(
        item.batch_number, item.state, STATE_LABELS[item.state], item.sent_bytes, item.total_bytes,
        item.attempts, item.last_error, item.reason,
        local_time(item.next_try_at) if item.next_try_at else None,
        local_time(item.delivered_at) if item.delivered_at else None,
    )  # fmt: skip


def queue_exported(db: Database) -> int:
    """With 导出后自动网上发送: queue every exported batch not yet in the outbox; how many."""
    from sqlalchemy import select

    from core.net.models import OutboxItem
    from core.packages.models import Batch

    if not load_settings(db.path.parent).auto_send:
        return 0
    with unit_of_work(db) as s:
        known = set(s.scalars(select(OutboxItem.batch_number)))
        new = [n for n in s.scalars(select(Batch.number)) if n not in known]
        for number in new:
            _queue(s, number)
        return len(new)


def due(db: Database, now: dt.datetime | None = None) -> list[int]:
    """Batch numbers to send now, in order."""
    from sqlalchemy import or_, select

    from core.net.models import OutboxItem

    moment = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with reading(db) as s:
        stmt = select(OutboxItem.batch_number).where(
            OutboxItem.state.in_([QUEUED, SENDING]),
            or_(OutboxItem.next_try_at.is_(None), OutboxItem.next_try_at <= moment),
        )
        return sorted(s.scalars(stmt))


def next_attempt(db: Database) -> dt.datetime | None:
    """When the earliest waiting batch is to be tried again (UTC), for the window's timer."""
    from sqlalchemy import func, select

    from core.net.models import OutboxItem

    with reading(db) as s:
        stmt = select(func.min(OutboxItem.next_try_at)).where(OutboxItem.state.in_([QUEUED, SENDING]))
        found: dt.datetime | None = s.scalar(stmt)
        return found


def send_due(
    db: Database,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    now: dt.datetime | None = None,
) -> list[SendOutcome]:
    """Send what is due, one batch after another; each ends delivered, refused or waiting."""
    queue_exported(db)
    numbers = due(db, now)
    if not numbers:
        return []
    from core.net.client import CountyService

    settings = load_settings(db.path.parent)
    outcomes = []
    with CountyService(_address(settings), *_signer(db)) as service:
        for number in numbers:
            if cancelled():
                break
            outcomes.append(_send_one(db, service, number, progress, cancelled))
            if outcomes[-1].state == QUEUED and outcomes[-1].message and _offline(outcomes[-1]):
                break  # the network is down: the others would fail the same way
    return outcomes


def _offline(outcome: SendOutcome) -> bool:
    return outcome.message.startswith("连不上")


def _address(settings: UploadSettings) -> ServiceAddress:
    from core.net.client import ServiceAddress

    proxy = settings.proxy.strip()
    if proxy and "://" not in proxy:
        proxy = "http://" + proxy  # an office's proxy is written as host:port
    return ServiceAddress(settings.url, settings.fingerprint, proxy, float(settings.timeout_s))


def _signer(db: Database) -> tuple[Ed25519PrivateKey, str]:
    from core.packages.keys import KeyStore

    store = KeyStore(db.path.parent)
    return store.office_key(), store.office_fingerprint()


def _package(db: Database, number: int) -> tuple[Path, str, str]:
    """The file to send (sealed to the county when its key is here, once, kept until delivered)."""
    from sqlalchemy import select

    from core.packages.kept import check_copy
    from core.packages.keys import KeyStore
    from core.packages.models import Batch
    from core.packages.sealed import seal_file

    data_dir = db.path.parent
    with reading(db) as s:
        batch = s.scalar(select(Batch).where(Batch.number == number))
        if batch is None:
            raise SubsidyDeskError("BATCH_MISSING", f"没有第{number}批。")
        plain = check_copy(data_dir, batch)
        office_code, manifest = batch.office_code, batch.manifest_sha256
    seal_to = KeyStore(data_dir).county_encryption_public()
    if seal_to is None:
        return plain, office_code, manifest
    sealed = data_dir / OUTBOX_DIRNAME / f"{plain.stem}.sealed.zip"
    if not sealed.exists():
        sealed.parent.mkdir(parents=True, exist_ok=True)
        partial = sealed.with_name(f".{sealed.name}.part")
        seal_file(plain, partial, seal_to)
        partial.replace(sealed)
    return sealed, office_code, manifest


def _send_one(
    db: Database,
    service: CountyService,
    number: int,
    progress: Progress | None,
    cancelled: Callable[[], bool],
) -> SendOutcome:
    from core.net.client import Cancelled, NetworkError

    try:
        path, office_code, manifest = _package(db, number)
        length = path.stat().st_size
        url = _item_field(db, number, "upload_url")
        offset = service.offset(url) if url else None
        if offset is None:
            url, offset = service.create(
                length,
                {
                    "manifest": manifest,
                    "filename": path.name,
                    "filetype": "application/zip",
                    "batch": str(number),
                },
            )
        _update(db, number, state=SENDING, upload_url=url, sent_bytes=offset, total_bytes=length)

        def sent(done: int) -> None:
            _update(db, number, sent_bytes=done)
            if progress is not None:
                progress(number, done, length)

        if progress is not None:
            progress(number, offset, length)
        service.send(url, path, offset, sent, cancelled)
        document = service.receipt(url)
        if document is None:
            raise NetworkError("NET_NO_RECEIPT", "县局还没有给出回执，稍后会再查询。")
        return _settle(db, number, document, office_code, manifest)
    except Cancelled as exc:
        _update(db, number, last_error=exc.message_zh)
        return SendOutcome(number, QUEUED, exc.message_zh)
    except NetworkError as exc:
        return _wait(db, number, exc.message_zh, exc.retry)
    except (SubsidyDeskError, OSError) as exc:
        message = exc.message_zh if isinstance(exc, SubsidyDeskError) else f"读取本机的数据包副本失败：{exc}"
        return _wait(db, number, message, retry=False)


def _settle(
    db: Database, number: int, document: dict[str, object], office_code: str, manifest: str
) -> SendOutcome:
    from core import audit
    from core.net.receipts import REFUSED as REFUSED_VERDICT
    from core.net.receipts import read_receipt
    from core.packages.keys import KeyStore

    county = KeyStore(db.path.parent).county_public_or_none()
    if county is None:
        return _wait(db, number, "本机还没有县局的公钥，无法核验县局的回执。请先导入县局公钥。", retry=False)
    try:
        receipt = read_receipt(document, county)
    except SubsidyDeskError as exc:
        return _wait(db, number, exc.message_zh, retry=False)
    if receipt.office_code != office_code or (
        receipt.manifest_sha256 and receipt.manifest_sha256 != manifest
    ):
        return _wait(db, number, "县局的回执说的不是这一批，请与县局联系。", retry=False)
    state = (
        REFUSED
        if receipt.verdict == REFUSED_VERDICT
        else IMPORTED
        if receipt.verdict == IMPORTED
        else DELIVERED
    )
    with unit_of_work(db) as s:
        item = _item(s, number)
        before = item.state
        item.state, item.receipt, item.reason = (
            state,
            json.dumps(document, ensure_ascii=False),
            receipt.reason,
        )
        item.last_error, item.next_try_at = "", None
        if item.delivered_at is None:
            item.delivered_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        if before != state:
            changes: dict[str, list[object]] = {"网上报送": [STATE_LABELS[before], STATE_LABELS[state]]}
            if receipt.reason:
                changes["县局说明"] = [None, receipt.reason]
            audit.record(s, "上报发送", "upload_receipt", "batch", str(number), changes)
    _drop_sealed(db, number, state)
    message = {DELIVERED: "已送达，县局核验通过。", IMPORTED: "县局已导入。"}.get(
        state, f"被县局拒收：{receipt.reason}"
    )
    return SendOutcome(number, state, message)


def _drop_sealed(db: Database, number: int, state: str) -> None:
    for sealed in (db.path.parent / OUTBOX_DIRNAME).glob(f"*-{number:05d}*.sealed.zip"):
        sealed.unlink(missing_ok=True)


def _wait(db: Database, number: int, message: str, retry: bool) -> SendOutcome:
    with unit_of_work(db) as s:
        item = _item(s, number)
        item.attempts += 1
        pause = (
            min(FIRST_PAUSE * (2 ** min(item.attempts - 1, 10)), LONGEST_PAUSE) if retry else LONGEST_PAUSE
        )
        item.next_try_at = dt.datetime.now(dt.UTC).replace(tzinfo=None) + pause
        item.last_error = message
        item.state = QUEUED if item.state != SENDING else SENDING
    return SendOutcome(number, QUEUED, message)


def _item(session: Session, number: int) -> OutboxItem:
    from sqlalchemy import select

    from core.net.models import OutboxItem

    item = session.scalar(select(OutboxItem).where(OutboxItem.batch_number == number))
    if item is None:
        raise SubsidyDeskError("OUTBOX_MISSING", f"第{number}批不在网上报送队列里。")
    return item


def _item_field(db: Database, number: int, name: str) -> str:
    with reading(db) as s:
        return str(getattr(_item(s, number), name))


def _update(db: Database, number: int, **values: object) -> None:
    with unit_of_work(db) as s:
        item = _item(s, number)
        for key, value in values.items():
            setattr(item, key, value)


def refresh_receipts(db: Database) -> list[SendOutcome]:
    """Ask the county again about delivered batches: has it imported them?"""
    from sqlalchemy import select

    from core.net.client import CountyService, NetworkError
    from core.net.models import OutboxItem

    with reading(db) as s:
        waiting = [
            (i.batch_number, i.upload_url)
            for i in s.scalars(select(OutboxItem).where(OutboxItem.state == DELIVERED))
        ]
    if not waiting:
        return []
    outcomes = []
    with CountyService(_address(load_settings(db.path.parent)), *_signer(db)) as service:
        for number, url in waiting:
            try:
                document = service.receipt(url)
            except NetworkError:
                break
            if document is not None:
                with reading(db) as s:
                    row = s.scalar(select(OutboxItem).where(OutboxItem.batch_number == number))
                    manifest = row.manifest_sha256 if row else ""
                office = _office_code(db)
                outcomes.append(_settle(db, number, document, office, manifest))
    return outcomes


def _office_code(db: Database) -> str:
    from core.app.office import office_code

    return office_code(db) or ""


def pause_label(row: OutboxRow) -> str:
    """“下次尝试 14:05” for a waiting batch; empty otherwise."""
    if row.next_try_at is None or row.state not in (QUEUED, SENDING):
        return ""
    return f"下次尝试 {row.next_try_at:%H:%M}"


def fetch_from_county(db: Database, actor: Actor, *, folder: Path | None = None) -> list[str]:
    """取回 the county's result packages for this office and import them (the same checks as
    from a USB stick); catalog updates are fetched for the office head to install. What happened,
    one line each."""
    from core.app.batches import import_results
    from core.net.client import CountyService

    target = folder or db.path.parent / OUTBOX_DIRNAME / "from-county"
    lines = []
    with CountyService(_address(load_settings(db.path.parent)), *_signer(db)) as service:
        for name, _size in service.published():
            path = target / name
            if path.exists():
                continue
            service.fetch(name, path)
            if name.startswith("results-"):
                lines.append(import_results(db, actor, path=path).summary)
            else:
                lines.append(f"收到县局的政策更新 {name}，请所长在“设置 → 政策更新”中安装。")
    return lines


def seconds_until(moment: dt.datetime | None) -> float:
    if moment is None:
        return 0.0
    return max(0.0, (moment - dt.datetime.now(dt.UTC).replace(tzinfo=None)).total_seconds())
