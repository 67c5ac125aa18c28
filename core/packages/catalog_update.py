"""Catalog update packages: the county signs a new catalog version; every town verifies and installs it.

Like a result package (core/packages/results.py), a zip with a header, one payload member, a
sha256 manifest and an Ed25519 signature by the county key, under its own signing tag so no
other package can pass for one:

    header.json              kind subsidydesk-catalog, the catalog id, its new version, the
                             version it replaces, the sha256 of the catalog file, who and when
    catalog/<id>.json        the whole catalog file, as the town will install it

Installed files go into the data folder (core/policy/installed.py); the program's own files
are never touched, and the file an update replaces is kept under `policies/replaced/`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from core.files import fsync_directory, write_atomically
from core.packages import format as f
from core.packages.keys import AllowedKey, raw_public
from core.packages.members import read_verified
from core.packages.verify import Rejected, Verification, _verify
from core.packages.writer import PackageWriter
from core.policy.installed import REPLACED_DIRNAME, installed_dir, read_head
from core.policy.service import forget_cached

_UPDATE_FIELDS = {"catalog_id": str, "version": str, "replaces": str, "catalog_sha256": str}
MAX_CATALOG_BYTES = 8 << 20  # the largest shipped catalog is about 200 kB


def catalog_member(catalog_id: str) -> str:
    return f"catalog/{catalog_id}.json"


def package_file_name(catalog_id: str, version: str) -> str:
    return f"catalog-{catalog_id}-{version}.zip"


@dataclass(frozen=True)
class UpdatePackage:
    path: Path
    catalog_id: str
    version: str
    manifest_sha256: str


def write_update(target: Path, key: Ed25519PrivateKey, header: dict[str, Any], data: bytes) -> None:
    """Write the signed package atomically (a `.partial` file until it is complete)."""
    header_bytes = f.canonical_json(header)
    with PackageWriter(target) as writer:
        writer.add_bytes(f.HEADER, header_bytes)
        writer.add_bytes(catalog_member(header["catalog_id"]), data)
        manifest = f.render_manifest(writer.hashes)
        writer.add_control(f.MANIFEST, manifest)
        signature = key.sign(f.signed_message(f.KIND_CATALOG, header_bytes, manifest))
        writer.add_control(f.SIGNATURE, raw_public(key.public_key()) + signature)
        writer.commit()


def verify_catalog_update(path: Path, county_key: Ed25519PublicKey) -> Verification:
    """Verify an update against the county's public key: signature, every hash, the header."""
    trusted = AllowedKey("county", county_key.public_bytes_raw(), dt.datetime.min)
    result = _verify(path, f.KIND_CATALOG, lambda fp: trusted if fp == trusted.fingerprint else None)
    if result.ok:
        try:
            _check_header(result)
        except Rejected as exc:
            result.problems.append(exc.problem)
    return result


def _check_header(result: Verification) -> None:
    h = result.header
    if any(not isinstance(h.get(k), t) for k, t in _UPDATE_FIELDS.items()):
        raise Rejected("PKG_HEADER_INVALID", "更新包的说明（header.json）缺少必要的项目。", f.HEADER)
    member = catalog_member(h["catalog_id"])
    if not f.is_safe_name(member) or set(result.manifest) != {f.HEADER, member}:
        raise Rejected("PKG_MEMBER_EXTRA", "更新包中的文件与说明不符，更新包不能使用。")
    if result.manifest[member] != h["catalog_sha256"]:
        raise Rejected("PKG_HASH_MISMATCH", "更新包中的目录文件与说明中的校验值不符。", member)


def read_catalog_file(path: Path, verification: Verification) -> bytes:
    """The catalog file of a verified package, its hash checked again as it is read."""
    member = catalog_member(verification.header["catalog_id"])
    with zipfile.ZipFile(path) as zf:
        if zf.getinfo(member).file_size > MAX_CATALOG_BYTES:
            raise Rejected("PKG_MEMBER_TOO_LARGE", "更新包中的目录文件大得不正常。", member)
        return read_verified(zf, member, verification.manifest)


INSTALLING_SUFFIX = ".installing.json"  # beside the installed file while its transaction runs


@dataclass(frozen=True)
class Installed:
    """What installing changed on disk, so a failed transaction can put it back.

    A journal beside the file names the version and the file it replaced until the caller's
    transaction has committed (`done`); a kill in between leaves the journal, and the next start
    (`pending_installs`) either keeps the file, when the transaction's audit event is there, or
    puts the replaced file back: all or nothing, like the database."""

    target: Path
    previous: Path | None  # where the replaced installed file was kept
    journal: Path | None = None
    version: str = ""

    def undo(self) -> None:
        if self.previous is not None:
            if self.previous.exists():
                os.replace(self.previous, self.target)
        else:
            self.target.unlink(missing_ok=True)
        fsync_directory(self.target.parent)
        forget_cached(self.target.parent)
        self.done()

    def done(self) -> None:
        """The transaction committed: the install stands."""
        if self.journal is not None:
            self.journal.unlink(missing_ok=True)


def install_file(data_dir: Path, catalog_id: str, data: bytes) -> Installed:
    """Install a catalog file in the data folder, keeping the installed file it replaces.

    The caller calls `done()` once its transaction has committed, `undo()` if it failed."""
    folder = installed_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{catalog_id}.json"
    previous = None
    if target.exists():
        head = read_head(target) or {}
        digest = hashlib.sha256(target.read_bytes()).hexdigest()[:12]
        previous = folder / REPLACED_DIRNAME / f"{catalog_id}-{head.get('version', '')}-{digest}.json"
        previous.parent.mkdir(exist_ok=True)
    version = str(_version_of(data))
    journal = folder / f"{catalog_id}{INSTALLING_SUFFIX}"
    note = {"target": target.name, "previous": str(previous) if previous else None, "version": version}
    write_atomically(journal, json.dumps(note).encode())
    installed = Installed(target, previous, journal, version)
    try:
        if previous is not None:
            os.replace(target, previous)
        write_atomically(target, data)
    except BaseException:
        installed.undo()
        raise
    forget_cached(folder)
    return installed


def _version_of(data: bytes) -> str:
    try:
        return str(json.loads(data).get("version", ""))
    except (ValueError, AttributeError):
        return ""


def pending_installs(data_dir: Path) -> list[tuple[str, Installed]]:
    """Installs a kill interrupted before their transaction's end: (catalog id, what to undo)."""
    folder = installed_dir(data_dir)
    if not folder.is_dir():
        return []
    found = []
    for journal in sorted(folder.glob(f"*{INSTALLING_SUFFIX}")):
        catalog_id = journal.name[: -len(INSTALLING_SUFFIX)]
        try:
            note = json.loads(journal.read_text("utf-8"))
            previous = Path(note["previous"]) if note.get("previous") else None
            found.append(
                (
                    catalog_id,
                    Installed(folder / f"{catalog_id}.json", previous, journal, str(note.get("version", ""))),
                )
            )
        except (OSError, ValueError, KeyError, TypeError):
            journal.unlink(missing_ok=True)  # a journal cut short: its install never began
    return found
