"""Writing a rendered document to disk without ever leaving a half-written file behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from core.printing.errors import PrintingError


def save_bytes(path: str | Path, data: bytes) -> Path:
    """Write to a temporary name in the same folder, then os.replace: atomic on Windows too."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except PermissionError:
        raise PrintingError(
            "PRINT_FILE_LOCKED",
            f"无法写入 {target}：文件可能正在被其他程序（如PDF阅读器、Excel）打开，请关闭后重试，或另选文件名。",
        ) from None
    except OSError as exc:
        raise PrintingError(
            "PRINT_FILE_WRITE", f"无法写入 {target}：{exc.strerror or exc}。请另选保存位置。"
        ) from None
    return target


def save_pdf(path: str | Path, data: bytes) -> Path:
    return save_bytes(path, data)
