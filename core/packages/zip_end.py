"""Where a package file ends: cut off, followed by bytes that are not ours, or carrying a comment.

Our packages end with the zip's end-of-central-directory record and no comment. A file cut
off during copying (the stick pulled) has no such record of its own; a file with bytes
appended, or an archive comment added, has one that is not at the very end. Each is told as
what it is (#13): "文件被截断" for an appended comment would send the clerk looking for the
wrong fault. The outer record is told from the one of the roster workbook stored inside
(itself a zip) by where it says its central directory is: right before it.
"""

from __future__ import annotations

from pathlib import Path

_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_EOCD_SIZE = 22
_MAX_COMMENT = 0xFFFF

OK, TRUNCATED, COMMENT, APPENDED = "ok", "truncated", "comment", "appended"


def zip_ending(path: Path) -> str:
    """One of OK, TRUNCATED, COMMENT, APPENDED for a file that starts like a zip."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        start = max(size - _EOCD_SIZE - _MAX_COMMENT - 4096, 0)
        fh.seek(start)
        tail = fh.read()
    at = tail.rfind(_EOCD)
    while at >= 0:
        verdict = _judge(tail, at, start + at)
        if verdict is not None:
            return verdict
        at = tail.rfind(_EOCD, 0, at)
    return TRUNCATED


def _judge(tail: bytes, at: int, position: int) -> str | None:
    record = tail[at : at + _EOCD_SIZE]
    if len(record) < _EOCD_SIZE or not _is_outer(tail, at, record, position):
        return None
    comment = int.from_bytes(record[20:22], "little")
    rest = len(tail) - at - _EOCD_SIZE
    if rest == 0 and comment == 0:
        return OK
    if comment and rest == comment:
        return COMMENT
    return APPENDED if rest > comment else None


def _is_outer(tail: bytes, at: int, record: bytes, position: int) -> bool:
    cd_size = int.from_bytes(record[12:16], "little")
    cd_offset = int.from_bytes(record[16:20], "little")
    if 0xFFFFFFFF in (cd_size, cd_offset):  # zip64: the locator sits right before the record
        return at >= 20 and tail[at - 20 : at - 16] == _ZIP64_LOCATOR
    return cd_offset + cd_size == position
