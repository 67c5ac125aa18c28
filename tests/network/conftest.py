"""A county running its receiving service on a free loopback port, and a town that sends to it."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import uvicorn

from core.actor import Actor, Role, Station
from core.app import batches, outbox
from core.app.inbox import ServiceSettings, load_service_settings, save_service_settings
from service.app import create_app
from service.run import backend
from tests.packages.conftest import Site, county, town, usb  # noqa: F401  (fixtures)

HEAD = Actor("张所长", Role.HEAD, Station.TOWN)
COUNTY_OFFICER = Actor("王审核", Role.CLERK, Station.COUNTY)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RunningService:
    """uvicorn in a thread, on 127.0.0.1; stopped and started again like a real service."""

    def __init__(
        self, site: Site, port: int, tls: tuple[str, str] | None = None, **backend_args: object
    ) -> None:
        self.site, self.port, self.tls, self.backend_args = site, port, tls, backend_args
        self.server: uvicorn.Server | None = None
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}/"

    def start(self) -> RunningService:
        app = create_app(backend(self.site.db, **self.backend_args))  # type: ignore[arg-type]
        tls = {"ssl_certfile": self.tls[0], "ssl_keyfile": self.tls[1]} if self.tls else {}
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_config=None, lifespan="off", **tls)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the service did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        if self.server is not None and self.thread is not None:
            self.server.should_exit = True
            self.thread.join(10)
            app_nonces = getattr(self.server.config.app, "state", None)
            if app_nonces is not None:
                app_nonces.nonces.close()
        self.server = self.thread = None


@pytest.fixture
def service(county: Site) -> Iterator[RunningService]:  # noqa: F811
    running = RunningService(county, free_port()).start()
    yield running
    running.stop()


def export(town: Site, usb: Path, *cases: tuple[str, str]) -> int:  # noqa: F811
    for name, first17 in cases or (("张三", "53342219800101001"),):
        town.add_case(name, first17)
    return batches.export_batch(town.db, HEAD, folder=usb).number


def point_town_at(town: Site, url: str, fingerprint: str = "", **more: object) -> None:  # noqa: F811
    settings = outbox.UploadSettings(url=url, fingerprint=fingerprint, **more)  # type: ignore[arg-type]
    outbox.save_settings(town.db, HEAD, settings=settings)


def set_service(county: Site, **values: object) -> None:  # noqa: F811
    settings = replace(load_service_settings(county.data_dir), **values)  # type: ignore[arg-type]
    save_service_settings(county.db, COUNTY_OFFICER, settings=settings)


__all__ = ["ServiceSettings"]
