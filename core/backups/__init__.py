"""Backups of the database and the scans, and restoring one (issue 14).

Pure Python, no Qt. `layout` (targets, sets, manifest, `newest_verified_backup`), `snapshot`
(SQLite's online backup API, the database check), `write` (one set, verified before it is
published), `run` (one backup to every target), `rotation`, `crypt` (password, AEAD),
`config` (the data folder's backup settings), `restore`, `schedule` (when automatic backups
are due).
"""

from core.backups.layout import BackupError, BackupInfo, newest_verified_backup

__all__ = ["BackupError", "BackupInfo", "newest_verified_backup"]
