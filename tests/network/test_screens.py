"""Network reporting from the screens: the town sends and fetches, the county receives and imports."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from core.app import inbox, outbox
from core.app.inbox import ServiceSettings
from tests.network.conftest import (
    COUNTY_OFFICER,
    HEAD,
    RunningService,
    export,
    free_port,
    point_town_at,
    set_service,
)
from tests.packages.conftest import Site
from ui.batches.sender import OutboxSender
from ui.batches.view import BatchesWindow
from ui.county.inbox import InboxWindow, stop_in_program
from ui.dialog_service import ScriptedDialogs
from ui.dialogs.service_settings import ServiceSettingsDialog
from ui.dialogs.upload_settings import UploadSettingsDialog


def _sending_cell(window: BatchesWindow) -> str:
    model = window.model
    return str(model.data(model.index(0, model.columnCount() - 1)))


def test_the_clerk_sends_a_batch_and_sees_it_delivered(
    qtbot: QtBot, town: Site, county: Site, usb: Path, service: RunningService
) -> None:
    export(town, usb)
    point_town_at(town, service.url)
    sender = OutboxSender(town.db)
    window = BatchesWindow(town.db, lambda: HEAD, ScriptedDialogs(), sender=sender)
    qtbot.addWidget(window)
    assert _sending_cell(window) == "—"

    with qtbot.waitSignal(sender.finished, timeout=20_000):
        window.send_button.click()

    assert _sending_cell(window) == "已送达"
    assert "县局回执已核验" in window.network_detail.text()
    sender.stop()


def test_with_no_service_the_batch_waits_and_says_when_it_tries_again(
    qtbot: QtBot, town: Site, usb: Path
) -> None:
    export(town, usb)
    point_town_at(town, f"http://127.0.0.1:{free_port()}/")
    sender = OutboxSender(town.db)
    window = BatchesWindow(town.db, lambda: HEAD, ScriptedDialogs(), sender=sender)
    qtbot.addWidget(window)

    with qtbot.waitSignal(sender.finished, timeout=20_000):
        window.send_button.click()

    assert _sending_cell(window) == "待发送"
    assert "下次尝试" in window.network_detail.text() and "连不上县局服务" in window.network_detail.text()
    sender.stop()


def test_sending_without_an_address_opens_the_settings(
    qtbot: QtBot, town: Site, usb: Path, monkeypatch: object
) -> None:
    export(town, usb)
    dialogs = ScriptedDialogs()
    window = BatchesWindow(town.db, lambda: HEAD, dialogs)
    qtbot.addWidget(window)
    opened: list[bool] = []
    window.edit_settings = lambda: opened.append(True)  # type: ignore[method-assign]
    window.send_button.click()
    assert opened == [True]
    assert "还没有填写县局上报服务的地址" in dialogs.messages[0][2]
    assert outbox.rows(town.db) == {}


def test_the_settings_dialog_names_the_field_to_fix(qtbot: QtBot, town: Site) -> None:
    dialog = UploadSettingsDialog(
        lambda s: outbox.save_settings(town.db, HEAD, settings=s), outbox.load_settings(town.data_dir)
    )
    qtbot.addWidget(dialog)
    dialog.url.setText("https://192.168.1.10:8443/")
    dialog.fingerprint.setText("12ab")
    dialog.try_save()
    assert dialog.error_labels["证书指纹"].isVisibleTo(dialog)
    assert "64位" in dialog.error_labels["证书指纹"].text()
    assert not outbox.load_settings(town.data_dir).configured  # nothing saved

    dialog.fingerprint.setText("ＡＢ" * 32)  # typed through a Chinese input method
    dialog.try_save()
    assert outbox.load_settings(town.data_dir).fingerprint == "ab" * 32


def test_the_town_fetches_results_from_the_screen(
    qtbot: QtBot, town: Site, county: Site, usb: Path, service: RunningService, tmp_path: Path
) -> None:
    from core.app import county as county_app
    from core.packages.county_query import CountyCaseFilter

    number = export(town, usb)
    point_town_at(town, service.url)
    outbox.queue(town.db, HEAD, number=number)
    outbox.send_due(town.db)
    [entry] = inbox.inbox_entries(county.db)
    inbox.import_from_inbox(county.db, COUNTY_OFFICER, upload_id=entry.upload_id)
    [row] = county_app.all_county_rows(county.db, filter=CountyCaseFilter())
    county_app.reject(county.db, COUNTY_OFFICER, uuid=row.uuid, reason="外出务工时间不足三个月")
    (tmp_path / "out").mkdir()
    county_app.export_results(county.db, COUNTY_OFFICER, office_code=town.code, folder=tmp_path / "out")
    dialogs = ScriptedDialogs()
    window = BatchesWindow(town.db, lambda: HEAD, dialogs)
    qtbot.addWidget(window)

    window.fetch()
    qtbot.waitUntil(lambda: bool(window.fetched), timeout=20_000)

    assert "未通过" in dialogs.messages[-1][2]


def test_the_county_lists_what_arrived_and_imports_it(
    qtbot: QtBot, town: Site, county: Site, usb: Path, service: RunningService
) -> None:
    number = export(town, usb)
    point_town_at(town, service.url)
    outbox.queue(town.db, HEAD, number=number)
    outbox.send_due(town.db)
    dialogs = ScriptedDialogs()
    window = InboxWindow(county.db, dialogs, lambda: COUNTY_OFFICER)
    qtbot.addWidget(window)
    assert window.table.item(0, 1).text() == town.code
    assert window.table.item(0, 3).text() == "待导入"

    window.import_button.click()
    qtbot.waitUntil(lambda: bool(dialogs.messages), timeout=20_000)

    assert window.table.item(0, 3).text() == "已导入"
    assert not window.import_button.isEnabled()


def test_the_county_receives_while_its_program_is_open(
    qtbot: QtBot, town: Site, county: Site, usb: Path
) -> None:
    port = free_port()
    set_service(county, host="127.0.0.1", port=port, run_in_program=True)
    window = InboxWindow(county.db, ScriptedDialogs(), lambda: COUNTY_OFFICER)
    qtbot.addWidget(window)
    try:
        assert f"端口 {port}" in window.status.text()
        number = export(town, usb)
        point_town_at(town, f"http://127.0.0.1:{port}/")
        outbox.queue(town.db, HEAD, number=number)
        [outcome] = outbox.send_due(town.db)
        assert outcome.message.startswith("已送达")
        window.refresh()
        assert window.table.rowCount() == 1
    finally:
        stop_in_program()


def test_the_county_makes_a_certificate_and_sees_its_fingerprint(qtbot: QtBot, county: Site) -> None:
    from core.packages.keys import display_fingerprint

    dialogs = ScriptedDialogs(texts=["192.168.1.10"])

    def make(hosts: list[str]) -> tuple[str, ServiceSettings]:
        return inbox.make_certificate(county.db, COUNTY_OFFICER, hosts=hosts), inbox.load_service_settings(
            county.data_dir
        )

    dialog = ServiceSettingsDialog(
        inbox.load_service_settings(county.data_dir),
        lambda s: inbox.save_service_settings(county.db, COUNTY_OFFICER, settings=s),
        make, lambda: inbox.service_fingerprint(county.db), dialogs,
    )  # fmt: skip
    qtbot.addWidget(dialog)
    dialog.make()
    fp = inbox.service_fingerprint(county.db)
    assert fp and display_fingerprint(fp) in dialog.fingerprint_label.text()
    dialog.try_save()
    assert inbox.load_service_settings(county.data_dir).certificate.endswith("service-cert.pem")


def test_the_countys_key_slip_carries_the_service_certificate(county: Site) -> None:
    from core.app.keys import prepare_key_slip
    from core.app.office import save_county_name
    from core.packages.keys import display_fingerprint
    from tests.printing.conftest import pdf_text

    save_county_name(county.db, COUNTY_OFFICER, name="德钦县劳动就业管理局")
    fp = inbox.make_certificate(county.db, COUNTY_OFFICER, hosts=["192.168.1.10"])
    text = pdf_text(prepare_key_slip(county.db, COUNTY_OFFICER).render())
    assert "上报服务证书指纹" in text
    assert display_fingerprint(fp).split()[0] in text
