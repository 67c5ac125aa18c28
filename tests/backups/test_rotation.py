"""Rotation: 7 daily, 4 weekly, 12 monthly, counted in days that have a backup; scans no kept set
names are removed, scans a kept set names never are."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from core.backups.layout import KIND_AUTO, KIND_SAFETY, BackupInfo, list_sets, primary_target, scan_path
from core.backups.rotation import to_keep
from core.backups.run import make_backup
from tests.backups.office import add_cases, add_scan, set_office


def fake(at: dt.datetime, kind: str = KIND_AUTO) -> BackupInfo:
    return BackupInfo(Path(at.isoformat()), at, kind, 0, 0, 0, False, "", "", "", {})


def test_a_year_of_daily_backups_keeps_7_daily_4_weekly_12_monthly() -> None:
    start = dt.datetime(2025, 12, 1, 17, 30)
    sets = [fake(start + dt.timedelta(days=d)) for d in range(400)]
    kept = sorted(to_keep(sets), reverse=True)
    newest = start + dt.timedelta(days=399)
    days = {newest - dt.timedelta(days=d) for d in range(7)}
    assert {Path(d.isoformat()) for d in days} <= set(kept)
    kept_at = sorted(dt.datetime.fromisoformat(str(p)) for p in kept)
    months = {(k.year, k.month) for k in kept_at}
    assert len(months) == 12
    assert len(kept) <= 7 + 4 + 12 and len(kept) >= 12


def test_several_backups_a_day_keep_the_newest_of_the_day() -> None:
    day = dt.datetime(2026, 11, 30, 9, 0)
    sets = [fake(day + dt.timedelta(hours=h)) for h in range(9)]
    assert to_keep(sets) == {Path((day + dt.timedelta(hours=8)).isoformat())}


def test_days_without_backups_do_not_count() -> None:
    """Closed for a month: the seven days kept are the seven last days the office worked."""
    before = [fake(dt.datetime(2026, 1, d, 17, 30)) for d in range(1, 11)]
    after = fake(dt.datetime(2026, 3, 1, 17, 30))
    kept = to_keep([*before, after])
    assert {Path(dt.datetime(2026, 1, d, 17, 30).isoformat()) for d in range(5, 11)} <= kept


def test_the_three_newest_safety_backups_stay() -> None:
    day = dt.datetime(2026, 11, 30, 9, 0)
    safety = [fake(day + dt.timedelta(minutes=m), KIND_SAFETY) for m in range(5)]
    kept = to_keep([*safety, fake(day + dt.timedelta(hours=1))])
    assert {s.path for s in safety[-3:]} <= kept and safety[0].path not in kept


def test_rotation_on_disk_removes_old_sets_and_only_their_scans(db, data_dir: Path) -> None:
    set_office(db)
    add_cases(db, 1)
    start = dt.datetime(2026, 10, 1, 17, 30)
    first_scan = add_scan(data_dir)
    make_backup(data_dir, KIND_AUTO, now=start)
    (data_dir / "attachments" / first_scan[:2] / first_scan).unlink()  # removed from the case since
    for day in range(1, 10):
        add_scan(data_dir)
        make_backup(data_dir, KIND_AUTO, now=start + dt.timedelta(days=day))
    sets = list_sets(primary_target(data_dir))
    # 1 to 10 October 2026: the last 7 days; their weeks' and month's newest are among them
    assert [s.created_at.day for s in sets] == [10, 9, 8, 7, 6, 5, 4]
    named = {sha for s in sets for sha in s.scan_hashes}
    folder = sets[0].scan_folder
    on_disk = {p.name for p in folder.glob("??/*")}
    assert on_disk == named and first_scan not in on_disk
    for info in sets:
        assert all(scan_path(folder, sha).exists() for sha in info.scan_hashes)
