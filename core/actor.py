"""Who is acting: the logged-in user's name (written into the audit trail), roles and station.

An `Actor` is what a login (core/app/accounts.py) hands back; every use case checks the role
it needs here, in core, so that the window hiding a button is a convenience and not the guard.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from core.errors import SubsidyDeskError


class Role(StrEnum):
    CLERK = "clerk"  # 经办员: intake, corrections of own drafts (town)
    HEAD = "head"  # 所长: town review, reverting a review, batch export (town)
    ADMIN = "admin"  # 管理员: accounts, settings, keys, backups (town and county)
    REVIEWER = "reviewer"  # 审核员: the county's decisions (county)
    FINANCE = "finance"  # 财务: payments (county)


class Station(StrEnum):
    TOWN = "town"  # a township labour-security office
    COUNTY = "county"  # the county employment bureau


ROLE_LABELS = {
    Role.CLERK: "经办员",
    Role.HEAD: "所长",
    Role.ADMIN: "管理员",
    Role.REVIEWER: "审核员",
    Role.FINANCE: "财务",
}
# The roles a person may hold at each station, in the order the screens list them.
STATION_ROLES = {
    Station.TOWN: (Role.CLERK, Role.HEAD, Role.ADMIN),
    Station.COUNTY: (Role.REVIEWER, Role.FINANCE, Role.ADMIN),
}
STATION_LABELS = {Station.TOWN: "乡镇劳动保障事务所", Station.COUNTY: "县劳动就业管理局（县局）"}


class PermissionDenied(SubsidyDeskError):
    """The actor's role or station does not allow the action."""


def roles_label(roles: Iterable[Role]) -> str:
    chosen = set(roles)
    names = [ROLE_LABELS[r] for r in ROLE_LABELS if r in chosen]
    return "、".join(names) or "无角色"


@dataclass(frozen=True, init=False)
class Actor:
    name: str
    roles: frozenset[Role]
    station: Station

    def __init__(
        self, name: str, roles: Role | Iterable[Role] | None = None, station: Station = Station.TOWN
    ) -> None:
        """`roles` may be one role; left out, the station's first working role (经办员 at a
        town, 审核员 at the county), which keeps tests and scripts short."""
        if roles is None:
            roles = STATION_ROLES[station][0]
        chosen = frozenset({roles} if isinstance(roles, Role) else roles)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "roles", chosen)
        object.__setattr__(self, "station", station)

    def has(self, role: Role) -> bool:
        return role in self.roles

    @property
    def label(self) -> str:
        return f"{self.name or '未登录'}（{roles_label(self.roles)}）"

    @property
    def audit_name(self) -> str:
        """The name the audit trail records; nobody logged in may change anything."""
        if not self.name.strip():
            raise PermissionDenied("ACTOR_UNNAMED", "请先登录：每一项改动都要记下操作人。")
        return self.name.strip()

    def require_role(self, role: Role, action_zh: str) -> None:
        self.require_any((role,), action_zh)

    def require_any(self, roles: Iterable[Role], action_zh: str) -> None:
        allowed = tuple(roles)
        if not any(r in self.roles for r in allowed):
            who = "或".join(ROLE_LABELS[r] for r in allowed)
            raise PermissionDenied(
                "ROLE_REQUIRED",
                f"只有{who}可以{action_zh}。请由有{who}角色的账户登录后再做（设置 → 注销）。",
            )

    def require_station(self, station: Station, action_zh: str) -> None:
        if self.station != station:
            raise PermissionDenied(
                "STATION_REQUIRED",
                f"{action_zh}是{STATION_LABELS[station]}的工作；本机用途是{STATION_LABELS[self.station]}"
                "（可在“设置 → 本机用途”中查看）。",
            )
