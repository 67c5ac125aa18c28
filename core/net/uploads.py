"""Uploads in progress at the county's receiving service: one data file and one state file each.

The data streams to disk chunk by chunk (memory stays flat whatever the size); the state file
records the office, the declared length, the confirmed offset and the metadata, and is
replaced atomically after each chunk has been fsynced, so the offset the service confirms is
always on disk: after a crash or a restart the town resumes exactly there.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from core.errors import SubsidyDeskError
from core.files import write_atomically


class UploadError(SubsidyDeskError):
    """An upload request that cannot be applied; `status` is the HTTP status to answer."""

    def __init__(self, code: str, message_zh: str, status: int) -> None:
        super().__init__(code, message_zh)
        self.status = status


@dataclass
class Upload:
    id: str
    office_code: str
    length: int
    offset: int = 0
    metadata: dict[str, str] = field(default_factory=dict)
    created_at: str = ""
    done: bool = False  # received whole and handed over (receipt written)

    @property
    def complete(self) -> bool:
        return self.offset == self.length


class UploadStore:
    def __init__(self, folder: Path, max_bytes: int) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        folder.mkdir(parents=True, exist_ok=True)

    def data_path(self, upload_id: str) -> Path:
        return self.folder / f"{upload_id}.part"

    def _state_path(self, upload_id: str) -> Path:
        return self.folder / f"{upload_id}.json"

    def create(self, office_code: str, length: int, metadata: dict[str, str], created_at: str) -> Upload:
        if length > self.max_bytes:
            raise UploadError(
                "UPLOAD_TOO_LARGE",
                f"数据包有 {length / 1e6:.1f} MB，超过县局服务允许的 {self.max_bytes / 1e6:.0f} MB。请改用U盘报送。",
                413,
            )
        upload = Upload(secrets.token_hex(16), office_code, length, 0, metadata, created_at)
        self.data_path(upload.id).touch()
        self.save(upload)
        return upload

    def save(self, upload: Upload) -> None:
        write_atomically(self._state_path(upload.id), json.dumps(asdict(upload)).encode("utf-8"))

    def get(self, upload_id: str) -> Upload | None:
        if not upload_id.isalnum() or len(upload_id) != 32:
            return None
        try:
            raw = json.loads(self._state_path(upload_id).read_text(encoding="utf-8"))
            return Upload(**raw)
        except (OSError, ValueError, TypeError):
            return None

    def find(self, office_code: str, key: str, value: str) -> Upload | None:
        """An upload of this office whose metadata has this value (the batch's manifest hash)."""
        for state in sorted(self.folder.glob("*.json")):
            upload = self.get(state.stem)
            if upload and upload.office_code == office_code and upload.metadata.get(key) == value:
                return upload
        return None

    def append(
        self, upload: Upload, offset: int, chunks: Iterable[bytes], checksum: tuple[str, bytes] | None
    ) -> Upload:
        """Write one PATCH's body at `offset`; on a checksum mismatch nothing of it is kept."""
        if upload.done or upload.complete:
            raise UploadError("UPLOAD_DONE", "这个数据包已经完整收到。", 409)
        if offset != upload.offset:
            raise UploadError("UPLOAD_OFFSET", "续传位置与县局已收到的不一致，请重新查询后续传。", 409)
        digest = hashlib.new(checksum[0]) if checksum else None
        written = 0
        path = self.data_path(upload.id)
        with path.open("r+b") as out:
            out.seek(offset)
            out.truncate()
            try:
                for chunk in chunks:
                    written += len(chunk)
                    if offset + written > upload.length:
                        raise UploadError("UPLOAD_OVERRUN", "发送的数据超过了申报的文件长度。", 413)
                    out.write(chunk)
                    if digest is not None:
                        digest.update(chunk)
                if checksum is not None and digest is not None and digest.digest() != checksum[1]:
                    raise UploadError(
                        "UPLOAD_CHECKSUM", "这一段数据的校验值不对，没有保存，请重新发送。", 460
                    )
            except BaseException:
                out.truncate(offset)
                raise
            out.flush()
            os.fsync(out.fileno())
        upload.offset = offset + written
        self.save(upload)
        return upload

    def remove(self, upload: Upload) -> None:
        self.data_path(upload.id).unlink(missing_ok=True)
        self._state_path(upload.id).unlink(missing_ok=True)
