"""上报 → 上报批次: every batch, its papers printed again, and its package written to another stick
from the copy kept at export (verified before and after writing)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from core.app import batches
from core.app import county as county_ops
from core.db.models import AuditEvent, Case
from core.packages.errors import PackageError
from core.packages.kept import kept_path
from core.packages.keys import public_pem
from tests.packages.conftest import Site
from tests.printing.conftest import pdf_text
from tests.printing.test_ui_printing import Shown, wait
from ui.batches.view import BatchesWindow
from ui.dialog_service import ScriptedDialogs
from ui.dialogs.export_batch import ExportBatchDialog

SUBSIDY_NAME = "一次性外出务工交通补助"  # deqin-2021 / transport_once, as the catalog names it


def _export(town: Site, usb: Path, encrypt: bool = False) -> batches.ExportResult:
    return batches.export_batch(town.db, town.actor, folder=usb, encrypt=encrypt)


@pytest.fixture
def exported(town: Site, usb: Path) -> batches.ExportResult:
    town.add_case("张三", "53342219900101123", amount_fen=50000)
    town.add_case("李四", "53342219910202123", amount_fen=30000)
    return _export(town, usb)


def _window(qtbot: QtBot, town: Site, dialogs: ScriptedDialogs, shown: Shown) -> BatchesWindow:
    window = BatchesWindow(town.db, lambda: town.actor, dialogs, show=shown)
    qtbot.addWidget(window)
    return window


def _printed(qtbot: QtBot, job: object, shown: Shown, count: int) -> None:
    assert job is not None
    qtbot.waitUntil(lambda: len(shown.calls) == count, timeout=10_000)


def _cells(window: BatchesWindow) -> list[str]:
    model = window.model
    return [model.data(model.index(0, c)) for c in range(model.columnCount())]


def test_the_screen_lists_the_batch_and_prints_its_papers(
    qtbot: QtBot, qtmodeltester, town: Site, exported: batches.ExportResult
) -> None:
    shown = Shown()
    window = _window(qtbot, town, ScriptedDialogs(), shown)
    qtmodeltester.check(window.model)
    cells = _cells(window)
    assert cells[0] == "第1批" and cells[2] == "李经办" and cells[3] == "2"
    assert cells[4] == "800.00" and cells[5] == "已导出" and cells[6] == "否" and cells[7] == "有"
    assert window.groups.rowCount() == 1
    assert [window.groups.item(0, c).text() for c in range(3)] == [SUBSIDY_NAME, "2", "800.00"]
    assert "transport_once" not in window.detail.text() and "已导出" in window.detail.text()

    wait(qtbot, window.print_slip(), shown.calls)
    slip = "".join(pdf_text(shown.calls[0][0]).split())  # a long name wraps in its cell
    assert "交接单" in slip and "533422101" in slip and SUBSIDY_NAME in slip and "verify" not in slip
    _printed(qtbot, window.print_roster(public=False), shown, 2)
    roster = pdf_text(shown.calls[1][0])
    assert "张三" in roster and "李四" in roster and "花名册" in roster
    _printed(qtbot, window.print_roster(public=True), shown, 3)
    notice = pdf_text(shown.calls[2][0])
    assert "公示" in notice and "533422101 第1批" in notice
    assert "53342219900101123" not in notice  # ID numbers are masked on the notice list
    _printed(qtbot, window.print_slip(), shown, 4)  # printed again
    assert len(shown.calls) == 4


def test_the_package_is_written_again_and_verifies_at_the_county(
    qtbot: QtBot, tmp_path: Path, town: Site, county: Site, exported: batches.ExportResult
) -> None:
    second = tmp_path / "second-stick"
    second.mkdir()
    dialogs = ScriptedDialogs(files=[str(second)])
    window = _window(qtbot, town, dialogs, Shown())
    assert window.write_again() is not None
    qtbot.waitUntil(lambda: window.written is not None or bool(dialogs.messages), timeout=10_000)
    assert window.written == second / exported.path.name
    assert dialogs.messages[-1][0] == "info" and "读回核对无误" in dialogs.messages[-1][2]
    assert window.written.read_bytes() == exported.path.read_bytes()
    result = county_ops.verify_package(county.db, path=window.written)
    assert result.ok and result.manifest_sha256 == exported.manifest_sha256
    with town.db.session() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "write_again")).one()
    assert event.actor == "李经办"


def test_a_missing_or_damaged_copy_is_said_clearly(
    town: Site, exported: batches.ExportResult, tmp_path: Path
) -> None:
    copy = kept_path(town.data_dir, town.code, 1)
    data = bytearray(copy.read_bytes())
    data[len(data) // 3] ^= 0xFF
    copy.write_bytes(bytes(data))
    with pytest.raises(PackageError) as damaged:
        batches.write_batch_again(town.db, town.actor, number=1, folder=tmp_path)
    assert damaged.value.code == "BATCH_COPY_DAMAGED" and exported.path.name in damaged.value.message_zh
    copy.unlink()
    rows = batches.batch_rows(town.db)
    rows.reload()
    assert not rows.rows[0].copy_kept
    with pytest.raises(PackageError) as missing:
        batches.write_batch_again(town.db, town.actor, number=1, folder=tmp_path)
    assert missing.value.code == "BATCH_COPY_MISSING" and "没有留存第1批" in missing.value.message_zh
    assert not (tmp_path / exported.path.name).exists()


def test_a_sealed_batch_is_sealed_again_for_the_county(
    town: Site, county: Site, usb: Path, tmp_path: Path
) -> None:
    town.keys.set_county_encryption_public(public_pem(county.keys.county_encryption_key().public_key()))
    town.add_case("张三", "53342219900101123")
    sealed = _export(town, usb, encrypt=True)
    again = tmp_path / "again"
    again.mkdir()
    path = batches.write_batch_again(town.db, town.actor, number=1, folder=again)
    assert path.name == sealed.path.name and path.read_bytes() != sealed.path.read_bytes()  # fresh ciphertext
    report = county_ops.import_package(county.db, county.actor, path=path)
    assert report.status == "imported", report.verification.message


def test_the_state_follows_the_countys_results(
    town: Site, county: Site, exported: batches.ExportResult, usb: Path
) -> None:
    county_ops.import_package(county.db, county.actor, path=exported.path)
    with town.db.session() as s:
        uuids = list(s.scalars(select(Case.uuid).order_by(Case.id)))
    county_ops.approve(county.db, county.actor, uuid=uuids[0])
    results = county_ops.export_results(county.db, county.actor, office_code=town.code, folder=usb)
    batches.import_results(town.db, town.actor, path=results.path)
    rows = batches.batch_rows(town.db)
    rows.reload()
    assert rows.rows[0].state == "已收到部分县局结果（1/2件）"
    county_ops.reject(county.db, county.actor, uuid=uuids[1], reason="重复申报")
    results = county_ops.export_results(county.db, county.actor, office_code=town.code, folder=usb)
    batches.import_results(town.db, town.actor, path=results.path)
    rows.reload()
    assert rows.rows[0].state == "已收到县局结果"


def test_the_export_dialog_offers_the_slip_at_once(qtbot: QtBot, town: Site, usb: Path) -> None:
    town.add_case("张三", "53342219900101123")
    shown = Shown()
    dialogs = ScriptedDialogs(files=[str(usb)], answers=[True])
    dialog = ExportBatchDialog(town.db, town.actor, dialogs, show=shown)
    qtbot.addWidget(dialog)
    assert not dialog.code_warning.isVisibleTo(dialog)
    dialog.choose_folder()
    dialog.start()
    qtbot.waitUntil(
        lambda: bool(shown.calls) or any(m[0] == "error" for m in dialogs.messages), timeout=10_000
    )
    assert [m[0] for m in dialogs.messages] == ["info", "confirm"]
    assert "交接单" in dialogs.messages[1][2]
    assert "第 1 批" in pdf_text(shown.calls[0][0])
    assert kept_path(town.data_dir, town.code, 1).is_file()
