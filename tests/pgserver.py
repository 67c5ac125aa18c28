"""A throwaway PostgreSQL server for the tests: initdb into a temporary folder, pg_ctl on a free
port on 127.0.0.1, stopped (and its folder removed) when the session ends.

The binaries come from Debian's postgresql package (packaging/bootstrap.sh installs it as root).
As root the server runs as the `postgres` user, which initdb requires. Each test that asks gets
a database of its own, copied from a template migrated once (CREATE DATABASE ... TEMPLATE).
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

USER = "subsidydesk"
TEMPLATE = "sd_template"


def pg_bin() -> Path | None:
    """Debian's newest server binaries, or those on PATH."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
    return versions[-1].parent if versions else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@dataclass
class PgServer:
    bin: Path
    root: Path
    port: int = 0
    _names: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        self._run(
            [
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-U",
                USER,
                "--auth=trust",
                "--locale=C",
                "--encoding=UTF8",
                "--no-sync",
            ]
        )
        self.port = _free_port()
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            [
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.data),
                "-o",
                options,
                "-l",
                str(self.root / "log"),
                "-w",
                "-t",
                "60",
                "start",
            ]
        )

    def stop(self) -> None:
        if self.data.exists():
            subprocess.run(
                _as_server_user(
                    [str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"]
                ),
                capture_output=True,
                check=False,
            )
        shutil.rmtree(self.root, ignore_errors=True)

    def _run(self, command: list[str]) -> None:
        done = subprocess.run(_as_server_user(command), capture_output=True, text=True, check=False)
        if done.returncode != 0:
            log = self.root / "log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{command[0]} failed: {done.stdout}{done.stderr}{tail}")

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"postgresql://{USER}@127.0.0.1:{self.port}/postgres", autocommit=True) as c:
            c.execute(sql)

    def make_template(self) -> None:
        """The schema at head, once: every test's database is a copy of it."""
        from core.db.engine import open_database

        self.admin(f"CREATE DATABASE {TEMPLATE}")
        folder = Path(tempfile.mkdtemp(prefix="sd-template-"))
        open_database(folder, url=self.url(TEMPLATE)).close()
        shutil.rmtree(folder, ignore_errors=True)

    def new_database(self, migrated: bool = True) -> str:
        name = f"t{os.getpid()}_{next(self._names)}"
        template = f" TEMPLATE {TEMPLATE} STRATEGY FILE_COPY" if migrated else ""
        self.admin(f"CREATE DATABASE {name}{template}")
        return self.url(name)


def start_server() -> PgServer | str:
    """A running server, or why none could be had (only when the binaries are absent)."""
    found = pg_bin()
    if found is None:
        return "PostgreSQL 测试服务器未运行：本机没有安装 PostgreSQL（packaging/bootstrap.sh 以 root 运行时会安装）"
    root = Path(tempfile.mkdtemp(prefix="sd-pg-"))
    server = PgServer(found, root)
    try:
        server.start()
        server.make_template()
    except BaseException:
        server.stop()
        raise
    return server
