"""Writing a rendered document to disk without ever leaving a half-written file behind."""

from __future__ import annotations

from pathlib import Path

from core.files import DISK_ERRNOS, disk_error, write_atomically
from core.printing.errors import PrintingError


def save_bytes(path: str | Path, data: bytes) -> Path:
    """Write to a temporary name in the same folder, then os.replace: atomic on Windows too."""
    target = Path(path)
    try:
        write_atomically(target, data)
    except PermissionError:
        raise PrintingError(
            "PRINT_FILE_LOCKED",
            f"无法写入 {target}：文件可能正在被其他程序（如PDF阅读器、Excel）打开，请关闭后重试，或另选文件名。",
        ) from None
    except OSError as exc:
        if exc.errno in DISK_ERRNOS:  # full, read-only or gone: said as such, with the space needed
            told = disk_error(exc, "保存位置所在的磁盘", target.parent, len(data))
            raise PrintingError(told.code, told.message_zh) from None
        raise PrintingError("PRINT_FILE_WRITE", f"无法写入 {target}，请另选保存位置。") from None
    return target


def save_pdf(path: str | Path, data: bytes) -> Path:
    return save_bytes(path, data)
