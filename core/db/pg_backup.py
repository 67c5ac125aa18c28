"""Backups of a PostgreSQL database with `pg_dump`, beside the SQLite file's backups.

A dump is PostgreSQL's own custom format (`pg_dump -Fc`): one file, compressed, restored with
`pg_restore --clean --if-exists -d <database> <file>` (README: 县局使用 PostgreSQL). It is taken
from one snapshot, so writers carry on while it runs. The program calls it before a migration
and from its backup job when the database is a server; pg_dump must be the server's major
version or newer (Debian: postgresql-client).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

from core.errors import EXIT_UNUSABLE, DatabaseUnavailable

DUMP_SUFFIX = ".pgdump"
DUMP_TIMEOUT_S = 3600


def pg_dump_program() -> str | None:
    """pg_dump on PATH, else the newest one of Debian's versioned folders."""
    found = shutil.which("pg_dump")
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_dump"), key=lambda p: int(p.parts[-3]))
    return str(versions[-1]) if versions else None


def dump(url: str, folder: Path, label: str) -> Path:
    """Write `<folder>/subsidydesk-<time>-<label>.pgdump`; a failed dump leaves no file behind."""
    from core.db.pg import libpq_url, shown_url

    program = pg_dump_program()
    if program is None:
        raise DatabaseUnavailable(
            "PG_DUMP_MISSING",
            "找不到 PostgreSQL 的备份程序 pg_dump，无法备份数据库。请安装 PostgreSQL 客户端"
            "（与服务器相同或更新的版本）后再试。",
            EXIT_UNUSABLE,
        )
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"subsidydesk-{stamp}-{label}{DUMP_SUFFIX}"
    part = target.with_name(target.name + ".part")
    command = [program, "--format=custom", "--no-owner", f"--file={part}", f"--dbname={libpq_url(url)}"]
    try:
        done = subprocess.run(command, capture_output=True, timeout=DUMP_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        part.unlink(missing_ok=True)
        raise _failed(shown_url(url), str(exc)) from exc
    if done.returncode != 0:
        part.unlink(missing_ok=True)
        raise _failed(shown_url(url), done.stderr.decode("utf-8", "replace").strip())
    os.replace(part, target)
    return target


def _failed(where: str, why: str) -> DatabaseUnavailable:
    import logging

    logging.getLogger(__name__).error("pg_dump of %s failed: %s", where, why)
    return DatabaseUnavailable(
        "PG_DUMP_FAILED",
        f"备份 PostgreSQL 数据库 {where} 没有成功，备份文件没有留下。原因已记入日志；"
        "请检查磁盘空间和 pg_dump 的版本（不能比服务器旧）后再试。",
        EXIT_UNUSABLE,
    )
