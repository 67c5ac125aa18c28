"""A batch sent over the network: the same signed package, verified as from a USB stick."""

from __future__ import annotations

from pathlib import Path

from core.app import county as county_app
from core.app import inbox, outbox
from core.net.states import DELIVERED, IMPORTED, QUEUED, REFUSED
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


def test_a_batch_sent_arrives_verified_with_a_signed_receipt(
    town: Site, county: Site, usb: Path, service: RunningService
) -> None:
    number = export(town, usb)
    point_town_at(town, service.url)
    outbox.queue(town.db, HEAD, number=number)

    outcomes = outbox.send_due(town.db)

    assert [(o.batch_number, o.state) for o in outcomes] == [(number, DELIVERED)]
    row = outbox.rows(town.db)[number]
    assert row.state_label == "已送达" and row.sent_bytes == row.total_bytes > 0
    [entry] = inbox.inbox_entries(county.db)
    assert (entry.office_code, entry.batch_number, entry.label) == (town.code, number, "待导入")
    report = inbox.import_from_inbox(county.db, COUNTY_OFFICER, upload_id=entry.upload_id)
    assert report.count("accepted") == 1
    assert inbox.inbox_entries(county.db)[0].label == "已导入"
    assert [o.state for o in outbox.refresh_receipts(town.db)] == [IMPORTED]
    assert outbox.rows(town.db)[number].state_label == "已导入"


def test_sending_a_batch_twice_makes_one_upload_and_one_import(
    town: Site, county: Site, usb: Path, service: RunningService
) -> None:
    number = export(town, usb)
    point_town_at(town, service.url)
    outbox.queue(town.db, HEAD, number=number)
    outbox.send_due(town.db)
    # The clerk's PC lost its outbox row (a restored backup): the batch is queued and sent again.
    with town.db.session() as s, s.begin():
        from core.net.models import OutboxItem

        s.query(OutboxItem).delete()
    outbox.queue(town.db, HEAD, number=number)
    [outcome] = outbox.send_due(town.db)

    assert outcome.state == DELIVERED
    assert len(inbox.inbox_entries(county.db)) == 1


def test_the_county_imports_at_once_when_it_chose_so(
    town: Site, county: Site, usb: Path, service: RunningService
) -> None:
    set_service(county, auto_import=True)
    number = export(town, usb)
    point_town_at(town, service.url)
    outbox.queue(town.db, HEAD, number=number)

    [outcome] = outbox.send_due(town.db)

    assert outcome.state == IMPORTED
    assert len(county_app.all_county_rows(county.db, filter=county_app_filter())) == 1


def county_app_filter() -> object:
    from core.packages.county_query import CountyCaseFilter

    return CountyCaseFilter()


def test_server_down_the_batch_waits_and_goes_when_it_is_back(town: Site, county: Site, usb: Path) -> None:
    port = free_port()
    number = export(town, usb)
    point_town_at(town, f"http://127.0.0.1:{port}/")
    outbox.queue(town.db, HEAD, number=number)

    [outcome] = outbox.send_due(town.db)
    assert outcome.state == QUEUED and "连不上县局服务" in outcome.message
    row = outbox.rows(town.db)[number]
    assert (
        row.attempts == 1 and row.next_try_at is not None and outbox.pause_label(row).startswith("下次尝试")
    )
    assert outbox.due(town.db) == []  # waiting for its pause

    running = RunningService(county, port).start()
    try:
        outbox.queue(town.db, HEAD, number=number)  # 立即发送
        [outcome] = outbox.send_due(town.db)
    finally:
        running.stop()
    assert outcome.state == DELIVERED


def test_a_tampered_package_is_refused_with_its_reason(
    town: Site, county: Site, usb: Path, service: RunningService
) -> None:
    import zipfile

    from core.packages.kept import kept_path

    number = export(town, usb)
    kept = kept_path(town.data_dir, town.code, number)
    forged = kept.with_suffix(".forged")
    with zipfile.ZipFile(kept) as src, zipfile.ZipFile(forged, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("cases/"):
                data = data.replace(b"50000", b"90000")
            out.writestr(info, data)
    forged.replace(kept)
    point_town_at(town, service.url)
    outbox.queue(town.db, HEAD, number=number)

    [outcome] = outbox.send_due(town.db)

    # The town's own read-back of its kept copy refuses first: a damaged copy never leaves the PC.
    assert outcome.state == QUEUED and "副本" in outcome.message
    assert inbox.inbox_entries(county.db) == []


def test_a_package_the_county_refuses_says_why_in_the_outbox(
    town: Site, county: Site, usb: Path, service: RunningService
) -> None:
    number = export(town, usb)
    with county.db.session() as s, s.begin():
        from core.packages.models import CountyOfficeKey

        key = s.query(CountyOfficeKey).one()
        key.valid_until = key.valid_from  # the county stops trusting the key for packages
    point_town_at(town, service.url)
    outbox.queue(town.db, HEAD, number=number)

    [outcome] = outbox.send_due(town.db)

    assert outcome.state == QUEUED and "没有登记本所的密钥" in outcome.message


def test_a_batch_the_county_cannot_accept_is_refused_with_its_reason(
    town: Site, county: Site, usb: Path, service: RunningService
) -> None:
    export(town, usb)  # batch 1 stays on the stick
    second = export(town, usb, ("李四", "53342219800101002"))
    point_town_at(town, service.url)
    outbox.queue(town.db, HEAD, number=second)

    [outcome] = outbox.send_due(town.db)

    assert outcome.state == REFUSED
    row = outbox.rows(town.db)[second]
    assert row.state_label == "被拒" and "第1批" in row.reason
    [entry] = inbox.inbox_entries(county.db)
    assert entry.label == "已拒收" and entry.reason == row.reason
    # Sent again, it stays refused: the county keeps one answer per batch.
    outbox.queue(town.db, HEAD, number=second)
    assert outbox.send_due(town.db) == []
