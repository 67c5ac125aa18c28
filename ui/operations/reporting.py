"""Wrappers for the town's side of reporting: results from the county, the office key."""

from __future__ import annotations

from pathlib import Path

from core.db import Database


def import_county_results(db: Database, path: Path, actor: str) -> tuple[str, str]:
    """Apply a county result package; returns (status, a summary in Chinese)."""
    from core.packages.town_results import import_results

    with db.session() as s, s.begin():
        report = import_results(s, db.path.parent, path, actor)
    if report.status == "rejected":
        return report.status, report.verification.message
    if report.status == "already_imported":
        return report.status, "该结果包已经导入过，没有新的变化。"
    counts: dict[str, int] = {}
    for _uuid, outcome, _detail in report.applied:
        counts[outcome] = counts.get(outcome, 0) + 1
    parts = "，".join(f"{k} {v} 件" for k, v in sorted(counts.items())) or "没有需要更新的案件"
    return report.status, f"已导入县局结果：{parts}。"


def office_key_fingerprint(db: Database) -> str:
    from core.packages.keys import KeyStore, display_fingerprint

    return display_fingerprint(KeyStore(db.path.parent).office_fingerprint())
