"""Who is acting: their name (written into the audit trail), their role and their station."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core.errors import SubsidyDeskError


class Role(StrEnum):
    CLERK = "clerk"  # 经办人: intake, corrections
    HEAD = "reviewer"  # 所长（负责人）: the town review


class Station(StrEnum):
    TOWN = "town"  # a township labour-security office
    COUNTY = "county"  # the county employment bureau


ROLE_LABELS = {Role.CLERK: "经办人", Role.HEAD: "所长（负责人）"}
STATION_LABELS = {Station.TOWN: "乡镇劳动保障事务所", Station.COUNTY: "县劳动就业管理局（县局）"}


class PermissionDenied(SubsidyDeskError):
    """The actor's role or station does not allow the action."""


@dataclass(frozen=True)
class Actor:
    name: str
    role: Role = Role.CLERK
    station: Station = Station.TOWN

    @property
    def label(self) -> str:
        return f"{self.name or '未填姓名'}（{ROLE_LABELS[self.role]}）"

    @property
    def audit_name(self) -> str:
        """The name the audit trail records; an unnamed operator may not change anything."""
        if not self.name.strip():
            raise PermissionDenied(
                "ACTOR_UNNAMED", "请先在“设置 → 切换操作人”中填写您的姓名：每一项改动都要记下操作人。"
            )
        return self.name.strip()

    def require_role(self, role: Role, action_zh: str) -> None:
        if self.role != role:
            raise PermissionDenied(
                "ROLE_REQUIRED",
                f"只有{ROLE_LABELS[role]}可以{action_zh}。请在“设置 → 切换操作人”中以{ROLE_LABELS[role]}身份操作。",
            )

    def require_station(self, station: Station, action_zh: str) -> None:
        if self.station != station:
            raise PermissionDenied(
                "STATION_REQUIRED",
                f"{action_zh}是{STATION_LABELS[station]}的工作；本机用途是{STATION_LABELS[self.station]}"
                "（可在“设置 → 本机用途”中查看）。",
            )
