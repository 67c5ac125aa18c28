"""Only registered offices may talk to the service; a stale, replayed or altered request is refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.app import outbox
from core.net import tus
from core.net.certificate import make_self_signed
from core.net.client import CountyService, NetworkError, ServiceAddress
from core.net.signatures import sign
from core.net.states import DELIVERED
from core.packages.keys import fingerprint, raw_public
from tests.network.conftest import HEAD, RunningService, export, free_port, point_town_at
from tests.packages.conftest import Site


def _signed(key: Ed25519PrivateKey, method: str, path: str, **kw: object) -> dict[str, str]:
    headers = {"Tus-Resumable": tus.VERSION, "Upload-Length": "10", "Upload-Metadata": ""}
    keyid = fingerprint(raw_public(key.public_key()))
    return {**headers, **sign(method, path, headers, key, keyid, **kw)}  # type: ignore[arg-type]


def _code(response: httpx.Response) -> str:
    return str(response.json()["code"])


def test_an_unregistered_office_is_refused(service: RunningService) -> None:
    stranger = Ed25519PrivateKey.generate()
    r = httpx.post(service.url + "tus/", headers=_signed(stranger, "POST", "/tus/"))
    assert r.status_code == 401 and _code(r) == "SIG_UNKNOWN_KEY"
    assert "没有在县局登记" in r.json()["message"]


def test_an_unsigned_request_is_refused(service: RunningService) -> None:
    r = httpx.post(service.url + "tus/", headers={"Tus-Resumable": tus.VERSION, "Upload-Length": "10"})
    assert r.status_code == 401 and _code(r) == "SIG_MISSING"


def test_a_replayed_request_is_refused(town: Site, service: RunningService) -> None:
    headers = _signed(town.keys.office_key(), "POST", "/tus/")
    assert httpx.post(service.url + "tus/", headers=headers).status_code == 201
    again = httpx.post(service.url + "tus/", headers=headers)
    assert again.status_code == 401 and _code(again) == "SIG_REPLAY"


def test_a_replay_is_refused_after_the_service_restarts(town: Site, county: Site) -> None:
    port = free_port()
    headers = _signed(town.keys.office_key(), "POST", "/tus/")
    first = RunningService(county, port).start()
    assert httpx.post(first.url + "tus/", headers=headers).status_code == 201
    first.stop()
    second = RunningService(county, port).start()
    try:
        assert _code(httpx.post(second.url + "tus/", headers=headers)) == "SIG_REPLAY"
    finally:
        second.stop()


def test_a_stale_request_is_refused(town: Site, service: RunningService) -> None:
    old = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)
    r = httpx.post(service.url + "tus/", headers=_signed(town.keys.office_key(), "POST", "/tus/", now=old))
    assert r.status_code == 401 and _code(r) == "SIG_STALE"


def test_a_request_sent_elsewhere_than_it_was_signed_for_is_refused(
    town: Site, service: RunningService
) -> None:
    r = httpx.get(service.url + "outbound/", headers=_signed(town.keys.office_key(), "GET", "/tus/"))
    assert r.status_code == 401 and _code(r) == "SIG_BAD"


def test_an_altered_length_is_refused(town: Site, service: RunningService) -> None:
    headers = _signed(town.keys.office_key(), "POST", "/tus/")
    headers["Upload-Length"] = "999"
    r = httpx.post(service.url + "tus/", headers=headers)
    assert r.status_code == 401 and _code(r) == "SIG_BAD"


def test_one_office_cannot_see_another_offices_upload(
    town: Site, county: Site, service: RunningService
) -> None:
    from core.packages.registry import register_office_key
    from tests.packages.conftest import make_town

    other = make_town(town.data_dir.parent, "533422102", "霞若乡")
    with county.db.session() as s, s.begin():
        register_office_key(s, other.code, other.public_key_file(), "county-admin", "霞若乡劳动保障事务所")
    mine = CountyService(ServiceAddress(service.url), town.keys.office_key(), town.keys.office_fingerprint())
    theirs = CountyService(
        ServiceAddress(service.url), other.keys.office_key(), other.keys.office_fingerprint()
    )
    with mine, theirs:
        url, _ = mine.create(10, {"manifest": "x"})
        assert theirs.offset(url) is None
    other.db.close()


def test_tls_with_the_pinned_certificate_sends_and_a_wrong_pin_sends_nothing(
    town: Site, county: Site, usb: Path, tmp_path: Path
) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    pin = make_self_signed(cert, key, ["127.0.0.1"])
    running = RunningService(county, free_port(), tls=(str(cert), str(key))).start()
    try:
        number = export(town, usb)
        point_town_at(town, running.url, "0" * 64)
        outbox.queue(town.db, HEAD, number=number)
        [refused] = outbox.send_due(town.db)
        assert "证书与登记的指纹不一致" in refused.message
        assert not list((county.data_dir / "service" / "uploads").glob("*.json"))  # nothing announced

        point_town_at(town, running.url, ":".join(pin[i : i + 4].upper() for i in range(0, 64, 4)))
        outbox.queue(town.db, HEAD, number=number)
        [sent] = outbox.send_due(town.db)
        assert sent.state == DELIVERED
    finally:
        running.stop()


def test_the_town_is_told_when_no_address_is_set(town: Site) -> None:
    with (
        pytest.raises(NetworkError) as caught,
        CountyService(ServiceAddress(""), town.keys.office_key(), "x") as c,
    ):
        c.create(1, {})
    assert "还没有填写县局上报服务的地址" in caught.value.message_zh


def test_only_the_administrator_sets_where_the_batches_go(town: Site, county: Site) -> None:
    from core.actor import Actor, PermissionDenied, Role, Station
    from core.app import inbox

    clerk = Actor("李经办", Role.CLERK, Station.TOWN)
    with pytest.raises(PermissionDenied):
        outbox.save_settings(town.db, clerk, settings=outbox.UploadSettings(url="http://10.0.0.9:8443/"))
    reviewer = Actor("王审核", Role.REVIEWER, Station.COUNTY)
    with pytest.raises(PermissionDenied):
        inbox.save_service_settings(county.db, reviewer, settings=inbox.ServiceSettings(port=9000))
    with pytest.raises(PermissionDenied):
        inbox.make_certificate(county.db, reviewer, hosts=["127.0.0.1"])
