"""Scans and photos, kept content-addressed under the data directory.

A file is stored once under attachments/<first two hex>/<sha256>, whatever it was called,
so the same scan attached twice costs nothing and a batch package can name files by hash.
Photos from phones are downscaled when attached (never at export), so the stick and the
county's disk are not filled with 12-megapixel pictures of an ID card.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from core.errors import ValidationError
from core.files import write_atomically

FIELD = "附件"
MAX_UPLOAD_BYTES = 30 * 1024 * 1024  # what we accept from the picker before downscaling
MAX_STORED_BYTES = 8 * 1024 * 1024  # what we keep per file after downscaling
MAX_IMAGE_SIDE = 2400  # pixels on the long side: an A4 page at 200 dpi, still legible
JPEG_QUALITY = 85

MEDIA_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".bmp": "image/bmp",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".pdf": "application/pdf",
}
_IMAGES = {"image/jpeg", "image/png", "image/bmp", "image/tiff"}


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    media_type: str
    filename: str


class AttachmentStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def add_file(self, source: Path) -> StoredFile:
        """Check, downscale if it is a large photo, and store; returns what was stored."""
        media_type = MEDIA_TYPES.get(source.suffix.lower())
        if media_type is None:
            allowed = "、".join(sorted({s.lstrip(".").upper() for s in MEDIA_TYPES}))
            raise ValidationError(
                "ATTACH_TYPE", FIELD, f"只能附加图片或PDF（{allowed}），“{source.name}”不是。"
            )
        size = source.stat().st_size
        if size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                "ATTACH_TOO_BIG", FIELD, f"“{source.name}”有{size // 1048576}MB，超过30MB，请重新扫描或拍照。"
            )
        data = source.read_bytes()
        return self.add_bytes(data, source.name, media_type)

    def add_bytes(self, data: bytes, filename: str, media_type: str) -> StoredFile:
        if media_type in _IMAGES:
            data, media_type, filename = _shrink_image(data, media_type, filename)
        if len(data) > MAX_STORED_BYTES:
            raise ValidationError(
                "ATTACH_TOO_BIG",
                FIELD,
                f"“{filename}”处理后仍有{len(data) // 1048576}MB，超过8MB。请降低扫描分辨率或分页扫描。",
            )
        digest = hashlib.sha256(data).hexdigest()
        target = self.path_for(digest)
        if not target.exists():
            write_atomically(target, data)
        return StoredFile(sha256=digest, size=len(data), media_type=media_type, filename=filename)

    def read(self, sha256: str) -> bytes:
        data = self.path_for(sha256).read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ValidationError(
                "ATTACH_DAMAGED", FIELD, "附件文件已损坏（内容与登记的校验值不符），请重新附加。"
            )
        return data


def _shrink_image(data: bytes, media_type: str, filename: str) -> tuple[bytes, str, str]:
    """Downscale a photo larger than MAX_IMAGE_SIDE and store it as JPEG; small images stay as they are."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            if max(img.size) <= MAX_IMAGE_SIDE and len(data) <= MAX_STORED_BYTES:
                return data, media_type, filename
            upright = ImageOps.exif_transpose(img)  # phones store the rotation separately
            upright.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
            out = io.BytesIO()
            upright.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    except (UnidentifiedImageError, OSError):
        raise ValidationError(
            "ATTACH_UNREADABLE", FIELD, f"“{filename}”无法作为图片打开，可能已损坏。"
        ) from None
    stem = filename.rsplit(".", 1)[0]
    return out.getvalue(), "image/jpeg", f"{stem}.jpg"
