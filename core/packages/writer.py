"""Writing a package: a zip streamed member by member, hashed while written, replaced atomically.

The zip is written under a temporary name in the target folder, flushed and fsynced, then
renamed into place (os.replace) and the folder fsynced. Until the rename there is no file with
the package's name; an interrupted write leaves at most a `.partial` file that never verifies.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

CHUNK = 1 << 20
# Formats that are already compressed: deflating them again costs time and saves nothing.
STORED_TYPES = frozenset({"image/jpeg", "image/png", "application/pdf", "application/zip"})
STORED_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".pdf", ".zip", ".xlsx", ".docx"})
# A fixed member time: the package's content, not the clock, decides its bytes.
_MEMBER_TIME = (2020, 1, 1, 0, 0, 0)

Progress = Callable[[int], None]


def is_precompressed(media_type: str, filename: str) -> bool:
    return media_type in STORED_TYPES or Path(filename).suffix.lower() in STORED_SUFFIXES


def fsync_directory(folder: Path) -> None:
    """Make the rename durable; not possible (nor needed) on Windows."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def partial_path(target: Path) -> Path:
    """Where a package is written before the rename: a hidden name that never verifies."""
    return target.with_name(f".{target.name}.partial")


def remove_partials(folder: Path, prefix: str) -> tuple[list[Path], list[Path]]:
    """Remove the `.partial` files a killed write of ours left in `folder`: (removed, not removable).

    PackageWriter removes its partial file on any exception, but not when the process dies
    (power cut, the program killed, the stick pulled). Only our own names (`.{prefix}*.partial`)
    are touched. A file that cannot be removed (still open on Windows, a read-only stick) is
    returned for the caller to report.
    """
    removed: list[Path] = []
    stuck: list[Path] = []
    for path in sorted(folder.glob(f".{prefix}*.partial")):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError:
            stuck.append(path)
        else:
            removed.append(path)
    return removed, stuck


class PackageWriter:
    """Use as a context manager; leaving it by an exception removes the partial file."""

    def __init__(self, target: Path, progress: Progress | None = None, prefix: str = "") -> None:
        self.target = target
        self.prefix = prefix  # a folder every member goes into (a BagIt bag's, core/packages/bag.py)
        self.partial = partial_path(target)
        self.progress = progress
        self.hashes: dict[str, str] = {}
        self.bytes_written = 0
        self._file: BinaryIO = self.partial.open("wb")
        self._zip = zipfile.ZipFile(self._file, "w", allowZip64=True)

    def __enter__(self) -> PackageWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is not None:
            self.abort()

    def _info(self, name: str, stored: bool) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(self.prefix + name, date_time=_MEMBER_TIME)
        info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        return info

    def add_bytes(self, name: str, data: bytes, stored: bool = False) -> str:
        digest = hashlib.sha256(data).hexdigest()
        with self._zip.open(self._info(name, stored), "w") as out:
            out.write(data)
        return self._done(name, digest, len(data))

    def add_file(self, name: str, source: Path, stored: bool) -> str:
        """Stream a file into the zip, hashing as it goes; returns its sha256."""
        sha = hashlib.sha256()
        size = 0
        with source.open("rb") as src, self._zip.open(self._info(name, stored), "w", force_zip64=True) as out:
            while chunk := src.read(CHUNK):
                sha.update(chunk)
                out.write(chunk)
                size += len(chunk)
                if self.progress:
                    self.progress(len(chunk))
        return self._done(name, sha.hexdigest(), size)

    def _done(self, name: str, digest: str, size: int) -> str:
        self.hashes[name] = digest
        self.bytes_written += size
        return digest

    def add_control(self, name: str, data: bytes) -> None:
        """The manifest and the signature: written, but not listed in the manifest."""
        with self._zip.open(self._info(name, stored=True), "w") as out:
            out.write(data)

    def commit(self) -> Path:
        """Close, flush to the disk, and rename into place."""
        self._zip.close()
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        os.replace(self.partial, self.target)
        fsync_directory(self.target.parent)
        return self.target

    def abort(self) -> None:
        # The write already failed; closing the zip may fail too, and only cleaning up matters.
        with contextlib.suppress(Exception):
            self._zip.close()
        self._file.close()
        self.partial.unlink(missing_ok=True)
