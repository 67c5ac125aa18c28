"""The program's log, for the county technician: `<data folder>/logs/subsidydesk.log`.

The Windows program has no console, so an error nobody sees on screen must at least land in a
file that a clerk can send on. The log rotates (1 MB, five old files kept); a hard crash of the
interpreter or of Qt, which no Python handler sees, is written by `faulthandler` to
`faults.log` beside it.

Rule: never log a password (the key backup's password, SUBSIDYDESK_KEY_PASSWORD, any
password added later), a private key or a key backup's contents, and never log the command
line's arguments or a form's fields wholesale. Log what happened and where, not the secrets it
was done with. Tracebacks are safe to log: they carry code lines, not local variables.
"""

from __future__ import annotations

import faulthandler
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from logging.handlers import RotatingFileHandler

LOG_DIRNAME = "logs"
LOG_FILENAME = "subsidydesk.log"
FAULTS_FILENAME = "faults.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"
UNKNOWN_VERSION = "未知"

log = logging.getLogger("subsidydesk")


class _Installed:
    """What this module set up. faulthandler writes to the file descriptor at the moment of a
    crash, so the file object stays open (referenced here) for as long as the process runs."""

    handler: RotatingFileHandler | None = None
    faults: TextIO | None = None
    faulthandler_was_enabled: bool | None = None  # before our first call, for stop_logging()


def setup_logging(data_dir: Path, *, with_version: bool = True) -> Path:
    """Log to `<data_dir>/logs/subsidydesk.log` and return that path.

    Calling it again for the same folder changes nothing; for another folder the log moves
    there. If the folder cannot be written, the program runs without a log file (said on
    stderr, when there is one). `with_version=False` leaves the version to `log_version()`:
    looking it up imports about 50 ms of modules that the window's start should not wait for.
    """
    data_dir = Path(data_dir).absolute()
    folder = data_dir / LOG_DIRNAME
    log_path = folder / LOG_FILENAME
    if current_log_path() == log_path:
        return log_path
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = _file_handler(log_path)
    except OSError as exc:
        _tell_stderr(f"无法写入日志文件夹 {folder}（{exc.strerror or exc}），本次运行不记日志。")
        _replace_handler(None)
        _enable_faulthandler(None)
        return log_path
    _replace_handler(handler)
    _enable_faulthandler(folder / FAULTS_FILENAME)
    version = f"，版本 {program_version()}" if with_version else ""
    log.info("程序启动%s，数据文件夹：%s", version, data_dir)
    return log_path


def current_log_path() -> Path | None:
    """The file being logged to, or None when there is no log file."""
    handler = _Installed.handler
    return Path(handler.baseFilename) if handler is not None else None


def program_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("subsidydesk")
    except PackageNotFoundError:  # the PyInstaller bundle carries no package metadata
        return UNKNOWN_VERSION


def log_version() -> None:
    log.info("程序版本：%s", program_version())


def log_exit(code: int) -> None:
    log.info("程序退出，退出码 %d", code)


def stop_logging() -> None:
    """Remove the log file and give faulthandler back as it was found (for tests)."""
    _replace_handler(None)
    if _Installed.faulthandler_was_enabled:
        _faulthandler_to_stderr()
    elif _Installed.faulthandler_was_enabled is not None:
        faulthandler.disable()
    _close_faults_file()


def _file_handler(log_path: Path) -> RotatingFileHandler:
    from logging.handlers import RotatingFileHandler  # imports socket and pickle: only on use

    handler = RotatingFileHandler(
        log_path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", errors="backslashreplace"
    )
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    return handler


def _replace_handler(handler: RotatingFileHandler | None) -> None:
    root = logging.getLogger()
    if _Installed.handler is not None:
        root.removeHandler(_Installed.handler)
        _Installed.handler.close()
    _Installed.handler = handler
    if handler is not None:
        root.addHandler(handler)
        root.setLevel(logging.INFO)


def _enable_faulthandler(path: Path | None) -> None:
    if _Installed.faulthandler_was_enabled is None:
        _Installed.faulthandler_was_enabled = faulthandler.is_enabled()
    faults = _open_faults_file(path) if path is not None else None
    if faults is None:
        _faulthandler_to_stderr()
        return
    faulthandler.enable(faults, all_threads=True)
    _close_faults_file()  # the previous one, now that faulthandler no longer writes to it
    _Installed.faults = faults


def _open_faults_file(path: Path) -> TextIO | None:
    try:
        return path.open("a", encoding="utf-8")  # append: the crash before a restart must stay
    except OSError as exc:
        log.warning("无法打开 %s（%s），程序崩溃的情况只能写到控制台。", path, exc.strerror or exc)
        return None


def _faulthandler_to_stderr() -> None:
    stderr = sys.__stderr__
    try:
        if stderr is None:
            faulthandler.disable()
        else:
            faulthandler.enable(stderr, all_threads=True)
    except (OSError, ValueError, RuntimeError):
        faulthandler.disable()  # a stream without a file descriptor cannot take crash reports
    _close_faults_file()


def _close_faults_file() -> None:
    if _Installed.faults is not None:
        _Installed.faults.close()
    _Installed.faults = None


def _tell_stderr(message: str) -> None:
    if sys.stderr is not None:  # None in the console-less Windows program
        print(message, file=sys.stderr)
