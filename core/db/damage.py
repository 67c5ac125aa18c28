"""Damaged pages: found at open (PRAGMA quick_check) and in the background (integrity_check).

Header damage was always refused (engine.check_file_usable); a page damaged inside the file was
not, and a clerk would learn of it only when a list or a save failed. The quick check reads every
page at start-up without checking the indexes against their tables; the full check, which does,
runs in the background after the window is up (and the backups run it before each backup). Either
way the file is never changed, and the message points to the newest good backup.
"""

from __future__ import annotations

import importlib
import sqlite3
from pathlib import Path

from core.errors import EXIT_CORRUPT, DatabaseUnavailable

BACKUP_DIRNAME = "backups"  # as core/db/migrate.py and core/backups name it


def find_damage(conn: sqlite3.Connection, full: bool = False) -> str | None:
    """SQLite's first complaint about the file's pages, or None when they are sound."""
    pragma = "integrity_check(1)" if full else "quick_check(1)"
    try:
        rows = conn.execute(f"PRAGMA {pragma}").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    first = rows[0][0] if rows else "ok"
    return None if first == "ok" else str(first)


def newest_backup(data_dir: Path) -> str | None:
    """The newest good backup, in words: `2026-12-01 18:00 的备份（/path）`, or None.

    core/backups (when present) checks each set against its manifest; without it the newest entry
    of `<data>/backups/` is named (the copies made before each migration)."""
    try:
        layout = importlib.import_module("core.backups.layout")
        info = layout.newest_verified_backup(data_dir)
    except ImportError:
        return _newest_in_folder(data_dir / BACKUP_DIRNAME)
    except Exception:  # a backup folder that cannot even be listed names no backup
        return None
    return f"{info.created_at:%Y-%m-%d %H:%M} 的备份（{info.path}）" if info is not None else None


def _newest_in_folder(folder: Path) -> str | None:
    import datetime as dt

    try:
        entries = [p for p in folder.iterdir() if not p.name.startswith(".")]
    except OSError:
        return None
    if not entries:
        return None
    newest = max(entries, key=lambda p: p.stat().st_mtime)
    at = dt.datetime.fromtimestamp(newest.stat().st_mtime)
    return f"{at:%Y-%m-%d %H:%M} 的备份（{newest}）"


def damaged(path: Path) -> DatabaseUnavailable:
    """The refusal of a file with damaged pages, pointing to the newest good backup."""
    backup = newest_backup(path.parent)
    where = (
        f"最新的完好备份是 {backup}：请由管理员在“设置 → 备份与恢复”中用它恢复，或联系县局技术人员。"
        if backup
        else "本机没有找到可用的备份：请不要再使用这台电脑保存数据，并联系县局技术人员。"
    )
    return DatabaseUnavailable(
        "DB_DAMAGED",
        f"数据库文件 {path} 内部有损坏的数据页（完整性检查未通过，可能是断电或磁盘故障），程序没有改动它。{where}",
        EXIT_CORRUPT,
    )
