"""A county running its receiving service on a free loopback port, and a town that sends to it."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from core.actor import Actor, Role, Station
from core.app import batches, outbox
from core.app.inbox import ServiceSettings, load_service_settings, save_service_settings
from service.run import ServiceThread
from tests.packages.conftest import Site, county, town, usb  # noqa: F401  (fixtures)

HEAD = Actor("张所长", {Role.HEAD, Role.ADMIN}, Station.TOWN)
COUNTY_OFFICER = Actor("王审核", {Role.REVIEWER, Role.ADMIN}, Station.COUNTY)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RunningService:
    """The service on a thread, on 127.0.0.1 and a port of the test's; stopped and started again."""

    def __init__(
        self, site: Site, port: int, tls: tuple[str, str] | None = None, **backend_args: object
    ) -> None:
        self.site, self.port, self.tls, self.backend_args = site, port, tls, backend_args
        self.thread: ServiceThread | None = None

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}/"

    def start(self) -> RunningService:
        if self.tls:
            set_service(self.site, certificate=self.tls[0], private_key=self.tls[1])
        self.thread = ServiceThread(
            self.site.db, host="127.0.0.1", port=self.port, **self.backend_args
        ).start()
        return self

    def stop(self) -> None:
        if self.thread is not None:
            self.thread.stop()
        self.thread = None


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
