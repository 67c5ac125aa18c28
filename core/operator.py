"""Who is at the keyboard (经办人 or 所长), and whether this PC is a town office or the county;
both kept in the data folder.

No database and no SQLAlchemy here: the main window shows the operator before the ORM loads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from core.errors import InvalidInput, ValidationError

ROLES = {"clerk": "经办人", "reviewer": "所长（负责人）"}
OPERATOR_FILE = "operator.json"


@dataclass
class Operator:
    """Who is at the keyboard: recorded on every change, and the office head may review."""

    name: str = ""
    role: str = "clerk"

    @property
    def label(self) -> str:
        who = self.name or "未填姓名"
        return f"{who}（{ROLES.get(self.role, self.role)}）"

    @property
    def actor(self) -> str:
        """The name written into the audit trail."""
        return self.name or ROLES.get(self.role, self.role)


def load_operator(data_dir: Path) -> Operator:
    try:
        raw = json.loads((data_dir / OPERATOR_FILE).read_text(encoding="utf-8"))
        op = Operator(str(raw.get("name") or ""), str(raw.get("role") or "clerk"))
    except (OSError, ValueError, AttributeError):
        return Operator()
    return op if op.role in ROLES else Operator(op.name)


def save_operator(data_dir: Path, operator: Operator) -> None:
    if not operator.name.strip():
        raise InvalidInput([ValidationError("OPERATOR_NAME", "姓名", "请填写操作人姓名。")])
    if operator.role not in ROLES:
        raise InvalidInput([ValidationError("OPERATOR_ROLE", "身份", "请选择经办人或所长。")])
    (data_dir / OPERATOR_FILE).write_text(
        json.dumps({"name": operator.name.strip(), "role": operator.role}, ensure_ascii=False),
        encoding="utf-8",
    )


STATION_FILE = "station.json"
STATIONS = {"town": "乡镇劳动保障事务所", "county": "县劳动就业管理局（县局）"}


def load_station(data_dir: Path) -> str:
    """What this installation is: a town office (the default) or the county office."""
    try:
        mode = json.loads((data_dir / STATION_FILE).read_text(encoding="utf-8")).get("mode")
    except (OSError, ValueError, AttributeError):
        return "town"
    return mode if mode in STATIONS else "town"


def save_station(data_dir: Path, mode: str) -> None:
    if mode not in STATIONS:
        raise InvalidInput([ValidationError("STATION_MODE", "本机用途", "请选择乡镇事务所或县局。")])
    (data_dir / STATION_FILE).write_text(json.dumps({"mode": mode}), encoding="utf-8")
