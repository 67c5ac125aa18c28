"""The service killed in the middle of an upload: the town resumes where the county's disk says."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from core.app import inbox, outbox
from core.net.states import DELIVERED, QUEUED
from tests.network.conftest import HEAD, export, free_port, point_town_at
from tests.packages.conftest import Site

ROOT = Path(__file__).resolve().parents[2]


def _start_service(county: Site, port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "--data-dir", str(county.data_dir), "serve",
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).text == "ok":
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the service did not start")


def test_killed_mid_transfer_the_upload_resumes_from_the_confirmed_offset(
    town: Site, county: Site, usb: Path
) -> None:
    town.add_case("张三", "53342219800101001", attachments=(os.urandom(9 << 20),))
    number = export(town, usb, ("李四", "53342219800101002"))
    port = free_port()
    point_town_at(town, f"http://127.0.0.1:{port}/")
    outbox.queue(town.db, HEAD, number=number)
    service = _start_service(county, port)
    seen: list[int] = []

    def kill_after_first_chunk(batch: int, sent: int, total: int) -> None:
        seen.append(sent)
        if sent > 0 and service.poll() is None:
            service.send_signal(signal.SIGKILL)
            service.wait()

    try:
        [first] = outbox.send_due(town.db, progress=kill_after_first_chunk)
        assert first.state == QUEUED
        confirmed = outbox.rows(town.db)[number].sent_bytes
        assert 0 < confirmed < outbox.rows(town.db)[number].total_bytes

        service = _start_service(county, port)
        outbox.queue(town.db, HEAD, number=number)
        resumed: list[int] = []
        [second] = outbox.send_due(town.db, progress=lambda b, sent, total: resumed.append(sent))
    finally:
        service.kill()
        service.wait()
    assert second.state == DELIVERED, second.message
    assert resumed[0] == confirmed  # nothing the county had was sent again
    [entry] = inbox.inbox_entries(county.db)
    assert entry.label == "待导入"
