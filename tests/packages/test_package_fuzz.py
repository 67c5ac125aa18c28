"""Bad input never crashes (#14): a few hundred damaged or hostile batch, results and catalog
update packages, each refused in Chinese or read whole; `bench/fuzz_packages.py` runs thousands."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.packages.fuzz_harness import DOCUMENTED_EXITS, Harness, Tally, build, run_cli, run_one

SEEDS = 100  # per kind of package
pytestmark = pytest.mark.filterwarnings("ignore:Duplicate name")  # the mutations add duplicate members


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    h = build(tmp_path_factory.mktemp("fuzz"))
    yield h
    h.close()


@pytest.mark.parametrize("target", ["batch", "results", "catalog"])
def test_bad_packages_never_crash(harness: Harness, target: str) -> None:
    tally = Tally()
    for seed in range(SEEDS):
        run_one(harness, target, seed, tally)
    assert not tally.crashes, "\n".join(tally.examples)
    assert sum(tally.outcomes.values()) == SEEDS
    assert len(tally.outcomes) > 3  # the mutations reach many different checks


@pytest.mark.parametrize("target", ["batch", "results"])
def test_bad_packages_on_the_command_line_exit_with_documented_codes(harness: Harness, target: str) -> None:
    codes = [run_cli(harness, target, seed) for seed in range(1000, 1015)]
    assert set(codes) <= set(DOCUMENTED_EXITS), codes


def test_the_good_packages_are_read(harness: Harness, tmp_path: Path) -> None:
    from tests.packages.fuzz_harness import READERS

    for target, (_, reader) in READERS.items():
        path = tmp_path / f"{target}.zip"
        path.write_bytes(harness.good[target])
        assert reader(harness, path) in ("PKG_OK", "PKG_REPLAY"), target
