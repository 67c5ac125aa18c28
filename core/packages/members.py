"""Reading members of a verified package, re-checking each hash as it is read.

The file may sit on a USB stick that changes between verification and import; every read is
checked again against the (signed) manifest, so a swapped file is caught, not imported.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from pathlib import Path

from core.files import fsync_directory
from core.packages.errors import PackageRejected
from core.packages.writer import CHUNK


def _changed(name: str) -> PackageRejected:
    return PackageRejected(
        "PKG_CHANGED_DURING_IMPORT", f"数据包中的文件 {name} 在核验之后被改动，导入已停止，没有保存任何数据。"
    )


def read_verified(zf: zipfile.ZipFile, name: str, manifest: dict[str, str]) -> bytes:
    data = zf.read(name)
    if hashlib.sha256(data).hexdigest() != manifest.get(name):
        raise _changed(name)
    return data


def extract_verified(zf: zipfile.ZipFile, name: str, expected: str, target: Path) -> None:
    """Copy a member to `target` (content-addressed, so an existing file is already right)."""
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-")
    sha = hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as out, zf.open(name) as src:
            while chunk := src.read(CHUNK):
                sha.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())  # a power cut must not leave an empty file under the hash's name
        if sha.hexdigest() != expected:
            raise _changed(name)
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
    fsync_directory(target.parent)
