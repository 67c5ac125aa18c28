"""tus 1.0 as others speak it: the service against a second client (tuspy), and the town's
client against a server library (tuspyserver). The signature check is RFC 9421, which neither
library knows: the service's protocol is tested here with the check turned off (a parameter
that `main.py serve` never sets), and tuspyserver ignores the signature headers."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from tusclient import client as tus_client

from core.net.client import CountyService, ServiceAddress
from tests.network.conftest import RunningService, free_port
from tests.packages.conftest import Site


@pytest.fixture
def open_service(county: Site) -> Iterator[RunningService]:
    running = RunningService(county, free_port(), require_signatures=False).start()
    yield running
    running.stop()


def test_a_second_client_uploads_to_the_service_in_chunks(
    open_service: RunningService, tmp_path: Path
) -> None:
    data = os.urandom(3 * 1024 * 1024 + 17)
    source = tmp_path / "package.zip"
    source.write_bytes(data)
    c = tus_client.TusClient(open_service.url + "tus/")
    uploader = c.uploader(
        str(source), chunk_size=1024 * 1024, upload_checksum=True, metadata={"filename": "p.zip"}
    )
    uploader.upload()

    upload_id = uploader.url.rstrip("/").rsplit("/", 1)[-1]
    # Whole, it went to the county's checks: garbage is filed apart as refused, byte for byte.
    refused = open_service.site.data_dir / "service" / "refused" / f"{upload_id}.zip"
    assert hashlib.sha256(refused.read_bytes()).digest() == hashlib.sha256(data).digest()


def _tuspyserver(folder: Path, port: int) -> tuple[uvicorn.Server, threading.Thread]:
    from fastapi import FastAPI
    from tuspyserver import create_tus_router

    app = FastAPI()
    app.include_router(create_tus_router(prefix="tus", files_dir=str(folder)))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    return server, thread


def test_the_towns_client_uploads_to_a_tus_server_library_and_resumes(town: Site, tmp_path: Path) -> None:
    folder = tmp_path / "received"
    port = free_port()
    server, thread = _tuspyserver(folder, port)
    data = os.urandom(9 * 1024 * 1024 + 5)
    source = tmp_path / "package.zip"
    source.write_bytes(data)
    try:
        with CountyService(ServiceAddress(f"http://127.0.0.1:{port}/"), town.keys.office_key(), "k") as c:
            url, offset = c.create(
                len(data), {"filename": "package.zip", "filetype": "application/zip", "manifest": "m"}
            )
            assert offset == 0
            stop_after_one = iter([False, True])
            with pytest.raises(Exception, match="已停止发送"):
                c.send(url, source, 0, cancelled=lambda: next(stop_after_one, True))
            known = c.offset(url)
            assert known is not None and 0 < known < len(data)
            assert c.send(url, source, known) == len(data)
    finally:
        server.should_exit = True
        thread.join(10)
    received = [p for p in folder.iterdir() if p.is_file() and p.stat().st_size == len(data)]
    assert len(received) == 1 and received[0].read_bytes() == data
