"""The county's catalog updates: choose readings, set parameters, extend a policy, sign and send.

One screen gathers the changes (`catalog_state` shows what the catalog has now), previews them
as a catalog report diff (`preview_update`), and `issue_update` builds the new catalog
version, checks it, installs it at the county (so the county's own screens and the batches it
imports are judged by it), signs it with the county key and writes the package for the towns.
Every issue is one audit event naming what changed, the readings chosen included.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.actor import Actor, Role, Station
from core.app.base import reading, unit_of_work
from core.db import Database
from core.errors import InvalidInput, SubsidyDeskError, ValidationError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.policy import model as m
    from core.policy.update import UpdateChanges


@dataclass(frozen=True)
class ReadingRow:
    """A reading the county decides: its alternatives (key, label), default and current choice."""

    key: str
    question: str
    explanation: str
    alternatives: tuple[tuple[str, str], ...]
    default: str
    chosen: str | None  # None: the county has not chosen; the default applies


@dataclass(frozen=True)
class ParameterRow:
    key: str
    label: str
    unit: str
    money: bool
    ceiling_fen: int | None
    note: str
    value: int | None  # the county's value (single-valued parameters)
    choices: tuple[tuple[str, str], ...] = ()  # per-choice parameters: (choice key, label)
    values: Mapping[str, int] | None = None  # per-choice values set


@dataclass(frozen=True)
class CatalogState:
    catalog_id: str
    title: str
    version: str
    period: str
    end: dt.date | None
    readings: tuple[ReadingRow, ...]
    parameters: tuple[ParameterRow, ...]


@dataclass(frozen=True)
class UpdatePreview:
    title: str
    version_from: str
    version_to: str
    changes: tuple[str, ...]


@dataclass(frozen=True)
class IssuedUpdate:
    preview: UpdatePreview
    path: Path


def _officer(actor: Actor, what: str) -> str:
    actor.require_station(Station.COUNTY, what)
    return actor.audit_name


def catalog_titles(db: Database) -> list[tuple[str, str]]:
    """(catalog key, title) of every catalog the county has, for the screen's choice."""
    from core.policy.service import load_catalogs

    with reading(db):
        return [(c.id, _title(c)) for c in load_catalogs()[0]]


def _title(c: m.Catalog) -> str:
    return f"{c.short_name or c.title}（{c.document_number or c.version}）"


def _period(c: m.Catalog) -> str:
    p = c.policy_period
    start = p.start.isoformat() if p.start else "文件未规定"
    end = p.end.isoformat() if p.end else "文件未规定截止日期"
    return f"{start} 至 {end}"


def catalog_state(db: Database, actor: Actor, *, catalog_id: str) -> CatalogState:
    """What the catalog has now: its period, the readings the county decides, its parameters."""
    from core.policy.service import get_catalog

    _officer(actor, "查看政策目录更新")
    with reading(db):
        c = get_catalog(catalog_id)
    readings = tuple(_reading(c, r) for r in c.readings if r.alternatives)
    return CatalogState(c.id, _title(c), c.version, _period(c), c.policy_period.end, readings,
                        tuple(_parameter(c, q) for q in c.parameters))  # fmt: skip


def _reading(c: m.Catalog, r: m.Reading) -> ReadingRow:
    alternatives = tuple((a.id, a.label) for a in r.alternatives)
    return ReadingRow(r.id, r.question, r.reading, alternatives, r.default or "", c.county_readings.get(r.id))


def _parameter(c: m.Catalog, q: m.Parameter) -> ParameterRow:
    value = c.county_parameters.get(q.id)
    choices: tuple[tuple[str, str], ...] = ()
    if q.per == "choice" and q.fact:
        fact = next((f for s in c.subsidies if (f := s.fact(q.fact)) is not None), None)
        choices = tuple((ch.value, ch.label) for ch in fact.choices) if fact else ()
    return ParameterRow(
        q.id, q.label, q.unit, q.type == "money", q.ceiling_fen, q.note,
        value if isinstance(value, int) else None, choices, value if not isinstance(value, int) else None,
    )  # fmt: skip


def _checked_changes(current: m.Catalog, changes: UpdateChanges) -> None:
    errors: list[ValidationError] = []
    ext = changes.extension
    if ext is not None:
        end = current.policy_period.end
        if end is not None and ext.end <= end:
            errors.append(ValidationError("EXTENSION_END_EARLY", "延期至", f"延期后的截止日期应晚于现在的截止日期（{end.isoformat()}）。"))  # fmt: skip
        if not ext.document_number.strip():
            errors.append(ValidationError("EXTENSION_NUMBER_MISSING", "延期通知文号", "请填写延期通知的文号，例如 某人社发〔2026〕1号。"))  # fmt: skip
        if not ext.text.strip():
            errors.append(ValidationError("EXTENSION_TEXT_MISSING", "延期条款原文", "请从延期通知中逐字复制延期的条款原文。"))  # fmt: skip
        if ext.issued_on > dt.date.today():
            errors.append(ValidationError("EXTENSION_DATE_FUTURE", "延期通知印发日期", "延期通知的印发日期不能晚于今天。"))  # fmt: skip
    if errors:
        raise InvalidInput(errors)
    if changes.empty:
        raise SubsidyDeskError(
            "CATALOG_UPDATE_EMPTY", "没有任何改动：请先选择解读、填写参数、延期或选择替换的目录文件。"
        )


def _build(current: m.Catalog, changes: UpdateChanges) -> tuple[bytes, m.Catalog, UpdatePreview]:
    from core.policy.diff import catalog_changes
    from core.policy.update import UpdateRefused, build

    _checked_changes(current, changes)
    try:
        data, new = build(current, changes)
    except UpdateRefused as exc:
        raise SubsidyDeskError("CATALOG_UPDATE_INVALID", "更新后的政策目录有错误，未生成：\n" + "\n".join(exc.problems)) from None  # fmt: skip
    lines = tuple(c.text for c in catalog_changes(current, new))
    return data, new, UpdatePreview(_title(new), current.version, new.version, lines)


def preview_update(db: Database, actor: Actor, *, catalog_id: str, changes: UpdateChanges) -> UpdatePreview:
    """What the update would change, as the catalog report would show it; nothing is written."""
    from core.policy.service import get_catalog

    _officer(actor, "预览政策目录更新")
    with reading(db):
        return _build(get_catalog(catalog_id), changes)[2]


def issue_update(
    db: Database, actor: Actor, *, catalog_id: str, changes: UpdateChanges, folder: Path
) -> IssuedUpdate:
    """Build, check, install at the county, sign and write the update package into `folder`."""
    from core.packages.catalog_update import install_file

    who = _officer(actor, "发布政策目录更新")
    actor.require_role(Role.REVIEWER, "发布政策目录更新")
    installed, path = None, None
    try:
        with unit_of_work(db) as s:
            current = _current(catalog_id)
            data, new, preview = _build(current, changes)
            path = _write_package(db, s, who, current, new, data, folder)
            installed = install_file(db.path.parent, new.id, data)
            _audit(s, who, current, new, changes, path)
    except BaseException:  # nothing recorded: neither the package nor the installed file stays
        if installed is not None:
            installed.undo()
        if path is not None:
            path.unlink(missing_ok=True)
        raise
    if installed is not None:
        installed.done()
    from core.app.county import publish_quietly

    publish_quietly(db, path=path, office_code=None)
    return IssuedUpdate(preview, path)


def _current(catalog_id: str) -> m.Catalog:
    from core.policy.service import get_catalog

    return get_catalog(catalog_id)


def _write_package(
    db: Database, s: Session, who: str, current: m.Catalog, new: m.Catalog, data: bytes, folder: Path
) -> Path:
    import hashlib

    from sqlalchemy import func, select

    from core.db.models import AuditEvent, utcnow
    from core.packages import format as f
    from core.packages.catalog_update import package_file_name, verify_catalog_update, write_update
    from core.packages.keys import KeyStore

    number = (s.scalar(select(func.count()).where(AuditEvent.action == ISSUE_ACTION)) or 0) + 1
    header = {
        "format_version": f.FORMAT_VERSION, "kind": f.KIND_CATALOG, "office_code": "county", "number": number,
        "created_at": utcnow().replace(microsecond=0).isoformat(), "created_by": who,
        "catalog_id": new.id, "version": new.version, "replaces": current.version,
        "catalog_sha256": hashlib.sha256(data).hexdigest(),
    }  # fmt: skip
    keys = KeyStore(db.path.parent)
    if not folder.is_dir():
        raise SubsidyDeskError("CATALOG_UPDATE_FOLDER", f"文件夹 {folder} 不存在，请重新选择U盘或文件夹。")
    target = folder / package_file_name(new.id, new.version)
    try:
        write_update(target, keys.county_key(), header, data)
    except OSError as exc:
        raise SubsidyDeskError("CATALOG_UPDATE_WRITE", f"更新包无法写入 {folder}：{exc.strerror}。请换一个文件夹。") from exc  # fmt: skip
    check = verify_catalog_update(target, keys.county_key().public_key())
    if not check.ok:
        target.unlink(missing_ok=True)
        raise SubsidyDeskError("CATALOG_UPDATE_READBACK", f"更新包写入后核验失败（{check.message}），请换一个文件夹。")  # fmt: skip
    return target


ISSUE_ACTION = "issue_catalog_update"


def _audit(
    s: Session, who: str, current: m.Catalog, new: m.Catalog, changes: UpdateChanges, path: Path
) -> None:
    from core import audit

    details: dict[str, list[object]] = {
        "version": [current.version, new.version],
        "hash": [current.content_hash, new.content_hash],
        "file": [None, path.name],
    }
    if changes.extension is not None:
        end = current.policy_period.end
        details["period_end"] = [end.isoformat() if end else None, changes.extension.end.isoformat()]
        details["notice"] = [None, changes.extension.document_number]
    if changes.readings is not None:
        details["readings"] = [dict(current.county_readings), dict(new.county_readings)]
    if changes.parameters is not None:
        details["parameters"] = [dict(current.county_parameters), dict(new.county_parameters)]
    if changes.replacement is not None:
        details["replacement_sha256"] = [None, new.content_hash]
    audit.record(s, who, ISSUE_ACTION, "catalog", new.id, details)
