"""The county's answers come back over the network: result packages and catalog updates."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.app import county as county_app
from core.app import inbox, outbox
from core.net.client import NetworkError
from core.packages.county_query import CountyCaseFilter
from tests.network.conftest import COUNTY_OFFICER, HEAD, RunningService, export, free_port, point_town_at
from tests.packages.conftest import Site


def test_the_town_fetches_and_imports_its_results(
    town: Site, county: Site, usb: Path, service: RunningService, tmp_path: Path
) -> None:
    number = export(town, usb)
    point_town_at(town, service.url)
    outbox.queue(town.db, HEAD, number=number)
    outbox.send_due(town.db)
    [entry] = inbox.inbox_entries(county.db)
    inbox.import_from_inbox(county.db, COUNTY_OFFICER, upload_id=entry.upload_id)
    [row] = county_app.all_county_rows(county.db, filter=CountyCaseFilter())
    county_app.approve(county.db, COUNTY_OFFICER, uuid=row.uuid)
    (tmp_path / "results").mkdir()
    county_app.export_results(county.db, COUNTY_OFFICER, office_code=town.code, folder=tmp_path / "results")

    lines = outbox.fetch_from_county(town.db, HEAD)

    assert len(lines) == 1 and "审核通过" in lines[0]
    assert outbox.fetch_from_county(town.db, HEAD) == []  # fetched once, imported once


def test_an_office_sees_only_its_own_results(
    town: Site, county: Site, service: RunningService, tmp_path: Path
) -> None:
    other = tmp_path / "results-533422199-00001.zip"
    other.write_bytes(b"not for this town")
    inbox.publish(county.db, path=other, office_code="533422199")
    point_town_at(town, service.url)

    assert outbox.fetch_from_county(town.db, HEAD) == []


def test_fetching_with_no_network_says_so(town: Site) -> None:
    point_town_at(town, f"http://127.0.0.1:{free_port()}/")
    with pytest.raises(NetworkError) as caught:
        outbox.fetch_from_county(town.db, HEAD)
    assert "连不上县局服务" in caught.value.message_zh
