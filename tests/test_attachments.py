"""The attachment store: content addressing, size checks, downscaling at attach time."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PIL import Image

from core.attachments import MAX_IMAGE_SIDE, AttachmentStore
from core.errors import ValidationError


def _photo(path: Path, size: tuple[int, int]) -> Path:
    Image.new("RGB", size, (200, 180, 150)).save(path, "JPEG", quality=95)
    return path


def test_same_file_is_stored_once_under_its_hash(tmp_path: Path) -> None:
    store = AttachmentStore(tmp_path / "att")
    pdf = tmp_path / "合同.pdf"
    pdf.write_bytes(b"%PDF-1.4 contract")
    first = store.add_file(pdf)
    second = store.add_file(pdf)
    assert first.sha256 == second.sha256 == hashlib.sha256(b"%PDF-1.4 contract").hexdigest()
    assert store.path_for(first.sha256).read_bytes() == b"%PDF-1.4 contract"
    assert len(list((tmp_path / "att").rglob("*"))) == 2  # one folder, one file


def test_large_phone_photo_is_downscaled_when_attached(tmp_path: Path) -> None:
    store = AttachmentStore(tmp_path / "att")
    stored = store.add_file(_photo(tmp_path / "身份证.jpg", (4000, 3000)))
    with Image.open(store.path_for(stored.sha256)) as img:
        assert max(img.size) == MAX_IMAGE_SIDE
    assert stored.media_type == "image/jpeg"


def test_small_image_is_kept_as_it_is(tmp_path: Path) -> None:
    store = AttachmentStore(tmp_path / "att")
    src = _photo(tmp_path / "small.jpg", (800, 600))
    stored = store.add_file(src)
    assert store.path_for(stored.sha256).read_bytes() == src.read_bytes()


def test_other_file_types_are_refused_with_a_chinese_message(tmp_path: Path) -> None:
    doc = tmp_path / "申请.docx"
    doc.write_bytes(b"PK")
    with pytest.raises(ValidationError) as info:
        AttachmentStore(tmp_path / "att").add_file(doc)
    assert info.value.code == "ATTACH_TYPE" and "PDF" in info.value.message_zh


def test_damaged_stored_file_is_detected(tmp_path: Path) -> None:
    store = AttachmentStore(tmp_path / "att")
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4 a")
    stored = store.add_file(pdf)
    store.path_for(stored.sha256).write_bytes(b"%PDF-1.4 b")
    with pytest.raises(ValidationError) as info:
        store.read(stored.sha256)
    assert info.value.code == "ATTACH_DAMAGED"
