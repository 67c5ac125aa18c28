"""What a town refuses: a damaged or forged update, another catalog's, an older one, a clerk's hand."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.app.catalog_updates import inspect_update, install_update
from core.errors import SubsidyDeskError
from core.packages.keys import COUNTY_PUBLIC, KeyStore
from core.policy.update import UpdateChanges
from core.resources import resource_dir
from tests.catalog_updates.conftest import CLERK, HEAD, issue
from tests.packages.tamper import flip_middle, members_of, replace, resign, write_zip

ADVISORY = UpdateChanges(readings={"R-q8-startup-window": "advisory"})


def refused(town, path: Path) -> str:
    with pytest.raises(SubsidyDeskError) as exc:
        inspect_update(town.db, HEAD, path=path)
    return exc.value.code


def test_a_changed_catalog_file_is_refused(town, county, usb) -> None:
    path = issue(county, usb)
    members = members_of(path)
    [name] = [n for n, _ in members if n.startswith("catalog/")]
    tampered = write_zip(usb / "tampered.zip", replace(members, name, flip_middle(dict(members)[name])))
    assert refused(town, tampered) == "PKG_HASH_MISMATCH"
    assert not (town.data_dir / "policies").exists()


def test_an_update_signed_by_another_key_is_refused(town, county, usb) -> None:
    members = resign(members_of(issue(county, usb)), Ed25519PrivateKey.generate(), version="9.9.9")
    assert refused(town, write_zip(usb / "forged.zip", members)) == "PKG_KEY_NOT_ALLOWED"


def test_a_signature_made_for_another_kind_of_package_does_not_pass(town, county, usb) -> None:
    """Even the county's own key: a signature under another package kind's tag is no update's."""
    members = resign(members_of(issue(county, usb)), KeyStore(county.data_dir).county_key())
    assert refused(town, write_zip(usb / "batch-signed.zip", members)) == "PKG_SIGNATURE_INVALID"


def test_an_update_for_another_catalog_is_refused(town, county, usb) -> None:
    fengdu = UpdateChanges(readings={"R-hiring-once": "per_person"})
    assert refused(town, issue(county, usb, fengdu, "fengdu-2021")) == "CATALOG_UPDATE_OTHER_CATALOG"


def test_an_older_update_is_refused_and_the_same_one_is_already_installed(town, county, usb) -> None:
    first = issue(county, usb)
    second = issue(county, usb, ADVISORY)
    offer = inspect_update(town.db, HEAD, path=second)
    assert offer.version_to == "1.1.0.2"
    install_update(town.db, HEAD, path=second, manifest_sha256=offer.manifest_sha256)
    assert refused(town, first) == "CATALOG_UPDATE_OLDER"
    assert refused(town, second) == "CATALOG_UPDATE_ALREADY_INSTALLED"


def test_only_the_office_head_installs_and_the_program_files_stay(town, county, usb) -> None:
    shipped = resource_dir("policies") / "qianyang-2021.json"
    digest = hashlib.sha256(shipped.read_bytes()).hexdigest()
    path = issue(county, usb)
    offer = inspect_update(town.db, CLERK, path=path)
    with pytest.raises(SubsidyDeskError) as exc:
        install_update(town.db, CLERK, path=path, manifest_sha256=offer.manifest_sha256)
    assert exc.value.code == "ROLE_REQUIRED"
    install_update(town.db, HEAD, path=path, manifest_sha256=offer.manifest_sha256)
    assert hashlib.sha256(shipped.read_bytes()).hexdigest() == digest


def test_a_town_without_the_county_key_cannot_check_an_update(town, county, usb) -> None:
    path = issue(county, usb)
    (KeyStore(town.data_dir).folder / COUNTY_PUBLIC).unlink()
    assert refused(town, path) == "CATALOG_UPDATE_NO_COUNTY_KEY"
