"""Check a built bundle (dist/SubsidyDesk/) the way an office PC would use it.

    .venv/bin/python packaging/check_bundle.py [dist/SubsidyDesk]

Run by `make package-test` (after packaging/build.sh) and by packaging/build.ps1 -SelfTest.
Every run uses fresh temporary directories and removes them afterwards. Checks:

1. self-test on a new data directory: prints 自检通过, exits 0, the database is created and
   migrated to this program's head schema (the migration scripts are found in the bundle);
2. self-test on a copy of tests/data/subsidydesk-0.1.0.db (a 0.1.0 database): the file is
   backed up first (the backup still at schema 0001), migrated to head, and its rows are kept;
3. without --data-dir the data goes to the platformdirs user data directory, never into the
   program folder (Linux/macOS only: there HOME can be pointed at a temporary directory;
   Windows asks the shell for AppData, so the check would write into the builder's profile);
4. the command-line exe finds the policy catalogs (`catalogs` lists every bundled file);
5. it prints a PDF form and an Excel roster from the upgraded 0.1.0 data (reportlab, openpyxl
   and the bundled font work when frozen);
6. the bundle holds the migration scripts, icons and Qt's Chinese translation (qtbase_zh_CN.qm),
   and no Qt module the source does not use.

Exits 0 when all pass, 1 otherwise; prints the bundle's size either way.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "data"))

import make_fixture_db as fixture  # noqa: E402

from core.db.engine import DB_FILENAME  # noqa: E402
from core.db.migrate import BACKUP_DIRNAME, SCHEMA_HEAD  # noqa: E402

IS_WINDOWS = sys.platform == "win32"
EXE_SUFFIX = ".exe" if IS_WINDOWS else ""
PASSED = "自检通过"
TIMEOUT = 120


class CheckFailed(Exception):
    pass


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SUBSIDYDESK_DATA_DIR"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONIOENCODING"] = "utf-8"  # the console exe's output, whatever the Windows code page
    env.update(extra)
    return env


def _run(exe: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [str(exe), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=env or _env(),
        timeout=TIMEOUT,
    )
    return proc


def _expect_self_test(proc: subprocess.CompletedProcess[str], check_output: bool = True) -> None:
    if proc.returncode != 0 or (check_output and PASSED not in proc.stdout):
        raise CheckFailed(f"自检未通过（退出码 {proc.returncode}）\n{proc.stdout}\n{proc.stderr}")


def _revision(db: Path) -> str | None:
    con = sqlite3.connect(f"file:{db.as_posix()}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    finally:
        con.close()


def _count(db: Path, table: str) -> int:
    con = sqlite3.connect(f"file:{db.as_posix()}?mode=ro", uri=True)
    try:
        return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        con.close()


def check_fresh(bundle: Path, tmp: Path) -> str:
    data = tmp / "fresh"
    exes = [bundle / f"SubsidyDesk-cli{EXE_SUFFIX}", bundle / f"SubsidyDesk{EXE_SUFFIX}"]
    for exe in exes:
        # The windowed exe has no stdout on Windows: there only its exit code tells.
        _expect_self_test(
            _run(exe, "--self-test", "--data-dir", str(data)),
            check_output=not IS_WINDOWS or "cli" in exe.name,
        )
    revision = _revision(data / DB_FILENAME)
    if revision != SCHEMA_HEAD:
        raise CheckFailed(f"新数据库的结构版本是 {revision}，应为 {SCHEMA_HEAD}")
    return f"新数据目录：两个程序自检通过，结构版本 {revision}"


def check_upgrade(bundle: Path, tmp: Path) -> str:
    data = tmp / "old"
    data.mkdir()
    db = data / DB_FILENAME
    shutil.copyfile(fixture.FIXTURE, db)
    before = _revision(db)
    _expect_self_test(_run(bundle / f"SubsidyDesk-cli{EXE_SUFFIX}", "--self-test", "--data-dir", str(data)))
    after = _revision(db)
    if after != SCHEMA_HEAD:
        raise CheckFailed(f"旧数据库升级后结构版本是 {after}，应为 {SCHEMA_HEAD}")
    backups = sorted((data / BACKUP_DIRNAME).glob("*.db")) if (data / BACKUP_DIRNAME).is_dir() else []
    if before != SCHEMA_HEAD and (len(backups) != 1 or _revision(backups[0]) != before):
        raise CheckFailed(f"升级前应有一份结构版本 {before} 的备份，实际：{backups}")
    expected = {
        "office": 1,
        "person": len(fixture.PERSONS),
        "subsidy_case": len(fixture.CASES),
        "audit_event": 1 + len(fixture.PERSONS) + len(fixture.CASES),
    }
    for table, count in expected.items():
        if _count(db, table) != count:
            raise CheckFailed(f"升级后 {table} 有 {_count(db, table)} 行，应为 {count}")
    return f"0.1.0 数据库：{before} → {after}，备份 {backups[0].name if backups else '无'}，数据完整"


def check_default_data_dir(bundle: Path, tmp: Path) -> str:
    if IS_WINDOWS:
        return "默认数据目录：Windows 上跳过（会写入本机用户的 AppData）"
    home = tmp / "home"
    home.mkdir()
    env = _env(HOME=str(home))
    env.pop("XDG_DATA_HOME", None)
    proc = _run(bundle / "SubsidyDesk-cli", "--self-test", env=env)
    _expect_self_test(proc)
    found = sorted(home.rglob(DB_FILENAME))
    if len(found) != 1 or "SubsidyDesk" not in found[0].parts:
        raise CheckFailed(f"默认数据目录里应有一个 {DB_FILENAME}，实际：{found}\n{proc.stdout}")
    inside = sorted(
        p for p in bundle.rglob("*") if p.suffix in (".db", ".db-wal", ".db-shm") or p.name == BACKUP_DIRNAME
    )
    if inside:
        raise CheckFailed(f"程序文件夹里不应有数据文件：{inside}")
    return f"默认数据目录：{found[0].parent.relative_to(home)}（程序文件夹里没有数据文件）"


def check_catalogs(bundle: Path, _tmp: Path) -> str:
    proc = _run(bundle / f"SubsidyDesk-cli{EXE_SUFFIX}", "catalogs")
    listed = [line.split()[0] for line in proc.stdout.splitlines() if line and not line[0].isspace()]
    expected = sorted(p.stem for p in (ROOT / "resources" / "policies").glob("*.json"))
    if proc.returncode != 0 or sorted(listed) != expected:
        raise CheckFailed(
            f"catalogs 应列出 {expected}，实际 {listed}（退出码 {proc.returncode}）\n{proc.stderr}"
        )
    return f"政策目录：{len(listed)} 个"


def check_printing(bundle: Path, tmp: Path) -> str:
    """A PDF form and an Excel roster from upgraded 0.1.0 data: reportlab, openpyxl and the
    bundled Chinese font all work when frozen."""
    data = tmp / "data"
    data.mkdir()
    shutil.copyfile(fixture.FIXTURE, data / DB_FILENAME)
    cli = bundle / f"SubsidyDesk-cli{EXE_SUFFIX}"
    pdf, xlsx = tmp / "申请表.pdf", tmp / "花名册.xlsx"
    case_ids = [str(c["id"]) for c in fixture.CASES]
    for args, target, magic in (
        (["print", "form", case_ids[0], "-o", str(pdf)], pdf, b"%PDF"),
        (["print", "roster", *case_ids, "-o", str(xlsx)], xlsx, b"PK"),
    ):
        proc = _run(cli, *args, "--data-dir", str(data))
        if proc.returncode != 0 or not target.is_file() or not target.read_bytes().startswith(magic):
            raise CheckFailed(
                f"{' '.join(args[:2])} 失败（退出码 {proc.returncode}）\n{proc.stdout}\n{proc.stderr}"
            )
    return f"打印：申请表 PDF {pdf.stat().st_size // 1024} KB，花名册 .xlsx {xlsx.stat().st_size // 1024} KB"


def check_serve(bundle: Path, tmp: Path) -> str:
    """The county's receiving service starts from the bundle and answers (uvicorn's modules are
    found by name at run time: a missing one only shows here)."""
    import socket
    import time
    import urllib.request

    data = tmp / "county"
    data.mkdir()
    (data / "station.json").write_text('{"mode": "county"}', encoding="utf-8")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = bundle / f"SubsidyDesk-cli{EXE_SUFFIX}"
    args = [str(exe), "--data-dir", str(data), "serve", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env())
    try:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise CheckFailed(
                    f"上报接收服务没有启动（退出码 {proc.returncode}）：{proc.stderr.read().decode(errors='replace')}"
                )
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                    if r.read() == b"ok":
                        return f"上报接收服务：启动并应答（端口 {port}）"
            except OSError:
                time.sleep(0.3)
        raise CheckFailed("上报接收服务在限定时间内没有应答")
    finally:
        proc.kill()
        proc.wait()


def _internal(bundle: Path) -> Path:
    return bundle / "_internal" if (bundle / "_internal").is_dir() else bundle


def check_contents(bundle: Path, _tmp: Path) -> str:
    internal = _internal(bundle)
    shipped = {p.name for p in (internal / "core" / "db" / "migrations" / "versions").glob("*.py")}
    source = {p.name for p in (ROOT / "core" / "db" / "migrations" / "versions").glob("*.py")}
    if shipped != source or not (internal / "core" / "db" / "migrations" / "env.py").is_file():
        raise CheckFailed(f"迁移脚本不全：打包了 {sorted(shipped)}，源码有 {sorted(source)}")
    for icon in ("subsidydesk.ico", "subsidydesk.png"):
        if not (internal / "resources" / "icons" / icon).is_file():
            raise CheckFailed(f"缺少图标 {icon}")
    # Qt's own words (file picker, 是/否, print preview) in Chinese: ui/app.load_translations.
    if not list(internal.rglob("qtbase_zh_CN.qm")):
        raise CheckFailed("缺少 Qt 的中文翻译 qtbase_zh_CN.qm：文件对话框和标准按钮会显示英文")
    used = set()
    for path in [ROOT / "main.py", *(ROOT / "core").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]:
        used |= set(re.findall(r"\bPySide6\.(Qt\w+)", path.read_text(encoding="utf-8")))
    bundled = {
        p.name.split(".")[0] for p in (internal / "PySide6").glob("Qt*.*") if p.suffix in (".so", ".pyd")
    }
    extra = bundled - used
    if extra:
        raise CheckFailed(f"打包了程序没有用到的 Qt 模块：{sorted(extra)}")
    # The print preview renders PDF pages with PDFium; its binary must travel with the program.
    pdfium = [
        p for p in (internal / "pypdfium2_raw").glob("*pdfium*") if p.suffix in (".so", ".dll", ".dylib")
    ]
    if not pdfium:
        raise CheckFailed("缺少打印预览所需的 PDFium 库（pypdfium2_raw）")
    return f"内容：迁移脚本 {len(shipped)} 个，图标，PDFium，Qt 模块 {sorted(bundled)}"


def bundle_size(bundle: Path) -> str:
    # PyInstaller links some Linux libraries instead of copying them twice: count each once.
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]
    total = sum(p.stat().st_size for p in files)
    return f"{total / 1024 / 1024:.0f} MB，{len(files)} 个文件"


CHECKS: list[Callable[[Path, Path], str]] = [
    check_fresh,
    check_upgrade,
    check_default_data_dir,
    check_catalogs,
    check_printing,
    check_contents,
    check_serve,
]


def main(argv: list[str]) -> int:
    bundle = Path(argv[0]) if argv else ROOT / "dist" / "SubsidyDesk"
    if not bundle.is_dir():
        print(f"没有找到打包结果 {bundle}，请先运行 make package", file=sys.stderr)
        return 1
    failed = 0
    with tempfile.TemporaryDirectory(prefix="subsidydesk-bundle-") as tmp_name:
        for check in CHECKS:
            tmp = Path(tmp_name) / check.__name__
            tmp.mkdir()
            try:
                print(f"  通过  {check(bundle, tmp)}")
            except (CheckFailed, subprocess.TimeoutExpired, OSError, sqlite3.Error) as exc:
                failed += 1
                print(f"  失败  {check.__name__}: {exc}")
    print(f"打包结果 {bundle}：{bundle_size(bundle)}")
    if failed:
        print(f"{failed} 项检查未通过")
        return 1
    print(PASSED)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
