"""The county's side of network reporting: what the receiving service (service/) asks of the
program, and what the county screen shows of it.

The service keeps its files in <data_dir>/service/:

    uploads/      uploads in progress (core/net/uploads.py)
    inbox/        packages received whole and verified, each with its signed receipt
    refused/      packages received whole that failed a check, with the receipt saying why
    outbound/<office code>/  result packages for that office, fetched by the town
    outbound/all/            catalog updates, for every office
    nonces.sqlite the signatures seen in the last minutes (replay check)

A package that arrives is verified with exactly the checks of a USB import (the allow-list,
the signature, every member, the sequence of batch numbers); the county then imports it from
its screen, or the service imports it at once when the county chose so (service settings).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.actor import Actor, Role, Station
from core.db import Database
from core.errors import SubsidyDeskError
from core.files import write_atomically
from core.net.receipts import IMPORTED, REFUSED, VERIFIED, Receipt, sign_receipt

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from core.packages.county_import import ImportReport

SERVICE_DIRNAME = "service"
SERVICE_SETTINGS = "service.json"
ALL_OFFICES = "all"
# Who the audit trail names when the service imports on its own (the county chose it).
SERVICE_ACTOR = "上报接收服务（自动导入）"


@dataclass(frozen=True)
class ServiceSettings:
    host: str = "0.0.0.0"
    port: int = 8443
    certificate: str = ""  # PEM files; empty: plain HTTP (only behind a TLS proxy, or in tests)
    private_key: str = ""
    max_mb: int = 2048
    auto_import: bool = False
    run_in_program: bool = False  # receive while the county's program is open, without a separate service


@dataclass(frozen=True)
class InboxEntry:
    upload_id: str
    office_code: str
    batch_number: int
    received_at: dt.datetime  # local time
    verdict: str
    reason: str
    size: int

    @property
    def label(self) -> str:
        return {VERIFIED: "待导入", REFUSED: "已拒收", IMPORTED: "已导入"}.get(self.verdict, "")


def service_dir(db: Database) -> Path:
    return db.path.parent / SERVICE_DIRNAME


def load_service_settings(data_dir: Path) -> ServiceSettings:
    try:
        raw = json.loads((data_dir / SERVICE_SETTINGS).read_text(encoding="utf-8"))
        known = {k: v for k, v in raw.items() if k in ServiceSettings.__dataclass_fields__}
        return ServiceSettings(**known)
    except (OSError, ValueError, TypeError):
        return ServiceSettings()


def save_service_settings(db: Database, actor: Actor, *, settings: ServiceSettings) -> None:
    from dataclasses import asdict

    from core import audit
    from core.app.base import unit_of_work

    actor.require_station(Station.COUNTY, "设置上报接收服务")
    actor.require_role(Role.ADMIN, "设置上报接收服务")
    who = actor.audit_name
    if not 1 <= settings.port <= 65535:
        raise SubsidyDeskError("SERVICE_PORT", "端口应是1到65535之间的数字，如8443。")
    before = asdict(load_service_settings(db.path.parent))
    after = asdict(settings)
    write_atomically(db.path.parent / SERVICE_SETTINGS, json.dumps(after, ensure_ascii=False).encode("utf-8"))
    changes = audit.diff(before, after)
    if changes:
        with unit_of_work(db) as s:
            audit.record(s, who, "update", "service_settings", "county", changes)


def office_key(db: Database, fingerprint: str) -> tuple[str, Ed25519PublicKey] | None:
    """The office that holds this signing key, if the key is registered and in use now."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from core.app.base import reading
    from core.packages.registry import load_allow_list

    with reading(db) as s:
        key = load_allow_list(s).find(fingerprint)
    if key is None or key.valid_until is not None:
        return None
    return key.office_code, Ed25519PublicKey.from_public_bytes(key.public_key)


def receive(
    db: Database, *, upload_id: str, path: Path, office_code: str, claimed_manifest: str
) -> dict[str, Any]:
    """A package received whole: verify it as a USB import would, file it, sign the receipt.

    The receipt says `refused` with the reason when a check fails, when the package comes from
    another office than the one that sent it, or when it is not the batch it was announced as.
    """
    from core.packages.keys import KeyStore

    folder = service_dir(db)
    verdict, reason, number, manifest = _check(db, path, office_code, claimed_manifest)
    target = folder / (INBOX_DIR if verdict == VERIFIED else REFUSED_DIR) / f"{upload_id}.zip"
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(path, target)
    receipt = Receipt(upload_id, office_code, number, manifest, _now_iso(), verdict, reason)
    document = sign_receipt(receipt, KeyStore(db.path.parent).county_key())
    _write_receipt(target, document)
    if verdict == VERIFIED and load_service_settings(db.path.parent).auto_import:
        document = _import(db, target, SERVICE_ACTOR) or document
    return document


INBOX_DIR = "inbox"
REFUSED_DIR = "refused"


def _check(db: Database, path: Path, office_code: str, claimed: str) -> tuple[str, str, int, str]:
    from core.app.county import verify_package
    from core.packages.keys import KeyStore
    from core.packages.sealed import is_sealed, open_sealed

    plain = path
    opened = path.with_suffix(".opened")
    try:
        if is_sealed(path):
            open_sealed(path, opened, KeyStore(db.path.parent).county_encryption_key())
            plain = opened
        verification = verify_package(db, path=plain)
    except SubsidyDeskError as exc:
        return REFUSED, exc.message_zh, 0, ""
    finally:
        opened.unlink(missing_ok=True)
    header = verification.header
    number = header.get("number") if isinstance(header.get("number"), int) else 0
    if not verification.ok:
        return REFUSED, verification.message, int(number or 0), verification.manifest_sha256
    if header.get("office_code") != office_code:
        return (
            REFUSED,
            "数据包不是发送它的站所签发的，已拒收。",
            int(number or 0),
            verification.manifest_sha256,
        )
    if claimed and claimed != verification.manifest_sha256:
        return (
            REFUSED,
            "收到的数据包与发送时申报的批次不一致，已拒收。",
            int(number or 0),
            verification.manifest_sha256,
        )
    return VERIFIED, "", int(number or 0), verification.manifest_sha256


def _now_iso() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _receipt_path(package: Path) -> Path:
    return package.with_suffix(".receipt.json")


def _write_receipt(package: Path, document: dict[str, Any]) -> None:
    write_atomically(_receipt_path(package), json.dumps(document, ensure_ascii=False).encode("utf-8"))


def receipt_for(db: Database, *, upload_id: str) -> dict[str, Any] | None:
    """The signed receipt of an upload, once it has been received whole."""
    if not upload_id.isalnum():
        return None
    for sub in (INBOX_DIR, REFUSED_DIR):
        path = _receipt_path(service_dir(db) / sub / f"{upload_id}.zip")
        if path.exists():
            try:
                loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
                return loaded
            except (OSError, ValueError):
                return None
    return None


def inbox_entries(db: Database) -> list[InboxEntry]:
    """Every package received over the network, the newest first."""
    entries = []
    for sub in (INBOX_DIR, REFUSED_DIR):
        for package in (service_dir(db) / sub).glob("*.zip"):
            document = receipt_for(db, upload_id=package.stem)
            if document is None:
                continue
            fields = document["receipt"]
            try:
                received = dt.datetime.fromisoformat(fields["received_at"]).astimezone().replace(tzinfo=None)
                size = package.stat().st_size
            except (KeyError, ValueError, OSError):
                continue
            entries.append(
                InboxEntry(package.stem, fields.get("office_code", ""), int(fields.get("batch_number") or 0),
                           received, fields.get("verdict", ""), fields.get("reason", ""), size)
            )  # fmt: skip
    return sorted(entries, key=lambda e: e.received_at, reverse=True)


def import_from_inbox(db: Database, actor: Actor, *, upload_id: str) -> ImportReport:
    """导入 a verified package from the inbox, as from a USB stick; its receipt then says 已导入."""
    from core.app.county import import_package

    package = service_dir(db) / INBOX_DIR / f"{upload_id}.zip"
    if not upload_id.isalnum() or not package.exists():
        raise SubsidyDeskError("INBOX_MISSING", "收件箱里没有这个数据包（可能已被移走），请刷新列表。")
    report = import_package(db, actor, path=package)
    _mark_imported(db, package)
    return report


def _import(db: Database, package: Path, who: str) -> dict[str, Any] | None:
    from core.app.county import import_package

    try:
        import_package(db, Actor(who, station=Station.COUNTY), path=package)
    except SubsidyDeskError:
        return None  # stays 待导入: the county sees it on its screen and imports it by hand
    return _mark_imported(db, package)


def _mark_imported(db: Database, package: Path) -> dict[str, Any] | None:
    from core.packages.keys import KeyStore

    document = receipt_for(db, upload_id=package.stem)
    if document is None:
        return None
    fields = dict(document["receipt"], verdict=IMPORTED)
    signed = sign_receipt(Receipt(**fields), KeyStore(db.path.parent).county_key())
    _write_receipt(package, signed)
    return signed


def publish(db: Database, *, path: Path, office_code: str | None) -> Path:
    """Put a result package (for one office) or a catalog update (for all) where towns fetch it."""
    folder = service_dir(db) / "outbound" / (office_code or ALL_OFFICES)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    partial = target.with_name(f".{target.name}.part")
    shutil.copyfile(path, partial)
    os.replace(partial, target)
    return target


def published(db: Database, *, office_code: str) -> list[Path]:
    """What a town may fetch: its own result packages and every catalog update."""
    root = service_dir(db) / "outbound"
    found = [p for sub in (office_code, ALL_OFFICES) for p in sorted((root / sub).glob("*.zip"))]
    return [p for p in found if p.is_file()]


def check_can_serve(db: Database) -> None:
    """Before the service starts: a county PC, with its key, and the certificate files it names."""
    from core.operator import load_station
    from core.packages.keys import KeyStore

    data_dir = db.path.parent
    if load_station(data_dir) != Station.COUNTY:
        raise SubsidyDeskError(
            "SERVICE_NOT_COUNTY",
            "上报接收服务只在县局的电脑上运行；本机用途是乡镇事务所（设置 → 本机用途）。",
        )
    KeyStore(data_dir).county_key()
    settings = load_service_settings(data_dir)
    for path, what in ((settings.certificate, "证书"), (settings.private_key, "证书私钥")):
        if settings.certificate and not Path(path).is_file():
            raise SubsidyDeskError(
                "SERVICE_TLS_MISSING",
                f"找不到{what}文件：{path}。请在上报接收服务设置中重新选择，或生成自签名证书。",
            )


def make_certificate(db: Database, actor: Actor, *, hosts: list[str]) -> str:
    """生成自签名证书 for the service; its fingerprint (for the county's key slip and the towns)."""
    from dataclasses import replace

    from core.net.certificate import make_self_signed

    actor.require_station(Station.COUNTY, "生成上报接收服务的证书")
    actor.require_role(Role.ADMIN, "生成上报接收服务的证书")
    folder = service_dir(db) / "tls"
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    cert, key = folder / "service-cert.pem", folder / "service-key.pem"
    fingerprint = make_self_signed(cert, key, hosts)
    settings = replace(load_service_settings(db.path.parent), certificate=str(cert), private_key=str(key))
    save_service_settings(db, actor, settings=settings)
    return fingerprint


def service_fingerprint(db: Database) -> str | None:
    """The SHA-256 fingerprint of the service's certificate, when it has one."""
    from core.net.certificate import file_fingerprint

    settings = load_service_settings(db.path.parent)
    try:
        return file_fingerprint(Path(settings.certificate)) if settings.certificate else None
    except (OSError, ValueError):
        return None
