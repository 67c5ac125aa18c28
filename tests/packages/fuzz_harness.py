"""Bad packages against the program's three readers of packages (#14), for the fuzz tests and
bench/fuzz_packages.py: the county's batch import, the town's results import and the town's
catalog update check. A crash is any exception other than SubsidyDeskError (a Chinese refusal)
or, through the command line, an exit code other than the documented 0, 2 and 9.

Each import runs in a transaction that is rolled back, so every input meets the same state.
"""

from __future__ import annotations

import collections
import contextlib
import io
import logging
import random
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.actor import STATION_ROLES, Actor, Role, Station
from core.db import Database, open_database
from core.errors import SubsidyDeskError
from core.operator import save_station
from core.packages import format as f
from core.packages.keys import KeyStore, public_pem
from core.packages.registry import register_office_key
from tests.logins import add_account, password_file
from tests.packages.conftest import Site, make_town
from tests.packages.package_mutations import mutate

DOCUMENTED_EXITS = (0, 2, 9)
HEAD = Actor("赵所长", {Role.HEAD, Role.ADMIN}, Station.TOWN)
OFFICER = Actor("王审核", {Role.REVIEWER, Role.ADMIN}, Station.COUNTY)


@dataclass
class Harness:
    root: Path
    town: Site
    county: Site
    catalog_town: Database
    catalog_town_dir: Path
    good: dict[str, bytes] = field(default_factory=dict)
    # A county that has imported nothing yet: a hostile batch reaches the import of its cases.
    fresh: Site | None = None

    def close(self) -> None:
        for db in (self.town.db, self.county.db, self.catalog_town, *([self.fresh.db] if self.fresh else [])):
            db.close()


def build(root: Path) -> Harness:
    """A town with an exported batch, a county that decided it, and a town on Qianyang's catalog."""
    from core.app.batches import export_batch
    from core.app.county import approve, export_results, import_package
    from core.app.county_catalogs import issue_update
    from core.settings import OfficeInput, save_office
    from tests.catalog_updates.conftest import CATALOG, EXTENSION

    town = make_town(root, "533422101", "升平镇")
    county_dir = root / "county"
    save_station(county_dir, "county")
    county_db = open_database(county_dir)
    add_account(county_db, OFFICER.name, *STATION_ROLES[Station.COUNTY])  # whom the command line logs in as
    county = Site(
        county_dir, county_db, "county", actor=OFFICER, password_file=password_file(root / "pw-county")
    )
    with county.db.session() as s, s.begin():
        register_office_key(s, town.code, town.public_key_file(), "admin", "升平镇劳动保障事务所")
    town.keys.set_county_public(public_pem(county.keys.county_key().public_key()))
    town.add_case("张三", "53342219900101123", 50000, (b"%PDF-1.4 id card", b"contract"))
    town.add_case("李四", "53342219910202123", 30000, (b"%PDF-1.4 id card 2",))
    usb = root / "usb"
    usb.mkdir()
    batch = export_batch(town.db, town.actor, folder=usb)
    good = {"batch": batch.path.read_bytes()}
    report = import_package(county.db, county.actor, path=batch.path)
    approve(county.db, county.actor, uuid=report.cases[0].uuid)
    good["results"] = export_results(
        county.db, county.actor, office_code=town.code, folder=usb
    ).path.read_bytes()
    catalog_dir = root / "catalog-town"
    catalog_town = open_database(catalog_dir)
    with catalog_town.session() as s, s.begin():
        save_office(s, OfficeInput("610328", "水沟镇", "水沟镇劳动保障事务所", "", CATALOG), "t")
    KeyStore(catalog_dir).set_county_public(public_pem(county.keys.county_key().public_key()))
    good["catalog"] = issue_update(
        county.db, county.actor, catalog_id=CATALOG, changes=EXTENSION, folder=usb
    ).path.read_bytes()
    fresh = Site(root / "county-fresh", open_database(root / "county-fresh"), "county", actor=OFFICER)
    with fresh.db.session() as s, s.begin():
        register_office_key(s, town.code, town.public_key_file(), "admin", "升平镇劳动保障事务所")
    return Harness(root, town, county, catalog_town, catalog_dir, good, fresh)


def _rolled_back(db: Database) -> Iterator[object]:
    with db.session() as s:
        try:
            yield s
        finally:
            s.rollback()


def read_batch(h: Harness, path: Path) -> str:
    from core.packages.county_import import import_package

    assert h.fresh is not None
    with contextlib.contextmanager(_rolled_back)(h.fresh.db) as s:
        return str(import_package(s, h.fresh.data_dir, path, "fuzz").verification.code)  # type: ignore[arg-type]


def read_results(h: Harness, path: Path) -> str:
    from core.packages.town_results import import_results

    with contextlib.contextmanager(_rolled_back)(h.town.db) as s:
        return str(import_results(s, h.town.data_dir, path, "fuzz").verification.code)  # type: ignore[arg-type]


def read_catalog(h: Harness, path: Path) -> str:
    from core.app.catalog_updates import inspect_update

    inspect_update(h.catalog_town, HEAD, path=path)
    return "PKG_OK"


READERS: dict[str, tuple[str, Callable[[Harness, Path], str]]] = {
    "batch": (f.KIND_BATCH, read_batch),
    "results": (f.KIND_RESULTS, read_results),
    "catalog": (f.KIND_CATALOG, read_catalog),
}


def signing_key(h: Harness, target: str) -> Ed25519PrivateKey:
    return h.town.keys.office_key() if target == "batch" else h.county.keys.county_key()


@dataclass
class Tally:
    outcomes: collections.Counter[str] = field(default_factory=collections.Counter)
    crashes: collections.Counter[str] = field(default_factory=collections.Counter)
    examples: list[str] = field(default_factory=list)


def run_one(h: Harness, target: str, seed: int, tally: Tally) -> None:
    kind, reader = READERS[target]
    data = mutate(h.good[target], signing_key(h, target), kind, random.Random(seed))
    path = h.root / f"fuzz-{target}.zip"
    path.write_bytes(data)
    try:
        tally.outcomes[reader(h, path)] += 1
    except SubsidyDeskError as exc:
        tally.outcomes[exc.code] += 1
    except Exception as exc:  # what the fuzzer is looking for
        tally.crashes[type(exc).__name__] += 1
        if len(tally.examples) < 5:
            tally.examples.append(f"{target} seed {seed}: {''.join(traceback.format_exception(exc)[-3:])}")


def run_cli(h: Harness, target: str, seed: int) -> int:
    """One bad package through the command line; its exit code."""
    from main import main

    kind, _ = READERS[target]
    data = mutate(h.good[target], signing_key(h, target), kind, random.Random(seed))
    path = h.root / f"fuzz-cli-{target}.zip"
    path.write_bytes(data)
    command = {"batch": "verify", "results": "import-results"}[target]  # no command reads catalogs
    site = h.county if target != "results" else h.town
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        logging.disable(logging.CRITICAL)
        try:
            return main(site.cli(command, str(path)))
        finally:
            logging.disable(logging.NOTSET)
