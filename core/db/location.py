"""Where the database is: the file in the data folder, or a PostgreSQL server named by a URL.

The URL is chosen, first found first: `--database-url` on the command line, the
SUBSIDYDESK_DATABASE_URL environment variable, then the data folder's setting
(`database.json`, written by `move-database` or by hand). Without any, the SQLite file in the
data folder is used, as always. A password is best kept out of the URL, in libpq's password
file (~/.pgpass, or %APPDATA%\\postgresql\\pgpass.conf on Windows).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from core.errors import EXIT_UNUSABLE, DatabaseUnavailable
from core.files import write_atomically

URL_ENV = "SUBSIDYDESK_DATABASE_URL"
SETTING_FILE = "database.json"


def setting_url(data_dir: Path) -> str | None:
    try:
        raw = json.loads((data_dir / SETTING_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise DatabaseUnavailable(
            "DB_SETTING_UNREADABLE",
            f"数据库地址设置文件 {data_dir / SETTING_FILE} 无法读取，请改正或删除它（删除后使用本机的数据库文件）。",
            EXIT_UNUSABLE,
        ) from exc
    url = raw.get("url") if isinstance(raw, dict) else None
    return str(url) if url else None


def resolve_url(data_dir: Path, override: str | None = None) -> str | None:
    """The PostgreSQL URL to use, or None for the SQLite file; a URL of another kind is refused."""
    from core.db.pg import is_postgres_url

    url = override or os.environ.get(URL_ENV) or setting_url(data_dir)
    if not url or url.startswith("sqlite"):
        return None
    if not is_postgres_url(url):
        raise DatabaseUnavailable(
            "DB_URL_UNKNOWN",
            "数据库地址只能是 postgresql+psycopg://用户@服务器:端口/数据库名（或不填，使用本机的数据库文件），请改正。",
            EXIT_UNUSABLE,
        )
    return url


def save_url(data_dir: Path, url: str | None) -> None:
    """Remember the server in the data folder (None: back to the file)."""
    path = data_dir / SETTING_FILE
    if url is None:
        path.unlink(missing_ok=True)
        return
    write_atomically(path, json.dumps({"url": url}, ensure_ascii=False).encode("utf-8"))
