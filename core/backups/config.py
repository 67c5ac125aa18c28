"""The backup settings of a data folder: the second target, the password's key, the last backup.

Kept in `<data folder>/backup-settings.json`, written atomically. The derived key (never the
password) is stored there so that automatic backups can be encrypted without anyone typing:
the database beside it is unencrypted anyway, and the key protects the copies that leave the
PC (a lost USB stick). After a disk failure the key file is gone with the disk and the
password, typed again, derives the key from the salt in the backup's manifest.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from core.backups.crypt import BackupKey
from core.files import write_atomically

CONFIG_FILENAME = "backup-settings.json"


@dataclass(frozen=True)
class BackupConfig:
    second_targets: list[Path] = field(default_factory=list)
    key: BackupKey | None = None
    last_auto_at: dt.datetime | None = None  # local time of the last automatic backup

    @property
    def encrypted(self) -> bool:
        return self.key is not None


def load_config(data_dir: Path) -> BackupConfig:
    """The settings; defaults when the file is missing or unreadable (a backup is never refused
    for want of settings: it then goes to the data folder's own target, unencrypted)."""
    try:
        doc = json.loads((data_dir / CONFIG_FILENAME).read_text(encoding="utf-8"))
        return _parse(doc)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return BackupConfig()


def _parse(doc: dict[str, object]) -> BackupConfig:
    listed = doc.get("second_targets") or []
    targets = [Path(str(t)) for t in listed] if isinstance(listed, list) else []
    key = None
    raw = doc.get("key")
    if isinstance(raw, dict):
        key = BackupKey(
            bytes.fromhex(raw["key"]), bytes.fromhex(raw["salt"]), int(raw["n"]), int(raw["r"]), int(raw["p"])
        )
    last = doc.get("last_auto_at")
    return BackupConfig(targets, key, dt.datetime.fromisoformat(str(last)) if last else None)


def save_config(data_dir: Path, config: BackupConfig) -> None:
    doc: dict[str, object] = {
        "second_targets": [str(t) for t in config.second_targets],
        "key": None
        if config.key is None
        else {
            "key": config.key.key.hex(),
            "salt": config.key.salt.hex(),
            "n": config.key.n,
            "r": config.key.r,
            "p": config.key.p,
        },
        "last_auto_at": config.last_auto_at.isoformat() if config.last_auto_at else None,
    }
    write_atomically(
        data_dir / CONFIG_FILENAME, json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
    )


def update_config(data_dir: Path, **changes: object) -> BackupConfig:
    config = replace(load_config(data_dir), **changes)  # type: ignore[arg-type]
    save_config(data_dir, config)
    return config
