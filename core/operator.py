"""Who is at the keyboard and what this PC is (a town office or the county), kept in the data folder.

No database and no SQLAlchemy here: the main window shows the operator before the ORM loads.
"""

from __future__ import annotations

import json
from pathlib import Path

from core.actor import Actor, Role, Station
from core.errors import InvalidInput, ValidationError
from core.files import write_atomically

OPERATOR_FILE = "operator.json"
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


def load_actor(data_dir: Path) -> Actor:
    raw = _read(data_dir / OPERATOR_FILE)
    try:
        role = Role(str(raw.get("role") or Role.CLERK))
    except ValueError:
        role = Role.CLERK
    return Actor(str(raw.get("name") or ""), role, load_station(data_dir))


def save_operator(data_dir: Path, name: str, role: str) -> Actor:
    if not name.strip():
        raise InvalidInput([ValidationError("OPERATOR_NAME", "姓名", "请填写操作人姓名。")])
    try:
        chosen = Role(role)
    except ValueError:
        raise InvalidInput([ValidationError("OPERATOR_ROLE", "身份", "请选择经办人或所长。")]) from None
    payload = {"name": name.strip(), "role": chosen.value}
    write_atomically(data_dir / OPERATOR_FILE, json.dumps(payload, ensure_ascii=False).encode("utf-8"))
    return Actor(name.strip(), chosen, load_station(data_dir))


def save_station(data_dir: Path, mode: str) -> Station:
    try:
        station = Station(mode)
    except ValueError:
        raise InvalidInput(
            [ValidationError("STATION_MODE", "本机用途", "请选择乡镇事务所或县局。")]
        ) from None
    write_atomically(data_dir / STATION_FILE, json.dumps({"mode": station.value}).encode("utf-8"))
    return station
