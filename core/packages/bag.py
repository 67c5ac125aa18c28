"""Batch packages as BagIt bags (RFC 8493), format version 2 (#14).

A county archivist can check a batch with any BagIt tool (bagit-python's `bagit.py --validate`
after unzipping). The zip holds one bag in one top-level folder named like the file:

    batch-533422101-00001/
        bagit.txt                "BagIt-Version: 1.0" and the tag files' encoding
        data/cases/<uuid>.json   the payload: the same members as version 1, under data/
        data/attachments/<sha256>
        data/roster/roster.xlsx  (and the printed rosters)
        manifest-sha256.txt      "<sha256>  data/<member>" for every payload file
        header.json              our header, a tag file (format_version 2)
        signature.ed25519        32 bytes public key + 64 bytes signature, a tag file
        bag-info.txt             Source-Organization, Bagging-Date, Payload-Oxum, External-Identifier
        tagmanifest-sha256.txt   sha256 of every tag file above

The signature covers the header and the payload manifest, as in version 1 (format.signed_message);
the header is no longer listed in the payload manifest, since it is not payload. Version 1
packages (no bag) are still read. Inside the program members are named as in version 1
(`cases/<uuid>.json`): PackageZip maps the names, so verification and import read both.
"""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.packages import format as f
from core.packages.keys import raw_public
from core.packages.writer import PackageWriter, Progress

BAGIT = "bagit.txt"
BAG_INFO = "bag-info.txt"
TAG_MANIFEST = "tagmanifest-sha256.txt"
PAYLOAD = "data/"
BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
BAG_TAGS = frozenset({BAGIT, BAG_INFO, TAG_MANIFEST})
# The tag files a version 2 package holds besides the payload, by their names inside the program.
TAG_FILES = BAG_TAGS | {f.HEADER, f.MANIFEST, f.SIGNATURE}
Reject = Callable[[str, str], Exception]


class PackageZip(zipfile.ZipFile):
    """A package zip read by the names of version 1, whichever version it is.

    In a bag, `base/data/cases/x.json` is read as `cases/x.json` and `base/header.json` as
    `header.json`; anything else keeps its name in the zip (so it shows as an extra member).
    `raw_names` are the names as they are in the zip, for the checks of names.
    """

    def __init__(self, path: Path | BinaryIO) -> None:
        super().__init__(path)
        self.raw_names = super().namelist()
        self.base = bag_base(self.raw_names)
        self._names = {self._logical(n): n for n in self.raw_names} if self.base else {}

    @property
    def is_bag(self) -> bool:
        return self.base is not None

    def _logical(self, raw: str) -> str:
        prefix = f"{self.base}/"
        if raw.startswith(prefix + PAYLOAD):
            return raw.removeprefix(prefix + PAYLOAD)
        if raw.startswith(prefix) and raw.removeprefix(prefix) in TAG_FILES:
            return raw.removeprefix(prefix)
        return raw

    def namelist(self) -> list[str]:
        return list(self._names) if self.base else self.raw_names

    def getinfo(self, name: str) -> zipfile.ZipInfo:
        return super().getinfo(self._names.get(name, name) if self.base else name)


def bag_base(names: list[str]) -> str | None:
    """The bag's folder when the zip holds `<folder>/bagit.txt` at its top, else None."""
    found = sorted(
        n.removesuffix(f"/{BAGIT}") for n in names if n.count("/") == 1 and n.endswith(f"/{BAGIT}")
    )
    return found[0] if found else None


def open_package(path: Path) -> PackageZip:
    return PackageZip(path)


def payload_manifest(manifest: dict[str, str], reject: Reject) -> dict[str, str]:
    """A bag's manifest by the names inside the program: every line must name a file under data/."""
    if any(not name.startswith(PAYLOAD) for name in manifest):
        raise reject(
            "PKG_BAG_INVALID", "数据包的文件清单中有不在 data/ 文件夹下的文件，不是有效的 BagIt 包。"
        )
    return {name.removeprefix(PAYLOAD): digest for name, digest in manifest.items()}


def check_tags(zf: PackageZip, manifest: dict[str, str], reject: Reject) -> None:
    """bagit.txt as written, bag-info.txt's Payload-Oxum, and every hash of tagmanifest-sha256.txt."""
    for name in (BAGIT, BAG_INFO, TAG_MANIFEST):
        if name not in zf.namelist():
            raise reject("PKG_BAG_INVALID", f"数据包缺少 BagIt 文件 {name}，数据包不能使用。")
    if _read(zf, BAGIT, reject) != BAGIT_TXT:
        raise reject("PKG_BAG_INVALID", "数据包的 bagit.txt 内容不对，不是本程序写出的 BagIt 包。")
    oxum = f"{sum(zf.getinfo(n).file_size for n in manifest)}.{len(manifest)}"
    if _info_fields(_read(zf, BAG_INFO, reject)).get("Payload-Oxum") != oxum:
        raise reject("PKG_BAG_INVALID", "数据包 bag-info.txt 中的文件数或总大小与内容不符。")
    listed = f.parse_manifest(_read(zf, TAG_MANIFEST, reject), allow_control=True)
    wanted = {BAGIT, BAG_INFO, f.MANIFEST, f.HEADER, f.SIGNATURE}
    if listed is None or set(listed) != wanted:
        raise reject("PKG_BAG_INVALID", "数据包的 tagmanifest-sha256.txt 格式不对或缺少文件。")
    for name, digest in listed.items():
        if hashlib.sha256(_read(zf, name, reject)).hexdigest() != digest:
            raise reject("PKG_BAG_INVALID", f"数据包中的 {name} 与 tagmanifest-sha256.txt 中的校验值不符。")


MAX_TAG_BYTES = 16 << 20


def _read(zf: PackageZip, name: str, reject: Reject) -> bytes:
    """A tag file, or the package refused as damaged: never a zip error's traceback."""
    try:
        if zf.getinfo(name).file_size > MAX_TAG_BYTES:
            raise ValueError(name)
        return zf.read(name)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError):
        raise reject("PKG_MEMBER_CORRUPT", f"数据包中的 {name} 已损坏，无法读出。") from None


def _info_fields(data: bytes) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in data.decode("utf-8", errors="replace").splitlines():
        label, sep, value = line.partition(":")
        if sep:
            fields[label.strip()] = value.strip()
    return fields


def bag_info(header: dict[str, object], oxum: str) -> bytes:
    lines = [
        f"Source-Organization: {header.get('office_name', '')}",
        f"Bagging-Date: {str(header.get('created_at', ''))[:10]}",
        f"External-Identifier: {header.get('office_code')}-{header.get('number')}",
        f"External-Description: SubsidyDesk batch, format version {header.get('format_version')}",
        f"Payload-Oxum: {oxum}",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


class BagWriter:
    """PackageWriter for a bag: payload under `<base>/data/`, tag files written by `seal`."""

    def __init__(self, target: Path, progress: Progress | None = None) -> None:
        self.writer = PackageWriter(target, progress, prefix=target.name.removesuffix(".zip") + "/")

    def __enter__(self) -> BagWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.writer.__exit__(exc_type, exc, tb)

    def add_bytes(self, name: str, data: bytes, stored: bool = False) -> str:
        return self.writer.add_bytes(PAYLOAD + name, data, stored)

    def add_file(self, name: str, source: Path, stored: bool) -> str:
        return self.writer.add_file(PAYLOAD + name, source, stored)

    def seal(self, kind: str, key: Ed25519PrivateKey, header: dict[str, object]) -> Path:
        """Write the tag files (the signature over header and manifest among them) and commit."""
        header_bytes = f.canonical_json(header)
        manifest = f.render_manifest(self.writer.hashes)
        signature = raw_public(key.public_key()) + key.sign(f.signed_message(kind, header_bytes, manifest))
        oxum = f"{self.writer.bytes_written}.{len(self.writer.hashes)}"
        tags = {
            BAGIT: BAGIT_TXT,
            f.MANIFEST: manifest,
            f.HEADER: header_bytes,
            f.SIGNATURE: signature,
            BAG_INFO: bag_info(header, oxum),
        }
        for name, data in tags.items():
            self.writer.add_control(name, data)
        digests = {name: hashlib.sha256(data).hexdigest() for name, data in tags.items()}
        self.writer.add_control(TAG_MANIFEST, f.render_manifest(digests))
        return self.writer.commit()
