"""The command line: the self-test the installer runs, and a clear line without a display."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import main as main_module

ROOT = Path(__file__).resolve().parents[1]


def _run(args: list[str], env_extra: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env |= {"SUBSIDYDESK_DATA_DIR": str(tmp_path / "data")} | env_extra  # its log stays in tmp_path
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )


def test_self_test_opens_window_and_database(tmp_path: Path) -> None:
    result = _run(["--self-test", "--data-dir", str(tmp_path / "d")], {}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "自检通过" in result.stdout
    assert (tmp_path / "d" / "subsidydesk.db").exists()


def test_data_dir_from_environment(tmp_path: Path) -> None:
    result = _run(["--self-test"], {"SUBSIDYDESK_DATA_DIR": str(tmp_path / "env")}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "env" / "subsidydesk.db").exists()


def test_without_display_one_clear_line(tmp_path: Path) -> None:
    result = _run(["--data-dir", str(tmp_path / "d")], {}, tmp_path)
    assert result.returncode == 8
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "没有可用的图形显示" in lines[0]


def test_corrupt_database_gives_message_and_exit_code(tmp_path: Path) -> None:
    data = tmp_path / "d"
    data.mkdir()
    (data / "subsidydesk.db").write_bytes(b"not a database" * 50)
    result = _run(["--self-test", "--data-dir", str(data)], {}, tmp_path)
    assert result.returncode == 5
    assert "已损坏" in result.stderr
    assert (data / "subsidydesk.db").read_bytes() == b"not a database" * 50


def test_every_readme_example_is_assessed(tmp_path: Path) -> None:
    examples = sorted((ROOT / "examples").glob("*.json"))
    assert {p.stem for p in examples} == {
        "qianyang-2021",
        "guizhou-2021",
        "fengdu-2021",
        "zaozhuang-2021",
        "deqin-2021",
    }
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in examples:
        result = _run(["assess", str(path)], {}, tmp_path)
        assert result.returncode == 0, result.stderr
        assert "：符合条件" in result.stdout.splitlines()[0]
        assert f"examples/{path.name}" in readme


def test_assess_bad_input_exits_2_with_a_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"catalog": "qianyang-2021", "subsidy": "nope", "application_date": "2022-01-01"}', encoding="utf-8"
    )
    result = _run(["assess", str(bad)], {}, tmp_path)
    assert result.returncode == 2
    assert "没有补贴“nope”" in result.stderr
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert _run(["assess", str(broken)], {}, tmp_path).returncode == 2


def test_deeply_nested_json_is_bad_input_not_a_crash(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = _run(["assess", str(deep)], {}, tmp_path)
    assert result.returncode == 2 and "嵌套" in result.stderr and "Traceback" not in result.stderr
    nested = tmp_path / "nested.json"
    facts = "{" + '"a": {' * 5000 + "}" * 5000 + "}"
    nested.write_text(
        '{"catalog": "qianyang-2021", "subsidy": "job_seeking_once", "application_date": "2022-01-01",'
        f' "facts": {facts}}}',
        encoding="utf-8",
    )
    result = _run(["assess", str(nested)], {}, tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_output_on_a_gbk_console_does_not_crash(tmp_path: Path) -> None:
    """Chinese Windows consoles use GBK, which has no ✓; the assessment must still print."""
    result = _run(
        ["assess", str(ROOT / "examples" / "qianyang-2021.json")], {"PYTHONIOENCODING": "gbk"}, tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "符合条件" in result.stdout


def test_self_test_writes_its_session_to_the_log(tmp_path: Path) -> None:
    result = _run(["--self-test", "--data-dir", str(tmp_path / "d")], {}, tmp_path)
    assert result.returncode == 0, result.stderr
    log = (tmp_path / "d" / "logs" / "subsidydesk.log").read_text(encoding="utf-8")
    assert "程序启动，数据文件夹" in log and "程序版本：" in log and "程序退出，退出码 0" in log


def test_unexpected_error_in_a_command_gives_one_line_and_exit_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(args: object) -> int:
        return {}["catalog"]  # a bug: KeyError

    monkeypatch.setattr(main_module, "cmd_catalogs", broken)
    code = main_module.main(["--data-dir", str(tmp_path / "d"), "catalogs"])
    log_path = tmp_path / "d" / "logs" / "subsidydesk.log"
    assert code == 1
    assert capsys.readouterr().err.splitlines() == [f"程序遇到意外错误，已记入日志 {log_path}。"]
    log = log_path.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in log and "in broken" in log and "KeyError: 'catalog'" in log
    assert "程序退出，退出码 1" in log


def test_a_command_with_a_data_folder_logs_its_session(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """office-code opens the data folder; without a code set it is a clerk's error (exit 2)."""
    assert main_module.main(["--data-dir", str(tmp_path / "d"), "office-code"]) == 2
    assert "还没有设置本所的上报代码" in capsys.readouterr().err
    log = (tmp_path / "d" / "logs" / "subsidydesk.log").read_text(encoding="utf-8")
    assert "程序启动，版本 " in log and "命令没有完成：OFFICE_CODE_MISSING" in log
    assert "程序退出，退出码 2" in log


def test_a_command_without_a_data_folder_starts_no_log(tmp_path: Path) -> None:
    assert main_module.main(["--data-dir", str(tmp_path / "d"), "catalogs"]) == 0
    assert not (tmp_path / "d").exists()
