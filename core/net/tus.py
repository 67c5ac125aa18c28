"""The parts of tus 1.0 (https://tus.io/protocols/resumable-upload) both sides need.

Extensions used: creation, checksum (sha256 and sha1, the one every server must know),
termination. Metadata values are base64, as the protocol says.
"""

from __future__ import annotations

import base64
import hashlib

from core.errors import SubsidyDeskError

VERSION = "1.0.0"
EXTENSIONS = "creation,checksum,termination"
CHECKSUM_ALGORITHMS = ("sha256", "sha1")
OFFSET_CONTENT_TYPE = "application/offset+octet-stream"
# The status tus's checksum extension gives a chunk whose checksum does not match.
CHECKSUM_MISMATCH = 460


class ProtocolError(SubsidyDeskError):
    """A tus header that cannot be understood."""


def encode_metadata(values: dict[str, str]) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode('utf-8')).decode('ascii')}" for k, v in values.items())


def decode_metadata(header: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for pair in filter(None, (p.strip() for p in header.split(","))):
        key, _, value = pair.partition(" ")
        if not key or key in found:
            raise ProtocolError("TUS_METADATA", "上传请求的附加信息格式不对。")
        try:
            found[key] = base64.b64decode(value, validate=True).decode("utf-8") if value else ""
        except ValueError:
            raise ProtocolError("TUS_METADATA", "上传请求的附加信息格式不对。") from None
    return found


def checksum_header(data: bytes, algorithm: str = "sha256") -> str:
    digest = hashlib.new(algorithm, data).digest()
    return f"{algorithm} {base64.b64encode(digest).decode('ascii')}"


def parse_checksum(header: str) -> tuple[str, bytes]:
    algorithm, _, value = header.strip().partition(" ")
    if algorithm not in CHECKSUM_ALGORITHMS:
        raise ProtocolError("TUS_CHECKSUM_ALGORITHM", "不支持这种校验算法。")
    try:
        return algorithm, base64.b64decode(value, validate=True)
    except ValueError:
        raise ProtocolError("TUS_CHECKSUM", "上传请求的校验值格式不对。") from None


def parse_count(value: str | None, what: str) -> int:
    """Upload-Length and Upload-Offset: a non-negative decimal integer, nothing else."""
    if value is None or not value.isdigit() or len(value) > 15:
        raise ProtocolError("TUS_" + what.upper(), f"上传请求缺少或写错了{_NAMES.get(what, what)}。")
    return int(value)


_NAMES = {"length": "文件长度", "offset": "续传位置"}
