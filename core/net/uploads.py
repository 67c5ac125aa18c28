"""Uploads in progress at the county's receiving service: one data file and one state file each.

The data streams to disk as it arrives (memory stays flat whatever the size); the state file
records the office, the declared length, the offset and the metadata. The offset the service
reports (HEAD) is never more than the data file holds, so after a kill, a restart or a power
cut the town resumes from what is really there: the town always asks before it resumes.
Waiting for the disk after every chunk would halve the throughput (bench/README.md), so only
the last chunk is fsynced, before the package is verified and its receipt signed.
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

    def save(self, upload: Upload, durable: bool = True) -> None:
        """Record the state. After each chunk it is written without waiting for the disk (the data
        itself was fsynced): a state lost to a power cut only makes the town send a little again,
        because `get` never believes an offset beyond the data on disk."""
        data = json.dumps(asdict(upload)).encode("utf-8")
        if durable:
            write_atomically(self._state_path(upload.id), data)
            return
        partial = self._state_path(upload.id).with_suffix(".json.part")
        partial.write_bytes(data)
        os.replace(partial, self._state_path(upload.id))

    def get(self, upload_id: str) -> Upload | None:
        if not upload_id.isalnum() or len(upload_id) != 32:
            return None
        try:
            raw = json.loads(self._state_path(upload_id).read_text(encoding="utf-8"))
            upload = Upload(**raw)
            if not upload.done:  # a finished upload's data has been handed over (inbox/, refused/)
                upload.offset = min(upload.offset, self.data_path(upload_id).stat().st_size)
            return upload
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
        writer = self.begin(upload, offset, checksum)
        try:
            for chunk in chunks:
                writer.write(chunk)
        except BaseException:
            writer.abort()
            raise
        return writer.finish()

    def begin(self, upload: Upload, offset: int, checksum: tuple[str, bytes] | None) -> ChunkWriter:
        """Start writing one PATCH's body (the service feeds it as the bytes arrive)."""
        if upload.done or upload.complete:
            raise UploadError("UPLOAD_DONE", "这个数据包已经完整收到。", 409)
        if offset != upload.offset:
            raise UploadError("UPLOAD_OFFSET", "续传位置与县局已收到的不一致，请重新查询后续传。", 409)
        return ChunkWriter(self, upload, offset, checksum)

    def remove(self, upload: Upload) -> None:
        self.data_path(upload.id).unlink(missing_ok=True)
        self._state_path(upload.id).unlink(missing_ok=True)


class ChunkWriter:
    """One PATCH body on its way to disk. `finish` fsyncs it and only then records the new
    offset; `abort` (or a wrong checksum) cuts the file back to where the PATCH began."""

    def __init__(
        self, store: UploadStore, upload: Upload, offset: int, checksum: tuple[str, bytes] | None
    ) -> None:
        self.store, self.upload, self.offset, self.checksum = store, upload, offset, checksum
        self.digest = hashlib.new(checksum[0]) if checksum else None
        self.written = 0
        self.file = store.data_path(upload.id).open("r+b")
        self.file.seek(offset)
        self.file.truncate()

    def write(self, chunk: bytes) -> None:
        self.written += len(chunk)
        if self.offset + self.written > self.upload.length:
            raise UploadError("UPLOAD_OVERRUN", "发送的数据超过了申报的文件长度。", 413)
        self.file.write(chunk)
        if self.digest is not None:
            self.digest.update(chunk)

    def finish(self) -> Upload:
        if self.checksum is not None and self.digest is not None and self.digest.digest() != self.checksum[1]:
            self.abort()
            raise UploadError("UPLOAD_CHECKSUM", "这一段数据的校验值不对，没有保存，请重新发送。", 460)
        self.upload.offset = self.offset + self.written
        try:
            self.file.flush()
            if self.upload.complete:
                os.fsync(self.file.fileno())  # the receipt is only given for what is on the disk
        finally:
            self.file.close()
        self.store.save(self.upload, durable=self.upload.complete)
        return self.upload

    def abort(self) -> None:
        if not self.file.closed:
            self.file.truncate(self.offset)
            self.file.close()
