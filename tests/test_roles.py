"""Every use case that needs a role checks it in core (#13): called directly, without the window,
by an actor of the right station who lacks the role, each is refused with ROLE_REQUIRED before
it changes anything. The separation of duties and 单人办公 are here too."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from core.actor import STATION_ROLES, Actor, Role, Station
from core.app import (
    applicants,
    batches,
    catalog_updates,
    corrections,
    county,
    county_catalogs,
    intake,
    key_registry,
    keys,
    office,
    review,
)
from core.app.intake import Application
from core.applicant_types import PersonInput
from core.db.models import AuditEvent
from core.errors import SubsidyDeskError
from core.ids import CaseId, PersonId
from core.settings_types import OfficeInput

TODAY = dt.date(2022, 3, 1)
OFFICE = OfficeInput("610328", "水沟镇", "水沟镇劳动保障事务所", "", "qianyang-2021")
Call = Callable[[Any, Actor, Path], object]


def _town(*roles: Role) -> Actor:
    return Actor("某人", roles, Station.TOWN)


def _county(*roles: Role) -> Actor:
    return Actor("某人", roles, Station.COUNTY)


def _others(station: Station, *needed: Role) -> tuple[Role, ...]:
    return tuple(r for r in STATION_ROLES[station] if r not in needed)


P = Path("不存在的文件.zip")
TOWN_CALLS: dict[str, tuple[tuple[Role, ...], Call]] = {
    "受理：新建案件": ((Role.CLERK,), lambda db, a, t: intake.start_case(
        db, a, catalog_id="qianyang-2021", person_id=PersonId(1), organisation_id=None,
        application=Application("job_seeking_once", TODAY), today=TODAY)),
    "受理：受理案件": ((Role.CLERK,), lambda db, a, t: intake.accept_case(db, a, case_id=CaseId(1), today=TODAY)),
    "登记人员": ((Role.CLERK,), lambda db, a, t: applicants.save_person(
        db, a, person_id=None, data=PersonInput("王秀兰", "610328199001011246"))),
    "撤回案件": ((Role.CLERK,), lambda db, a, t: corrections.withdraw_case(db, a, case_id=CaseId(1), reason="重复")),
    "删除扫描件": ((Role.CLERK,), lambda db, a, t: corrections.remove_scan(
        db, a, case_id=CaseId(1), attachment_id=1, reason="扫错")),
    "初审": ((Role.HEAD,), lambda db, a, t: review.review_case(
        db, a, case_id=CaseId(1), passed=True, note="", today=TODAY)),
    "撤销初审": ((Role.HEAD,), lambda db, a, t: review.revert_review(db, a, case_id=CaseId(1), reason="看错")),
    "导出上报批次": ((Role.HEAD,), lambda db, a, t: batches.export_batch(db, a, folder=t)),
    "重新写入批次": ((Role.HEAD,), lambda db, a, t: batches.write_batch_again(db, a, number=1, folder=t)),
    "导入县局结果": ((Role.CLERK, Role.HEAD), lambda db, a, t: batches.import_results(db, a, path=P)),
    "安装目录更新": ((Role.HEAD,), lambda db, a, t: catalog_updates.install_update(
        db, a, path=P, manifest_sha256="0" * 64)),
    "事务所设置": ((Role.ADMIN,), lambda db, a, t: office.save_office_setup(
        db, a, data=OFFICE, reporting_code="610328101")),
    "保存事务所": ((Role.ADMIN,), lambda db, a, t: office.save_office(db, a, data=OFFICE)),
    "上报代码": ((Role.ADMIN,), lambda db, a, t: office.set_office_code(db, a, code="610328101")),
    "本机用途": ((Role.ADMIN,), lambda db, a, t: office.change_station(db.path.parent, a, station=Station.COUNTY)),
    "更换密钥": ((Role.ADMIN,), lambda db, a, t: keys.rotate_office_key(db, a)),
    "备份密钥": ((Role.ADMIN,), lambda db, a, t: keys.export_backup(db, a, target=t / "k.bak", password="x" * 12)),
    "恢复密钥": ((Role.ADMIN,), lambda db, a, t: keys.restore_backup(db, a, source=P, password="x" * 12)),
    "导入县局公钥": ((Role.ADMIN,), lambda db, a, t: keys.import_county_key_file(db, a, source=P)),
    "写出本所公钥": ((Role.ADMIN,), lambda db, a, t: keys.write_office_key_file(db, a, folder=t)),
}  # fmt: skip
COUNTY_CALLS: dict[str, tuple[tuple[Role, ...], Call]] = {
    "导入上报包": ((Role.REVIEWER,), lambda db, a, t: county.import_package(db, a, path=P)),
    "审核通过": ((Role.REVIEWER,), lambda db, a, t: county.approve(db, a, uuid="abcdef12")),
    "审核不通过": ((Role.REVIEWER,), lambda db, a, t: county.reject(db, a, uuid="abcdef12", reason="不符")),
    "登记拨付": ((Role.FINANCE,), lambda db, a, t: county.mark_paid(db, a, uuid="abcdef12")),
    "核定重复": ((Role.REVIEWER,), lambda db, a, t: county.keep_case(db, a, uuid="abcdef12", reason="核实")),
    "生成结果包": ((Role.REVIEWER,), lambda db, a, t: county.export_results(
        db, a, office_code="610328101", folder=t)),
    "查看完整证件号": ((Role.REVIEWER,), lambda db, a, t: county.reveal_numbers(db, a, uuid="abcdef12")),
    "登记站所公钥": ((Role.ADMIN,), lambda db, a, t: county.register_office(
        db, a, code="610328101", public_key=b"")),
    "登记站所密钥": ((Role.ADMIN,), lambda db, a, t: key_registry.register_office_key(
        db, a, source=P, code="610328101", name="水沟镇")),
    "停用站所密钥": ((Role.ADMIN,), lambda db, a, t: key_registry.revoke_office_key(
        db, a, code="610328101", fingerprint="ab" * 32, reason="丢失")),
    "县局名称": ((Role.ADMIN,), lambda db, a, t: office.save_county_name(db, a, name="德钦县劳动就业管理局")),
    "分发加密公钥": ((Role.ADMIN,), lambda db, a, t: keys.write_encryption_key(db, a, target=t / "k.pem")),
    "写出县局公钥": ((Role.ADMIN,), lambda db, a, t: keys.write_county_key_files(db, a, folder=t)),
    "发布目录更新": ((Role.REVIEWER,), lambda db, a, t: county_catalogs.issue_update(
        db, a, catalog_id="deqin-2021", changes=None, folder=t)),  # type: ignore[arg-type]
}  # fmt: skip


def _events(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(AuditEvent)) or 0


def _refused(
    db, actor: Actor, call: Call, tmp_path: Path, codes: tuple[str, ...] = ("ROLE_REQUIRED",)
) -> None:
    before = _events(db)
    with pytest.raises(SubsidyDeskError) as refused:
        call(db, actor, tmp_path)
    assert refused.value.code in codes, refused.value.message_zh
    assert _events(db) == before
    assert not list(tmp_path.iterdir())  # nothing written either


@pytest.mark.parametrize("name", TOWN_CALLS)
def test_a_town_use_case_refuses_every_role_but_its_own(db, tmp_path: Path, name: str) -> None:
    needed, call = TOWN_CALLS[name]
    out = tmp_path / "out"
    out.mkdir()
    _refused(db, _town(*_others(Station.TOWN, *needed)), call, out)


@pytest.mark.parametrize("name", COUNTY_CALLS)
def test_a_county_use_case_refuses_every_role_but_its_own(db, tmp_path: Path, name: str) -> None:
    needed, call = COUNTY_CALLS[name]
    out = tmp_path / "out"
    out.mkdir()
    _refused(db, _county(*_others(Station.COUNTY, *needed)), call, out)


def test_nobody_logged_in_may_do_anything(db, tmp_path: Path) -> None:
    for _, call in (*TOWN_CALLS.values(),):
        out = tmp_path / "out"
        out.mkdir(exist_ok=True)
        _refused(db, Actor("", frozenset()), call, out, ("ROLE_REQUIRED", "ACTOR_UNNAMED"))
