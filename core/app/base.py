"""What every use case shares: its unit of work, and the actor checks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from core.db import Database
from core.errors import SubsidyDeskError
from core.policy.installed import using_data_folder

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@contextmanager
def unit_of_work(db: Database) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back on any error.

    The catalogs installed in the database's data folder apply within it (core/policy/installed.py).
    It takes the database's write lock at its start; another program holding it too long, or a
    full disk, is told in Chinese, and nothing of the transaction is kept.
    """
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm.exc import StaleDataError

    try:
        with using_data_folder(db.path.parent), db.session() as session, session.begin():
            yield session
    except OperationalError as exc:
        raise storage_error(exc, None if db.is_postgres else db.path) from exc
    except StaleDataError as exc:  # a row changed under this transaction (several PCs at once)
        from core.cases.versions import CHANGED_MEANWHILE, ChangedMeanwhile

        raise ChangedMeanwhile(
            CHANGED_MEANWHILE, "这件案件刚刚在另一台电脑上被修改，您的这次操作没有保存。请重新打开后再试。"
        ) from exc


@contextmanager
def reading(db: Database) -> Iterator[Session]:
    """A session for reading only; nothing is committed, no writer is held up."""
    with using_data_folder(db.path.parent), db.read_session() as session:
        yield session


def storage_error(exc: Exception, path: Path | None = None) -> SubsidyDeskError:
    """SQLite's refusals in the clerk's words (the original is logged with the traceback).

    SQLite says "disk I/O error" rather than "full" when the WAL cannot grow: with `path` (the
    database) a nearly full disk is then told as full."""
    message = str(exc).lower()
    if "locked" in message or "busy" in message or "lock timeout" in message or "deadlock" in message:
        return SubsidyDeskError(
            "DB_BUSY",
            "数据库正被另一个程序使用（另一个 SubsidyDesk 窗口，或命令行任务），刚才的修改没有保存。请稍后再试。",
        )
    if "connection" in message or "server closed" in message or "terminating" in message:
        return SubsidyDeskError(
            "DB_SERVER_LOST",
            "与数据库服务器的连接中断了，刚才的修改没有保存。请检查网络，或联系县局技术人员确认数据库服务器正在运行，然后再试。",
        )
    if "full" in message or ("i/o" in message and _nearly_full(path)):
        free = f"（只剩{free_mb}MB）" if (free_mb := _free_mb(path)) is not None else ""
        return SubsidyDeskError(
            "DB_DISK_FULL",
            f"数据所在的磁盘已满{free}，刚才的修改没有保存，已保存的内容没有改变。"
            "请清理磁盘空间（至少留出几百兆）后再试。",
        )
    return SubsidyDeskError("DB_WRITE_FAILED", "数据库无法写入，刚才的修改没有保存。请检查磁盘后再试。")


_NEARLY_FULL_MB = 16


def _free_mb(path: Path | None) -> int | None:
    from core.files import free_bytes

    free = free_bytes(path.parent) if path is not None else None
    return None if free is None else free // (1024 * 1024)


def _nearly_full(path: Path | None) -> bool:
    free = _free_mb(path)
    return free is not None and free < _NEARLY_FULL_MB
