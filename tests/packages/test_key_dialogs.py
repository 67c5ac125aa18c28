"""The key exchange from the screens, both ways: the town's slip and key file, the county's
register (compare first, save on confirmation, revoke with a reason), and the county's keys
imported at a town (a different key only by the office head, after a warning)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from core.actor import Actor, Role, Station
from core.app import key_registry, keys
from core.app import office as office_ops
from core.app.batches import can_encrypt
from core.app.county import verify_package
from core.app.keys import ImportOutcome, KeyKind
from core.db import open_database
from core.db.models import AuditEvent
from core.operator import save_station
from core.packages.export import export_batch
from core.packages.keys import load_signing_public
from tests.packages.conftest import Site, make_town
from tests.printing.conftest import pdf_text
from tests.printing.test_ui_printing import Shown, wait
from ui.dialog_service import ScriptedDialogs
from ui.dialogs.keys_county import CountyKeyDialog, OfficeRegistryDialog, RegisterOfficeKeyDialog
from ui.dialogs.keys_parts import fingerprint_text
from ui.dialogs.keys_town import CountyKeyImportDialog, OfficeKeyDialog

HEAD = Actor("张所长", (Role.HEAD, Role.ADMIN), Station.TOWN)  # keys are the 管理员's


def _flat(text: str) -> str:
    return "".join(text.split())


def make_county(root: Path, name: str = "德钦县劳动就业管理局") -> Site:
    data_dir = root / "county"
    site = Site(
        data_dir,
        open_database(data_dir),
        actor=Actor("王审核", (Role.REVIEWER, Role.FINANCE, Role.ADMIN), Station.COUNTY),
    )
    save_station(data_dir, "county")
    office_ops.save_county_name(site.db, site.actor, name=name)
    return site


@pytest.fixture
def bare_county(tmp_path: Path) -> Iterator[Site]:
    site = make_county(tmp_path)
    yield site
    site.db.close()


def test_the_town_key_dialog_shows_prints_and_writes(qtbot: QtBot, town: Site, usb: Path) -> None:
    shown = Shown()
    dialogs = ScriptedDialogs(files=[str(usb)])
    dialog = OfficeKeyDialog(town.db, town.actor, dialogs, show=shown)
    qtbot.addWidget(dialog)
    fp = keys.fingerprint(town.db)
    assert dialog.fingerprint.text() == fingerprint_text(fp)
    assert dialog.fingerprint.text().count("\n") == 3 and len(dialog.fingerprint.text().split()) == 16
    assert dialog.fingerprint.font().pointSize() >= 14

    wait(qtbot, dialog.print_slip(), shown.calls)
    data, title = shown.calls[0]
    text = pdf_text(data)
    assert "密钥登记表" in text and "升平镇劳动保障事务所" in text and "533422101" in text
    assert _flat(fp) in _flat(text)
    assert "所长" in text and "县局登记人" in text
    assert title == "密钥登记表_升平镇劳动保障事务所"

    written = dialog.write_file()
    assert written == usb / "本所公钥-533422101.pem"
    preview = keys.read_key_file(source=written)
    assert preview.fingerprint == fp and preview.code == "533422101"
    assert preview.holder == "升平镇劳动保障事务所" and preview.kind == KeyKind.SIGNING
    assert load_signing_public(written.read_bytes())  # still an ordinary PEM file underneath
    assert dialogs.messages[-1][0] == "info" and "交县局" in dialogs.messages[-1][2]


def test_the_county_registers_a_key_only_after_the_officer_confirms(
    qtbot: QtBot, qtmodeltester, tmp_path: Path, bare_county: Site, usb: Path
) -> None:
    town = make_town(tmp_path, "533422105", "奔子栏镇")
    path = keys.write_office_key_file(town.db, town.actor, folder=usb)
    fp = keys.fingerprint(town.db)
    registry = OfficeRegistryDialog(bare_county.db, bare_county.actor, ScriptedDialogs())
    qtbot.addWidget(registry)
    assert registry.model.rowCount() == 0

    dialogs = ScriptedDialogs(files=[str(path)], answers=[False, True])
    register = RegisterOfficeKeyDialog(bare_county.db, bare_county.actor, dialogs)
    qtbot.addWidget(register)
    register.choose()
    assert register.fingerprint.text() == fingerprint_text(fp)  # shown before anything is saved
    assert register.code.text() == "533422105" and register.name.text() == "奔子栏镇劳动保障事务所"
    assert key_registry.registered_keys(bare_county.db) == []

    register.try_register()  # the officer answers 否: the slip did not match
    assert dialogs.messages[0][0] == "confirm" and fp in dialogs.messages[0][2]
    assert key_registry.registered_keys(bare_county.db) == [] and register.result() == 0

    register.try_register()  # 是
    assert register.result() == RegisterOfficeKeyDialog.DialogCode.Accepted
    registry.refresh()
    qtmodeltester.check(registry.model)
    cells = [registry.model.data(registry.model.index(0, c)) for c in range(registry.model.columnCount())]
    assert cells[:4] == ["533422105", "奔子栏镇劳动保障事务所", fp, "王审核"] and cells[5] == "有效"
    town.add_case("张三", "53342219900101123")
    package = export_batch(town.db, town.data_dir, usb, "李经办")
    assert verify_package(bare_county.db, path=package.path).ok

    registry.dialogs = ScriptedDialogs(texts=["U盘丢失"], answers=[True])
    registry.table.selectRow(0)
    revoked = registry.revoke_selected()
    assert revoked is not None and revoked.state.startswith("已停用") and "U盘丢失" in revoked.state
    assert registry.model.data(registry.model.index(0, 5)).startswith("已停用")
    assert not registry.revoke_button.isEnabled()
    with bare_county.db.session() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "revoke_key")).one()
    assert event.actor == "王审核" and event.changes["reason"] == [None, "U盘丢失"]
    town.add_case("李四", "53342219910202123")
    later = export_batch(town.db, town.data_dir, usb, "李经办")
    assert verify_package(bare_county.db, path=later.path, allow_gap=True).code == "PKG_KEY_RETIRED"
    town.db.close()


def test_revoking_asks_a_reason_and_a_confirmation(qtbot: QtBot, county: Site, town: Site) -> None:
    registry = OfficeRegistryDialog(county.db, county.actor, ScriptedDialogs())
    qtbot.addWidget(registry)
    registry.table.selectRow(0)
    assert registry.revoke_button.isEnabled()
    registry.dialogs = ScriptedDialogs(texts=[])  # the officer closes the reason box
    assert registry.revoke_selected() is None
    registry.dialogs = ScriptedDialogs(texts=["电脑被盗"], answers=[False])  # then says 否
    assert registry.revoke_selected() is None
    registry.dialogs = ScriptedDialogs(texts=["  "], answers=[True])  # an empty reason is refused
    assert registry.revoke_selected() is None
    assert registry.dialogs.messages[-1][0] == "error" and "停用原因" in registry.dialogs.messages[-1][2]
    assert all(k.active for k in key_registry.registered_keys(county.db))


def test_a_new_key_for_the_selected_office_is_registered_from_the_list(
    qtbot: QtBot, county: Site, town: Site, usb: Path
) -> None:
    from PySide6.QtCore import QTimer

    head = Actor("赵所长", (Role.HEAD, Role.ADMIN), Station.TOWN)
    town.add_case("张三", "53342219900101123")
    export_batch(town.db, town.data_dir, usb, "李经办")
    keys.rotate_office_key(town.db, head)
    key_file = keys.write_office_key_file(town.db, head, folder=usb)
    registry = OfficeRegistryDialog(county.db, county.actor, ScriptedDialogs())
    qtbot.addWidget(registry)
    assert not registry.again_button.isEnabled()
    registry.table.selectRow(0)
    assert registry.again_button.isEnabled()
    seen: dict[str, object] = {}

    def answer() -> None:  # inside the modal dialog's own event loop
        from PySide6.QtWidgets import QApplication

        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, RegisterOfficeKeyDialog)
        seen["code"], seen["name"] = dialog.code.text(), dialog.name.text()
        dialog.dialogs = ScriptedDialogs(answers=[True])
        dialog.load(key_file)
        seen["note"] = dialog.note.text()
        dialog.try_register()

    QTimer.singleShot(0, answer)
    registry.register_again()
    assert seen["code"] == town.code and seen["name"] == "升平镇劳动保障事务所"
    assert "第1批" in str(seen["note"])
    rows = key_registry.registered_keys(county.db)
    assert [r.active for r in rows] == [True, False] and rows[1].last_batch == 1


def test_the_county_writes_its_key_files_and_prints_its_slip(
    qtbot: QtBot, bare_county: Site, usb: Path
) -> None:
    shown = Shown()
    dialog = CountyKeyDialog(bare_county.db, bare_county.actor, ScriptedDialogs(files=[str(usb)]), show=shown)
    qtbot.addWidget(dialog)
    card = keys.county_key_card(bare_county.db, bare_county.actor)
    assert dialog.signing.text() == fingerprint_text(card.fingerprint)
    assert dialog.encryption.text() == fingerprint_text(card.encryption)
    signing, sealing = dialog.write_files() or (None, None)
    assert signing is not None and sealing is not None
    assert keys.read_key_file(source=signing).kind == KeyKind.SIGNING
    assert keys.read_key_file(source=sealing).fingerprint == card.encryption
    assert keys.read_key_file(source=sealing).holder == "德钦县劳动就业管理局"
    wait(qtbot, dialog.print_slip(), shown.calls)
    text = _flat(pdf_text(shown.calls[0][0]))
    assert "县局密钥公布表" in text and "德钦县劳动就业管理局" in text
    assert _flat(card.fingerprint) in text and _flat(card.encryption) in text


def test_a_town_imports_the_county_keys_and_only_the_admin_replaces_a_different_one(
    qtbot: QtBot, tmp_path: Path, town: Site, bare_county: Site, usb: Path
) -> None:
    signing, sealing = keys.write_county_key_files(bare_county.db, bare_county.actor, folder=usb)
    county_fp = keys.fingerprint(bare_county.db, county=True)
    dialogs = ScriptedDialogs(files=[str(signing)])
    dialog = CountyKeyImportDialog(town.db, town.actor, dialogs)
    qtbot.addWidget(dialog)
    dialog.choose()
    assert dialog.fingerprint.text() == fingerprint_text(county_fp) and "签名公钥" in dialog.kind.text()
    assert "德钦县劳动就业管理局" in dialog.holder.text() and not dialog.warning.isVisibleTo(dialog)
    done = dialog.import_key()  # first time
    assert done is not None and done.outcome == ImportOutcome.NEW
    assert keys.office_key_card(town.db, town.actor).county == county_fp

    dialog.load(signing)  # the same key again: nothing to do
    assert not dialog.import_button.isEnabled() and "无需再导入" in dialog.advice.text()
    dialog.load(sealing)
    assert dialog.import_key() is not None and can_encrypt(town.db)

    other = make_county(tmp_path / "other", "另一个县局")
    other_usb = tmp_path / "other-usb"
    other_usb.mkdir()
    other_signing, _ = keys.write_county_key_files(other.db, other.actor, folder=other_usb)
    other_fp = keys.fingerprint(other.db, county=True)
    dialog.dialogs = ScriptedDialogs(answers=[True])
    dialog.actor = Actor("李经办", (Role.CLERK, Role.HEAD), Station.TOWN)  # no 管理员 logged in now
    dialog.load(other_signing)
    warning = dialog.warning.text()
    assert dialog.warning.isVisibleTo(dialog) and county_fp in warning and other_fp in warning
    assert dialog.import_key() is None  # a clerk, although confirmed
    kind, _title, text = dialog.dialogs.messages[-1]
    assert kind == "error" and "只有管理员" in text
    assert keys.office_key_card(town.db, town.actor).county == county_fp

    head = CountyKeyImportDialog(town.db, HEAD, ScriptedDialogs(answers=[True]))
    qtbot.addWidget(head)
    head.load(other_signing)
    replaced = head.import_key()
    assert replaced is not None and replaced.outcome == ImportOutcome.REPLACED
    question = head.dialogs.messages[0]
    assert question[0] == "confirm" and county_fp in question[2] and other_fp in question[2]
    assert keys.office_key_card(town.db, town.actor).county == other_fp
    with town.db.session() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "key_replace")).one()
    assert event.actor == "张所长" and event.changes["fingerprint"] == [_flat(county_fp), _flat(other_fp)]
    other.db.close()


def test_replacing_is_refused_in_core_without_confirmation(
    town: Site, bare_county: Site, tmp_path: Path, usb: Path
) -> None:
    from core.packages.errors import PackageError

    signing, _ = keys.write_county_key_files(bare_county.db, bare_county.actor, folder=usb)
    keys.import_county_key_file(town.db, town.actor, source=signing)
    other = make_county(tmp_path / "other")
    folder = tmp_path / "o"
    folder.mkdir()
    other_signing, _ = keys.write_county_key_files(other.db, other.actor, folder=folder)
    with pytest.raises(PackageError) as info:
        keys.import_county_key_file(town.db, HEAD, source=other_signing)
    assert info.value.code == "COUNTY_KEY_DIFFERENT" and "管理员" in info.value.message_zh
    with pytest.raises(PackageError):
        keys.import_county_key(town.db, HEAD, source=other_signing)  # the command line cannot either
    assert (
        keys.import_county_key_file(town.db, HEAD, source=other_signing, replace=True).outcome == "replaced"
    )
    other.db.close()
