"""Cancelling an export (取消 in its progress dialog) leaves the stick and the cases as they were."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from core.app.batches import export_batch
from core.cases.states import CaseStatus
from core.db.models import Case
from core.errors import Cancelled
from core.packages.models import Batch
from tests.packages.conftest import Site
from tests.waiting import wait_finished
from ui.dialog_service import ScriptedDialogs
from ui.dialogs.export_batch import ExportBatchDialog


@pytest.mark.parametrize("stage", ["prepare", "write", "verify"])
def test_cancel_at_any_stage_changes_nothing(town: Site, usb: Path, stage: str) -> None:
    town.add_case("张三", "53342219900101123", attachments=(b"a" * 2_000_000,))

    def progress(at: str, done: int, total: int) -> None:
        if at == stage:
            raise Cancelled

    with pytest.raises(Cancelled):
        export_batch(town.db, town.actor, folder=usb, progress=progress)
    assert list(usb.iterdir()) == []
    with town.db.session() as s:
        assert set(s.scalars(select(Case.status))) == {CaseStatus.REVIEW_PASSED.value}
        assert s.query(Batch).count() == 0
    again = export_batch(town.db, town.actor, folder=usb)
    assert again.number == 1  # the number was not used up by the cancelled export


def test_cancel_from_the_dialog(qtbot: QtBot, town: Site, usb: Path) -> None:
    town.add_case("张三", "53342219900101123", attachments=(b"a" * 20_000_000,))
    dialogs = ScriptedDialogs(files=[str(usb)])
    dialog = ExportBatchDialog(town.db, town.actor, dialogs)
    qtbot.addWidget(dialog)
    dialog.choose_folder()
    job = dialog.start()
    assert job is not None
    job.signals.progress.connect(lambda *_: job.cancel())  # the clerk presses 取消 at once
    wait_finished(qtbot, job)
    qtbot.waitUntil(lambda: bool(dialogs.messages))
    assert dialogs.messages[-1][0:2] == ("info", "上报县局：导出批次")
    assert "已取消" in dialogs.messages[-1][2]
    assert dialog.result_value is None and list(usb.glob("*.zip")) == []
