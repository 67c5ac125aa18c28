"""One window per data folder: a second copy of the program is refused with one Chinese box and
exit code 3, while the command-line jobs and the self-test still run beside the open window, and
a lock left behind by a crash does not lock anyone out."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.errors import EXIT_LOCKED
from core.instance import LOCK_FILENAME, InstanceLock

ROOT = Path(__file__).resolve().parents[1]

# A second copy of the real program whose message boxes are printed instead of shown, so the
# test can read the one box it shows (and no box can wait for a click that never comes).
SECOND_COPY = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from ui import app
from ui.dialog_service import ScriptedDialogs


class Printed(ScriptedDialogs):
    def error(self, parent, title, text):
        print("BOX", title, "|", text.replace("\\n", " "), flush=True)


app.DialogService = Printed
from main import main

sys.exit(main(["--data-dir", sys.argv[1]]))
"""


def env() -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    return clean | {"QT_QPA_PLATFORM": "offscreen"}


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, encoding="utf-8", env=env(), cwd=cwd,
        timeout=120, check=False,
    )  # fmt: skip


def held_by(folder: Path, pid: int) -> bool:
    try:
        return f"pid {pid}\n" in (folder / LOCK_FILENAME).read_text(encoding="ascii")
    except OSError:
        return False


@pytest.fixture
def open_window(tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen[str]]]:
    """The program's window, really running (offscreen) on a data folder of its own."""
    folder = tmp_path / "data"
    first = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "--data-dir", str(folder)],
        env=env(), cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not held_by(folder, first.pid):
            assert first.poll() is None, first.stderr.read() if first.stderr else ""
            assert time.monotonic() < deadline, "the first window never took the data folder"
            time.sleep(0.1)
        yield folder, first
    finally:
        first.kill()  # as a crash or a power cut would end it: no clean-up of its own
        first.wait(timeout=30)


def test_the_lock_is_held_once_per_folder(tmp_path: Path) -> None:
    with InstanceLock(tmp_path / "a") as first:
        assert first.acquire() and first.held
        assert not InstanceLock(tmp_path / "a").acquire()  # a second window of this folder
        with InstanceLock(tmp_path / "b") as other:
            assert other.acquire()  # another data folder is another office
    again = InstanceLock(tmp_path / "a")
    assert again.acquire()  # released when the window closed
    again.release()


def test_a_lock_file_left_behind_does_not_lock_anyone_out(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    # What a window that crashed (or a PC that lost power) leaves: the file, with an old pid.
    (folder / LOCK_FILENAME).write_text(f"pid {os.getpid()}\nsince 2022-03-01T08:00:00\n", encoding="ascii")
    lock = InstanceLock(folder)
    assert lock.acquire()
    assert (folder / LOCK_FILENAME).read_text(encoding="ascii").startswith(f"pid {os.getpid()}\n")
    lock.release()


def test_a_second_copy_is_refused_with_one_message_and_exit_code_3(open_window, tmp_path: Path) -> None:
    folder, first = open_window
    script = tmp_path / "second_copy.py"
    script.write_text(SECOND_COPY, encoding="utf-8")
    second = run([str(script), str(folder)], tmp_path)
    assert second.returncode == EXIT_LOCKED == 3, second.stderr
    boxes = [line for line in second.stdout.splitlines() if line.startswith("BOX")]
    assert len(boxes) == 1 and boxes[0].startswith("BOX SubsidyDesk 已经打开 | SubsidyDesk 已经打开。")
    assert str(folder) in boxes[0] and "任务栏" in boxes[0]
    assert "SubsidyDesk 已经打开" in second.stderr  # and for a technician starting it from a console
    assert first.poll() is None  # the first window is untouched


def test_command_line_jobs_and_the_self_test_run_beside_the_open_window(open_window, tmp_path: Path) -> None:
    folder, first = open_window
    secret = tmp_path / "password.txt"
    secret.write_text("办事公道-2026\n", encoding="utf-8")
    login = ["--data-dir", str(folder), "--user", "李经办", "--password-file", str(secret)]
    made = run([str(ROOT / "main.py"), *login, "account-init"], tmp_path)
    assert made.returncode == 0 and "恢复码" in made.stdout, made.stderr
    job = run([str(ROOT / "main.py"), *login, "office-code", "610328101"], tmp_path)
    assert job.returncode == 0, job.stderr
    check = run([str(ROOT / "main.py"), "--data-dir", str(folder), "--self-test"], tmp_path)
    assert check.returncode == 0, check.stderr
    assert "自检通过" in check.stdout
    assert first.poll() is None and held_by(folder, first.pid)


def test_a_crashed_window_leaves_the_folder_free(open_window) -> None:
    folder, first = open_window
    assert not InstanceLock(folder).acquire()
    first.kill()
    first.wait(timeout=30)
    assert (folder / LOCK_FILENAME).exists()  # the file stays; the operating system's lock went with it
    lock = InstanceLock(folder)
    assert lock.acquire()
    lock.release()


def test_a_program_waits_while_another_opens_the_folder(tmp_path: Path, monkeypatch) -> None:
    from core.app import storage
    from core.errors import DatabaseUnavailable
    from core.instance import OPENING_FILENAME

    folder = tmp_path / "data"
    opening = InstanceLock(folder, OPENING_FILENAME)
    assert opening.acquire()  # another program is migrating the database
    monkeypatch.setattr(storage, "OPENING_WAIT_S", 0.3)
    with pytest.raises(DatabaseUnavailable) as info:
        storage.open_data(folder)
    assert info.value.code == "DB_OPENING" and info.value.exit_code == EXIT_LOCKED
    assert "稍后再试" in info.value.message_zh and not (folder / "subsidydesk.db").exists()
    opening.release()
    db = storage.open_data(folder)
    db.close()
    after = InstanceLock(folder, OPENING_FILENAME)
    assert after.acquire()  # let go once the file is open
    after.release()
