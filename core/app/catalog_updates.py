"""The town's side of catalog updates: verify, show what changes, install, re-assess; the banner.

`inspect_update` verifies a package against the county's public key and tells what it would
change (the catalog report diff, and the drafts and pending cases whose result would change);
`install_update` (the office head) installs it into the data folder and re-assesses those
cases, returning the list the clerk reads before going on (case, old result, new result).
Accepted cases keep the catalog version and hash they were assessed under.

`catalog_notice` is the main window's banner: the office's catalog has expired, or ends within
60 days, and what to do. It reads the files' dates only (no checks): start-up stays light.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.actor import Actor, Role, Station
from core.app.base import reading, unit_of_work
from core.db import Database
from core.errors import SubsidyDeskError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.db.models import Case
    from core.packages.verify import Verification
    from core.policy import model as m

WARN_DAYS = 60
INSTALL_ACTION = "install_catalog_update"
ASK_COUNTY = "请向县人社局（县劳动就业管理局）索取政策目录更新包，由所长在“上报 → 安装政策目录更新”中安装。"


@dataclass(frozen=True)
class CaseChange:
    case: str  # the case number, or 草稿 and the application date
    applicant: str
    subsidy: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class UpdateOffer:
    """A verified update, as the town reads it before installing."""

    title: str
    version_from: str
    version_to: str
    changes: tuple[str, ...]  # the catalog report diff, in Chinese
    cases: tuple[CaseChange, ...]  # drafts and pending cases, re-assessed under the update
    manifest_sha256: str

    @property
    def changed_cases(self) -> tuple[CaseChange, ...]:
        return tuple(c for c in self.cases if c.changed)


@dataclass(frozen=True)
class InstallResult:
    offer: UpdateOffer
    cases: tuple[CaseChange, ...]  # as re-assessed after installation

    @property
    def summary(self) -> str:
        changed = sum(1 for c in self.cases if c.changed)
        o = self.offer
        return (
            f"已安装“{o.title}”版本 {o.version_to}（原版本 {o.version_from}）。"
            f"重新评估草稿和待补材料案件 {len(self.cases)} 件，其中结果有变化的 {changed} 件。"
        )


def _town(actor: Actor, what: str) -> str:
    actor.require_station(Station.TOWN, what)
    return actor.audit_name


def inspect_update(db: Database, actor: Actor, *, path: Path) -> UpdateOffer:
    """Verify the package and say what installing it would change; nothing is written."""
    _town(actor, "查看政策目录更新")
    with reading(db) as s:
        current, new, verification, _ = _admissible(s, db.path.parent, path)
        return _offer(s, current, new, verification, dry_run=True)


def install_update(db: Database, actor: Actor, *, path: Path, manifest_sha256: str) -> InstallResult:
    """所长 installs the update the town was shown (same manifest), then drafts are re-assessed."""
    from core.packages.catalog_update import install_file

    who = _town(actor, "安装政策目录更新")
    actor.require_role(Role.HEAD, "安装政策目录更新")
    installed = None
    try:
        with unit_of_work(db) as s:
            current, new, verification, data = _admissible(s, db.path.parent, path)
            if verification.manifest_sha256 != manifest_sha256:
                raise SubsidyDeskError("CATALOG_UPDATE_CHANGED", "更新包在查看之后被换过，请重新选择并查看更新包。")  # fmt: skip
            offer = _offer(s, current, new, verification, dry_run=True)
            installed = install_file(db.path.parent, new.id, data)
            cases = _reassess(s, current.id, new, who)
            _audit(s, who, current, new, verification, cases)
    except BaseException:
        if installed is not None:
            installed.undo()
        raise
    if installed is not None:
        installed.done()
    return InstallResult(offer, cases)


def recover_installs(db: Database) -> list[str]:
    """At start: an install a kill interrupted stands if its audit event was committed, else the
    catalog it replaced is put back (core/packages/catalog_update.Installed); one sentence each."""
    from sqlalchemy import select

    from core.app.county_catalogs import ISSUE_ACTION
    from core.db.models import AuditEvent
    from core.packages.catalog_update import pending_installs

    notes = []
    for catalog_id, installed in pending_installs(db.path.parent):
        with reading(db) as s:
            events = s.scalars(
                select(AuditEvent).where(
                    AuditEvent.entity == "catalog", AuditEvent.entity_key == catalog_id,
                    AuditEvent.action.in_([INSTALL_ACTION, ISSUE_ACTION]),
                )
            )  # fmt: skip
            committed = any(
                (e.changes or {}).get("version", [None, None])[1] == installed.version for e in events
            )
        if committed:
            installed.done()
            continue
        installed.undo()
        notes.append(
            f"上次安装政策目录更新（{catalog_id} {installed.version} 版）时程序被中断，安装没有完成，"
            "已恢复为原来的目录，案件没有改变。需要时请重新安装。"
        )
    return notes


def _admissible(s: Session, data_dir: Path, path: Path) -> tuple[m.Catalog, m.Catalog, Verification, bytes]:
    """The current catalog, the update's, the verdict and the file; refused with a reason."""
    from core.packages.catalog_update import read_catalog_file, verify_catalog_update
    from core.packages.keys import KeyStore

    county = KeyStore(data_dir).county_public_or_none()
    if county is None:
        raise SubsidyDeskError("CATALOG_UPDATE_NO_COUNTY_KEY", "本所还没有县局公钥，无法核验更新包。请先在“上报 → 导入县局公钥”中导入。")  # fmt: skip
    verification = verify_catalog_update(path, county)
    if not verification.ok:
        raise SubsidyDeskError(verification.code, f"更新包未通过核验，不能安装：{verification.message}")
    data = read_catalog_file(path, verification)
    new = _loaded(data, verification)
    return _current_for(s, new), new, verification, data


def _loaded(data: bytes, verification: Verification) -> m.Catalog:
    from core.policy.update import UpdateRefused, checked

    h = verification.header
    try:
        new = checked(data, h["catalog_id"])
    except UpdateRefused as exc:
        raise SubsidyDeskError("CATALOG_UPDATE_INVALID", "更新包中的政策目录有错误，不能安装：\n" + "\n".join(exc.problems)) from None  # fmt: skip
    if new.version != h["version"]:
        raise SubsidyDeskError("CATALOG_UPDATE_MISMATCH", "更新包中的目录版本与说明不符，不能安装。")
    return new


def _current_for(s: Session, new: m.Catalog) -> m.Catalog:
    from core.policy.installed import newer
    from core.policy.service import catalogs_by_id
    from core.settings import get_office

    catalogs = catalogs_by_id()
    current = catalogs.get(new.id)
    office = get_office(s)
    chosen = catalogs.get(office.catalog_id or "") if office is not None else None
    if current is None or (chosen is not None and chosen.id != new.id):
        ours = f"本所执行的是“{chosen.short_name or chosen.title}”。" if chosen is not None else ""
        raise SubsidyDeskError("CATALOG_UPDATE_OTHER_CATALOG", f"这是“{new.short_name or new.title}”的更新包，不是本所政策文件的更新。{ours}请向县局核对。")  # fmt: skip
    if new.content_hash == current.content_hash:
        raise SubsidyDeskError("CATALOG_UPDATE_ALREADY_INSTALLED", f"这个更新（版本 {new.version}）已经安装过，无需再装。")  # fmt: skip
    if not newer(new.version, current.version):
        raise SubsidyDeskError("CATALOG_UPDATE_OLDER", f"更新包的版本 {new.version} 不比本所现用的版本 {current.version} 新，不能安装（不能退回旧版本）。")  # fmt: skip
    return current


def _offer(
    s: Session, current: m.Catalog, new: m.Catalog, verification: Verification, dry_run: bool
) -> UpdateOffer:
    from core.policy.diff import catalog_changes

    changes = tuple(c.text for c in catalog_changes(current, new))
    cases = _preview(s, current.id, new) if dry_run else ()
    title = new.short_name or new.title
    return UpdateOffer(title, current.version, new.version, changes, cases, verification.manifest_sha256)


def _open_cases(s: Session, catalog_id: str) -> list[Case]:
    from sqlalchemy import select

    from core.cases.states import CaseStatus
    from core.db.models import Case

    live = (CaseStatus.DRAFT.value, CaseStatus.PENDING_MATERIALS.value)
    stmt = select(Case).where(Case.catalog_id == catalog_id, Case.status.in_(live)).order_by(Case.id)
    return list(s.scalars(stmt))


def _preview(s: Session, catalog_id: str, new: m.Catalog) -> tuple[CaseChange, ...]:
    """Each open case assessed under the new catalog without saving anything."""
    from core.cases.history import case_input
    from core.policy.engine import assess

    out = []
    for case in _open_cases(s, catalog_id):
        if new.subsidy(case.subsidy_id) is None:
            out.append(_change(case, new, _GONE))
            continue
        after = assess(new, case.subsidy_id, case_input(s, case, new))
        out.append(_change(case, new, result_zh(after.decision, after.amount_fen)))
    return tuple(out)


def _reassess(s: Session, catalog_id: str, new: m.Catalog, who: str) -> tuple[CaseChange, ...]:
    """Each open case assessed again and saved (the case records the new version and hash)."""
    from core.cases.intake import assess_case

    out = []
    for case in _open_cases(s, catalog_id):
        before = _stored(case)
        if new.subsidy(case.subsidy_id) is None:
            out.append(CaseChange(*_names(case, new), before, _GONE))
            continue
        result = assess_case(s, case.id, who)
        out.append(CaseChange(*_names(case, new), before, result_zh(result.decision, result.amount_fen)))
    return tuple(out)


_GONE = "新目录中已没有这项补贴：请撤回，或重新选择补贴"
_DECISIONS = {"eligible": "符合条件", "not_eligible": "不符合条件", "needs_info": "还需补充信息"}


def result_zh(decision: str | None, amount_fen: int | None) -> str:
    from core.money import format_yuan

    if not decision:
        return "尚未评估"
    amount = f"，{format_yuan(amount_fen)} 元" if amount_fen is not None and decision == "eligible" else ""
    return _DECISIONS.get(decision, "尚未评估") + amount


def _stored(case: Case) -> str:
    a = case.assessment or {}
    return result_zh(a.get("decision"), a.get("amount_fen"))


def _names(case: Case, catalog: m.Catalog) -> tuple[str, str, str]:
    number = case.case_number or f"草稿（申请日期 {case.application_date.isoformat()}）"
    who = case.person.name if case.person else (case.organisation.name if case.organisation else "")
    subsidy = catalog.subsidy(case.subsidy_id)
    return number, who, subsidy.name if subsidy else "（已删去的补贴）"


def _change(case: Case, catalog: m.Catalog, after: str) -> CaseChange:
    return CaseChange(*_names(case, catalog), _stored(case), after)


def _audit(
    s: Session, who: str, current: m.Catalog, new: m.Catalog, v: Verification, cases: tuple[CaseChange, ...]
) -> None:
    from core import audit

    audit.record(s, who, INSTALL_ACTION, "catalog", new.id, {
        "version": [current.version, new.version], "hash": [current.content_hash, new.content_hash],
        "package": [None, v.manifest_sha256], "reassessed": [None, len(cases)],
    })  # fmt: skip


# ---------------------------------------------------------------- the start screen's banner


@dataclass(frozen=True)
class CatalogNotice:
    expired: bool  # False: it ends within WARN_DAYS days
    text: str


def catalog_notice(db: Database, *, today: dt.date) -> CatalogNotice | None:
    """The office's catalog has expired, or ends within 60 days: what the banner says; else None."""
    from core.app.office import load_office

    office = load_office(db)
    if office is None or not office.catalog_id:
        return None
    return notice_for(db.path.parent, office.catalog_id, today)


def notice_for(data_dir: Path, catalog_id: str, today: dt.date) -> CatalogNotice | None:
    from core.policy.installed import effective_file, read_head
    from core.resources import resource_dir

    path = effective_file(resource_dir("policies"), data_dir, catalog_id)
    head = read_head(path) if path is not None else None
    if head is None:
        return None
    end = _end(head.get("policy_period"))
    if end is None or (end - today).days > WARN_DAYS:
        return None
    name = f"《{head.get('short_name') or head.get('title') or ''}》"
    on = f"{end.year}年{end.month}月{end.day}日"
    if end < today:
        text = f"本所执行的政策文件{name}已于{on}到期：事件发生在此之后的申请不能按此文件受理。{ASK_COUNTY}"
        return CatalogNotice(True, text)
    left = (end - today).days
    text = f"本所执行的政策文件{name}将于{on}到期（还有{left}天）。到期后发生的事件将不能按此文件受理。{ASK_COUNTY}"
    return CatalogNotice(False, text)


def _end(period: object) -> dt.date | None:
    """The period's end as the loader reads it: the last extension's, else the document's."""
    if not isinstance(period, dict):
        return None
    extensions = period.get("extensions") or []
    raw = extensions[-1].get("to") if extensions and isinstance(extensions[-1], dict) else period.get("to")
    try:
        return dt.date.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None
