"""Small real filesystems for the full-disk and pulled-stick tests.

As root (CI's container, this machine) each is a tmpfs of the given size mounted for the test:
the disk is really full, SQLite and every write path meet a real ENOSPC, and a lazy unmount pulls
the stick out from under an open file. Where mounting is not allowed the same tests run against a
plain folder with the refusal injected (`FullDisk.real` is then False): files under the folder
fail their fsync with ENOSPC, and SQLite's page count is capped so it reports "database or disk
is full" itself.
"""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

CHUNK = 64 * 1024


@dataclass
class FullDisk:
    folder: Path
    real: bool
    filler: Path | None = None

    def fill(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Leave (next to) no free space."""
        if not self.real:
            _inject(self.folder, monkeypatch)
            return
        self.filler = self.folder / "filler.bin"
        with self.filler.open("wb") as out:
            try:
                while True:
                    out.write(b"\0" * CHUNK)
                    out.flush()
            except OSError as exc:
                assert exc.errno == errno.ENOSPC

    def free(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Make room again (the clerk cleaned up the disk)."""
        if self.filler is not None:
            self.filler.unlink()
            self.filler = None
        monkeypatch.undo()

    def pull(self) -> None:
        """The stick is pulled out: the folder no longer leads to it (open files go on, detached)."""
        subprocess.run(["umount", "-l", str(self.folder)], check=True)


def _mount(folder: Path, size_kb: int, read_only: bool) -> bool:
    if os.name != "posix" or os.geteuid() != 0:
        return False
    options = f"size={size_kb}k" + (",ro" if read_only else "")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
    return done.returncode == 0


@contextmanager
def small_disk(folder: Path, size_kb: int, read_only: bool = False) -> Iterator[FullDisk]:
    folder.mkdir(parents=True)
    real = _mount(folder, size_kb, read_only)
    if not real and read_only:
        folder.chmod(0o555)
    try:
        yield FullDisk(folder, real)
    finally:
        if real:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def _inject(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_fsync = os.fsync
    prefix = str(folder)

    def fsync(fd: int) -> None:
        if os.readlink(f"/proc/self/fd/{fd}").startswith(prefix):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    from core.db import engine

    apply = engine._apply_pragmas

    def capped(conn: object) -> None:
        apply(conn)
        cur = conn.cursor()  # type: ignore[attr-defined]
        count = cur.execute("PRAGMA page_count").fetchone()[0]
        cur.execute(f"PRAGMA max_page_count={count}")
        cur.close()

    monkeypatch.setattr(engine, "_apply_pragmas", capped)
