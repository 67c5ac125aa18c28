"""Network reporting: a 1 GB upload against `curl -T`, the cost of a resume, and 50 offices at once.

    python bench/bench_upload.py [--mb 1024] [--offices 50] [--skip-load]

The service runs in its own process (as `main.py serve` does), on 127.0.0.1:

- Throughput: the town's client (4 MB tus chunks, each with its SHA-256 checksum and a fresh
  RFC 9421 signature, fsynced by the service before it confirms the offset) against one
  `curl -T` PATCH of the whole file to the same service, signature check off for both (curl
  cannot sign); then the client again with signatures on, as in real use. Goal: the client at
  least 70 % of curl's throughput.
- Resume: the same upload cancelled half way and resumed (HEAD, then the rest), against the
  uninterrupted one.
- Load: N town offices, each with a real exported batch of a few MB, sending at once (threads
  in this process); every package must be received, verified and listed; the service's peak
  resident memory (VmHWM) is read from /proc.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "out" / "upload"

SERVE = """
import sys, time
sys.path.insert(0, {root!r})
from core.app.storage import open_data
from service.run import ServiceThread
db = open_data(__import__("pathlib").Path({data!r}))
ServiceThread(db, host="127.0.0.1", port={port}, require_signatures={signed}).start()
while True:
    time.sleep(3600)
"""


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(county: Path, signed: bool) -> tuple[subprocess.Popen[bytes], int]:
    import httpx

    port = _free_port()
    code = SERVE.format(root=str(ROOT), data=str(county), port=port, signed=signed)
    process = subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).text == "ok":
                return process, port
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the service did not start")


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _town(root: Path, code: str, town: str, cases: int = 0, attachment_bytes: int = 0) -> Path:
    from core.actor import Actor, Role, Station
    from core.app import batches
    from core.applicants import PersonInput, create_person
    from core.attachments import AttachmentStore
    from core.cases.service import CaseDraft, create_case
    from core.cases.states import CaseStatus
    from core.db import open_database
    from core.db.models import Attachment
    from core.identity.id_number import check_character
    from core.operator import save_operator
    from core.packages.identity import set_office_code
    from core.settings import OfficeInput, save_office

    data_dir = root / code
    db = open_database(data_dir)
    save_operator(data_dir, "李经办", "clerk")
    with db.session() as s, s.begin():
        office = save_office(s, OfficeInput("533422", town, f"{town}劳动保障事务所"), "clerk")
        set_office_code(s, code, "clerk")
        for i in range(cases):
            first17 = f"53342219800101{i:03d}"
            person = create_person(s, PersonInput("张三", first17 + check_character(first17)), "clerk")
            draft = CaseDraft(
                office_id=office.id, catalog_id="deqin-2021", catalog_version="1.0.0", subsidy_id="transport_once",
                application_date=dt.date(2024, 3, 1), person_id=person.id, amount_fen=50000,
                status=CaseStatus.REVIEW_PASSED, case_number=f"{code}-{i:04d}", facts={"destination": "广东省"},
            )  # fmt: skip
            case = create_case(s, draft, "clerk")
            case.assessment = {"decision": "eligible", "amount_fen": 50000, "trace": []}
            data = os.urandom(attachment_bytes)
            import hashlib

            sha = hashlib.sha256(data).hexdigest()
            path = AttachmentStore(data_dir / "attachments").path_for(sha)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            s.add(
                Attachment(
                    case_id=case.id,
                    sha256=sha,
                    filename="scan.pdf",
                    size=len(data),
                    media_type="application/pdf",
                )
            )
    if cases:
        usb = root / f"usb-{code}"
        usb.mkdir(exist_ok=True)
        batches.export_batch(db, Actor("张所长", Role.HEAD, Station.TOWN), folder=usb)
    db.close()
    return data_dir


def _county(root: Path, towns: list[Path]) -> Path:
    from core.db import open_database
    from core.operator import save_operator, save_station
    from core.packages.keys import KeyStore, public_pem
    from core.packages.registry import register_office_key

    data_dir = root / "county"
    db = open_database(data_dir)
    save_station(data_dir, "county")
    save_operator(data_dir, "王审核", "clerk")
    county_public = public_pem(KeyStore(data_dir).county_key().public_key())
    with db.session() as s, s.begin():
        for town in towns:
            key = public_pem(KeyStore(town).office_key().public_key())
            register_office_key(s, town.name, key, "bench", town.name)
    for town in towns:
        KeyStore(town).set_county_public(county_public)
    db.close()
    return data_dir


def _client_upload(
    town: Path, url: str, source: Path, cancel_at: float | None = None
) -> tuple[float, str, int]:
    from core.net.client import Cancelled, CountyService, ServiceAddress
    from core.packages.keys import KeyStore

    keys = KeyStore(town)
    size = source.stat().st_size
    sent = [0]
    begin = time.perf_counter()
    with CountyService(ServiceAddress(url, timeout_s=120), keys.office_key(), keys.office_fingerprint()) as c:
        upload_url, offset = c.create(size, {"filename": source.name, "manifest": os.urandom(8).hex()})
        with contextlib.suppress(Cancelled):
            c.send(upload_url, source, offset, lambda done: sent.__setitem__(0, done),
                   cancelled=lambda: cancel_at is not None and sent[0] >= cancel_at * size)  # fmt: skip
    return time.perf_counter() - begin, upload_url, sent[0]


def _resume(town: Path, url: str, upload_url: str, source: Path) -> float:
    from core.net.client import CountyService, ServiceAddress
    from core.packages.keys import KeyStore

    keys = KeyStore(town)
    begin = time.perf_counter()
    with CountyService(ServiceAddress(url, timeout_s=120), keys.office_key(), keys.office_fingerprint()) as c:
        offset = c.offset(upload_url)
        assert offset is not None
        c.send(upload_url, source, offset)
    return time.perf_counter() - begin


def _curl(url: str, source: Path) -> float:
    import httpx

    from core.net import tus

    size = source.stat().st_size
    created = httpx.post(url + "tus/", headers={"Tus-Resumable": tus.VERSION, "Upload-Length": str(size)})
    location = created.headers["location"]
    begin = time.perf_counter()
    subprocess.run(
        ["curl", "-s", "-o", "/dev/null", "-X", "PATCH", "-T", str(source), "-H", "Tus-Resumable: 1.0.0",
         "-H", "Upload-Offset: 0", "-H", f"Content-Type: {tus.OFFSET_CONTENT_TYPE}",
         f"http://127.0.0.1:{url.rsplit(':', 1)[1].strip('/')}{location}"],
        check=True,
    )  # fmt: skip
    return time.perf_counter() - begin


def throughput(mb: int) -> None:
    root = OUT / "throughput"
    shutil.rmtree(root, ignore_errors=True)
    town = _town(root, "533422101", "升平镇")
    county = _county(root, [town])
    source = root / "package.bin"
    with source.open("wb") as fh:
        for _ in range(mb):
            fh.write(os.urandom(1 << 20))
    size_mb = source.stat().st_size / 1e6

    def leg(signed: bool, runs: int = 3) -> tuple[list[float], list[float]]:
        process, port = _serve(county, signed)
        url = f"http://127.0.0.1:{port}/"
        ours, curl = [], []
        try:
            for _ in range(runs):
                ours.append(_client_upload(town, url, source)[0])
                if not signed:
                    curl.append(_curl(url, source))
        finally:
            process.kill()
            process.wait()
        return ours, curl

    ours, curl = leg(signed=False)
    signed, _ = leg(signed=True)
    best = min
    print(f"{size_mb:.0f} MB on loopback, best of 3:")
    print(f"  curl -T (one PATCH):                  {best(curl):6.2f} s  {size_mb / best(curl):6.0f} MB/s")
    print(f"  the town's client, signatures off:    {best(ours):6.2f} s  {size_mb / best(ours):6.0f} MB/s"
          f"  = {100 * best(curl) / best(ours):.0f} % of curl")  # fmt: skip
    print(f"  the town's client, signed (real use): {best(signed):6.2f} s  {size_mb / best(signed):6.0f} MB/s"
          f"  = {100 * best(curl) / best(signed):.0f} % of curl")  # fmt: skip

    process, port = _serve(county, True)
    url = f"http://127.0.0.1:{port}/"
    try:
        first, upload_url, _ = _client_upload(town, url, source, cancel_at=0.5)
        rest = _resume(town, url, upload_url, source)
        whole = _client_upload(town, url, source)[0]
    finally:
        process.kill()
        process.wait()
    print(f"  cancelled at half and resumed:        {first:.2f} s + {rest:.2f} s = {first + rest:.2f} s"
          f" against {whole:.2f} s uninterrupted (resume costs {first + rest - whole:+.2f} s)")  # fmt: skip


def load(offices: int, attachment_mb: int) -> None:
    from core.app import outbox
    from core.app.inbox import inbox_entries
    from core.app.storage import open_data

    root = OUT / "load"
    shutil.rmtree(root, ignore_errors=True)
    print(f"{offices} offices, each a batch of 1 case with a {attachment_mb} MB scan: exporting…", flush=True)
    towns = [_town(root, f"533422{i:03d}", f"镇{i}", 1, attachment_mb << 20) for i in range(1, offices + 1)]
    county = _county(root, towns)
    process, port = _serve(county, True)
    url = f"http://127.0.0.1:{port}/"
    results: dict[str, str] = {}

    def send(town: Path) -> None:
        db = open_data(town)
        try:
            outbox.save_settings(db, _head(), settings=outbox.UploadSettings(url=url, timeout_s=120))
            outbox.queue(db, _head(), number=1)
            outcomes = outbox.send_due(db)
            results[town.name] = outcomes[0].state if outcomes else "none"
        finally:
            db.close()

    begin = time.perf_counter()
    threads = [threading.Thread(target=send, args=(t,)) for t in towns]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - begin
    peak = _peak_rss_mb(process.pid)
    process.kill()
    process.wait()
    db = open_data(county)
    entries = inbox_entries(db)
    db.close()
    verified = sum(1 for e in entries if e.label == "待导入")
    delivered = sum(1 for s in results.values() if s == "delivered")
    print(f"  {delivered}/{offices} delivered with a verified receipt, {verified} verified in the county's inbox,"
          f" {len(entries)} listed, in {elapsed:.1f} s; service peak memory {peak:.0f} MB")  # fmt: skip


def _head() -> object:
    from core.actor import Actor, Role, Station

    return Actor("张所长", Role.HEAD, Station.TOWN)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=int, default=1024)
    parser.add_argument("--offices", type=int, default=50)
    parser.add_argument("--attachment-mb", type=int, default=3)
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--skip-throughput", action="store_true")
    args = parser.parse_args()
    if not args.skip_throughput:
        throughput(args.mb)
    if not args.skip_load:
        load(args.offices, args.attachment_mb)


if __name__ == "__main__":
    main()
