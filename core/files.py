"""Writing files so that a crash or a full disk never leaves a half-written one behind.

Also the clerk's words for what a disk refused (full, read-only, gone): every write path turns
its OSError into one of these, so no English strerror and no traceback reaches a user.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from pathlib import Path

from core.errors import SubsidyDeskError

TEMP_SUFFIX = ".part"  # write_atomically's temporary files: `.{name}.XXXX.part`
_MB = 1024 * 1024
# What a disk, rather than a file, refuses: full, read-only, or gone (a stick pulled out).
DISK_ERRNOS = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EIO, errno.ENODEV, errno.ENXIO}
)


def fsync_directory(folder: Path) -> None:
    """Make a rename in `folder` durable (a power cut is harsher than a kill); a no-op on Windows."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(target: Path, data: bytes) -> None:
    """Write to a temporary name in the same folder, fsync, os.replace (atomic on Windows too),
    then fsync the folder so that the new name survives a power cut."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_directory(target.parent)


def remove_temp_files(root: Path) -> list[Path]:
    """Remove the temporary files a killed `write_atomically` left under `root`; returns them.

    Only our own names are touched: `.*.part` (write_atomically) and `.part-*` (a scan extracted
    from a batch at the county, core/packages/members.py). Called at start-up while the program
    holds the data folder, so no other writer of ours can be using them."""
    removed: list[Path] = []
    if not root.is_dir():
        return removed
    for path in sorted({*root.rglob(f".*{TEMP_SUFFIX}"), *root.rglob(".part-*")}):
        try:
            path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed


def free_bytes(place: Path) -> int | None:
    """Free space where `place` is (or its nearest existing parent); None when it cannot be told."""
    for candidate in (place, *place.parents):
        try:
            return shutil.disk_usage(candidate).free
        except OSError:
            continue
    return None


def _mb(n: int) -> str:
    return f"{max(1, -(-n // _MB))}MB"


def disk_error(exc: OSError, what: str, place: Path, needed: int | None = None) -> SubsidyDeskError:
    """What the disk refused, in the clerk's words: `what` names the place (数据所在的磁盘, U盘).

    A full disk says how much is needed and how much is left, when known."""
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        free = free_bytes(place)
        need = f"还需要约{_mb(needed)}，" if needed else ""
        left = f"只剩{_mb(free) if free else '不到1MB'}。" if free is not None else ""
        return SubsidyDeskError(
            "DISK_FULL", f"{what}（{place}）已满：{need}{left}请清理空间或换一个位置后再试。"
        )
    if code in (errno.EROFS, errno.EACCES, errno.EPERM):
        return SubsidyDeskError(
            "DISK_READ_ONLY",
            f"{what}（{place}）是只读的或不允许写入（U盘的写保护开关是否打开？），请换一个位置后再试。",
        )
    if code in (errno.ENOENT, errno.EIO, errno.ENODEV, errno.ENXIO, errno.ESTALE):
        return SubsidyDeskError(
            "DISK_GONE", f"{what}（{place}）无法读写：U盘可能已被拔出或已损坏。请重新插好后再试。"
        )
    return SubsidyDeskError("DISK_WRITE_FAILED", f"写入{what}（{place}）失败，请检查磁盘后再试。")
