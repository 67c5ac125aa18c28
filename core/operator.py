"""What this PC is (a town office or the county), kept in the data folder.

Who is at the keyboard is no longer kept here: it is the logged-in account (core/accounts.py).
No database and no SQLAlchemy here: the main window reads the station before the ORM loads.
"""

from __future__ import annotations

import json
from pathlib import Path

from core.actor import Station
from core.errors import InvalidInput, ValidationError
from core.files import write_atomically

STATION_FILE = "station.json"


def _read(path: Path) -> dict[str, object]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return raw if isinstance(raw, dict) else {}


def load_station(data_dir: Path) -> Station:
    """A town office unless this folder was set up as the county."""
    try:
        return Station(str(_read(data_dir / STATION_FILE).get("mode")))
    except ValueError:
        return Station.TOWN


def save_station(data_dir: Path, mode: str) -> Station:
    try:
        station = Station(mode)
    except ValueError:
        raise InvalidInput(
            [ValidationError("STATION_MODE", "本机用途", "请选择乡镇事务所或县局。")]
        ) from None
    write_atomically(data_dir / STATION_FILE, json.dumps({"mode": station.value}).encode("utf-8"))
    return station
