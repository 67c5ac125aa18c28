"""Which title and fact columns a subsidy's 花名册 has.

Where a policy document names its roster, the name is used as written; otherwise the title is
"<county or city><subsidy name>花名册". Fact columns: the ones listed here, or by default the
first three dated, numeric, money or choice facts (yes/no facts are the same on every row
of an eligible roster, so they would only take room).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.policy import model as m

MAX_FACT_COLUMNS = 3


@dataclass(frozen=True)
class RosterLayout:
    title: str
    facts: tuple[str, ...]


# 千阳县就业帮扶实施办法 三2: "镇级初审后填写《千阳县脱贫劳动力跨省就业一次性交通费补助花名册》".
NAMED_LAYOUTS: dict[tuple[str, str], RosterLayout] = {
    ("qianyang-2021", "transport_once"): RosterLayout(
        "千阳县脱贫劳动力跨省就业一次性交通费补助花名册", ("employment_date", "transport_cost_fen")
    ),
}

_UNIT = re.compile(r".+?(?:自治区|自治州|自治县|地区|省|市|州(?![省市])|盟|县|区|旗)")


def region_short(region: str) -> str:
    """陕西省宝鸡市千阳县 -> 千阳县; 山东省枣庄市 -> 枣庄市; 贵州省 -> 贵州省."""
    units = _UNIT.findall(region)
    return units[-1] if units else region


def default_facts(subsidy: m.Subsidy) -> tuple[str, ...]:
    chosen = [f.id for f in subsidy.facts if f.type in ("date", "int", "money", "choice")]
    if subsidy.event_fact in chosen:
        chosen.remove(subsidy.event_fact)
        chosen.insert(0, subsidy.event_fact)
    return tuple(chosen[:MAX_FACT_COLUMNS])


def roster_layout(catalog: m.Catalog, subsidy: m.Subsidy) -> RosterLayout:
    named = NAMED_LAYOUTS.get((catalog.id, subsidy.id))
    if named is not None:
        return named
    return RosterLayout(f"{region_short(catalog.region)}{subsidy.name}花名册", default_facts(subsidy))
