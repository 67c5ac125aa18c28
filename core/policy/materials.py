"""Which required materials are still missing, with any-of groups and conditional items."""

from __future__ import annotations

from core.policy import model as m
from core.policy.conditions import Env, evaluate


def required_materials(subsidy: m.Subsidy, env: Env) -> list[m.Material]:
    """Materials this case needs; a `required_when` that cannot be decided yet counts as needed."""
    out = []
    for mat in subsidy.materials:
        if not mat.required:
            continue
        if mat.required_when is not None and evaluate(mat.required_when, env) is False:
            continue
        out.append(mat)
    return out


def missing_materials(subsidy: m.Subsidy, received: frozenset[str], env: Env) -> list[str]:
    """Ids of missing materials; an unsatisfied group is reported once, by its group id."""
    needed = required_materials(subsidy, env)
    missing: list[str] = []
    for mat in needed:
        if mat.group is None and mat.id not in received:
            missing.append(mat.id)
    for group in subsidy.material_groups:
        members = [mat.id for mat in needed if mat.group == group.id]
        if members and sum(1 for x in members if x in received) < min(group.pick, len(members)):
            missing.append(group.id)
    return missing


def material_names(subsidy: m.Subsidy, ids: list[str]) -> list[str]:
    names = {mat.id: mat.name for mat in subsidy.materials}
    names.update({g.id: g.label for g in subsidy.material_groups})
    return [names.get(i, i) for i in ids]
