"""The command line: the whole exchange without a window, with exit codes scripts can rely on."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.packages import sealed
from core.packages.county_import import import_package
from core.packages.export import export_batch
from core.packages.keys import public_pem
from main import main
from tests.packages.conftest import Site


def run(site: Site, *argv: str) -> int:
    return main(site.cli(*argv))


def test_command_line_round_trip(
    town: Site, county: Site, usb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    town.add_case("张三", "53342219900101123")
    town.db.close()
    county.db.close()
    assert run(town, "export-batch", "--to", str(usb)) == 0
    package = next(usb.glob("batch-*.zip"))
    assert run(county, "verify", str(package)) == 0
    assert run(county, "import-package", str(package)) == 0
    assert run(county, "verify", str(package)) == 9  # now a replay
    assert run(county, "export-results", "--office", town.code, "--to", str(usb)) == 2  # nothing decided
    assert "RESULTS_EMPTY" not in capsys.readouterr().err  # the clerk reads Chinese, not codes
    assert run(town, "transfer-slip", "1", "--to", str(usb / "slip.pdf")) == 0
    assert (usb / "slip.pdf").read_bytes().startswith(b"%PDF")
    capsys.readouterr()
    assert run(town, "key", "fingerprint") == 0
    assert capsys.readouterr().out.strip().count(" ") == 15


def test_damaged_package_exits_with_its_own_code(town: Site, county: Site, usb: Path) -> None:
    town.add_case("张三", "53342219900101123")
    path = export_batch(town.db, town.data_dir, usb, "clerk").path
    path.write_bytes(path.read_bytes()[:-100])
    county.db.close()
    assert run(county, "verify", str(path)) == 9
    assert run(county, "import-package", str(path)) == 9
    assert run(county, "verify", str(usb / "missing.zip")) == 9


def test_register_office_and_key_backup(
    town: Site, county: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    county.db.close()
    pub = tmp_path / "town.pub.pem"
    pub.write_bytes(town.public_key_file())
    assert run(county, "county", "register-office", town.code, str(pub)) == 0  # already there: no change
    assert run(county, "county", "register-office", "533422109", str(pub)) == 2  # one key, one office
    other = tmp_path / "other.pub.pem"
    other.write_bytes(public_pem(Ed25519PrivateKey.generate().public_key()))
    assert run(county, "county", "register-office", "533422109", str(other)) == 0
    assert run(county, "county", "register-office", "bad code!", str(other)) == 2
    monkeypatch.setenv("SUBSIDYDESK_KEY_PASSWORD", "一个足够长的密码")
    assert run(town, "key", "export", "--to", str(tmp_path / "backup.pem")) == 0
    assert b"ENCRYPTED PRIVATE KEY" in (tmp_path / "backup.pem").read_bytes()


def test_package_commands_import_nothing_heavy() -> None:
    import subprocess
    import sys

    code = "import main, sys; main.build_parser(); print(sorted(m for m in sys.modules if m.split('.')[0] in ('cryptography', 'openpyxl', 'sqlalchemy', 'reportlab')))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[2],
    )
    assert out.stdout.strip() == "[]"


def test_sealed_package_round_trip(town: Site, county: Site, usb: Path) -> None:
    town.add_case("张三", "53342219900101123", attachments=(b"x" * 2_500_000,))
    county_pub = county.keys.county_encryption_key().public_key()
    result = export_batch(town.db, town.data_dir, usb, "clerk", seal_to=county_pub)
    assert result.path.name.endswith(".zip.sealed") and sealed.is_sealed(result.path)
    assert [p.name for p in usb.iterdir()] == [result.path.name]  # no plain copy on the stick
    assert b"xxxxxxxx" not in result.path.read_bytes()
    damaged = usb / "damaged.zip.sealed"
    data = bytearray(result.path.read_bytes())
    data[len(data) // 2] ^= 1
    damaged.write_bytes(bytes(data))
    with county.db.session() as s, s.begin():
        assert import_package(s, county.data_dir, damaged, "clerk").verification.code == "PKG_SEALED_INVALID"
    cut = usb / "cut.zip.sealed"
    cut.write_bytes(result.path.read_bytes()[: 1 << 20 | 56])  # whole first chunk, last one lost
    with county.db.session() as s, s.begin():
        assert import_package(s, county.data_dir, cut, "clerk").verification.code == "PKG_SEALED_INVALID"
        report = import_package(s, county.data_dir, result.path, "clerk")
    assert report.status == "imported", report.verification.message
    assert public_pem(county_pub)  # the key a town would be given
