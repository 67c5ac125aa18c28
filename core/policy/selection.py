"""Readings the county decides: which alternative applies to a case (docs/catalog-format.md).

Some phrases carry a duty with no stated consequence ("应在……期间申报") or a word like "一般";
the catalog lists the alternatives of such a reading with a default, and each rule that depends
on it (a window's effect, a limit's effect, a condition's test) says what it becomes under each
alternative. A *selection* maps reading id → alternative id for one catalog; readings it does
not name take the catalog's default.

Where the county's choice comes in: `county_selection` is what `core/cases/history.case_input`
passes as `CaseInput.readings`. The county chooses on its catalog-update screen; the choice is
written into the catalog file it signs and sends (`"county": {"readings": ...}`), so it travels
to the towns with the update and is covered by the catalog's content hash that each case
records. A reading the county has not chosen takes the default, and the assessment records
that it did (`Assessment.applied_readings`, `by_default=True`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import TypeVar

from core.policy import model as m
from core.policy.assessment import AppliedReading
from core.policy.errors import CaseInputError

Selection = Mapping[str, str]  # reading id -> alternative id
Resolved = dict[str, tuple[str, bool]]  # reading id -> (alternative id, chosen by the county)
R = TypeVar("R", m.Condition, m.Window, m.Limit)


def default_selection(catalog: m.Catalog) -> dict[str, str]:
    """The alternative each county-decided reading takes until the county chooses."""
    return {r.id: r.default for r in catalog.readings if r.alternatives and r.default}


def county_selection(catalog: m.Catalog) -> dict[str, str]:
    """The county's own choices for `catalog` (only the readings it has decided).

    They come with the catalog (a county update, checked by the loader); a catalog without
    them applies its defaults.
    """
    return dict(catalog.county_readings)


def resolve(catalog: m.Catalog, chosen: Selection) -> Resolved:
    """Every county-decided reading with the alternative that applies; a bad choice is refused."""
    readings = {r.id: r for r in catalog.readings if r.alternatives}
    for rid, alt in chosen.items():
        reading = readings.get(rid)
        if reading is None:
            known = "、".join(readings) or "（本目录没有需由县确定的解读）"
            raise CaseInputError(
                "CASE_UNKNOWN_READING", f"政策目录中没有可由县确定的解读“{rid}”。可选：{known}。", "readings"
            )
        if reading.alternative(alt) is None:
            options = "、".join(f"{a.id}（{a.label}）" for a in reading.alternatives)
            raise CaseInputError(
                "CASE_BAD_READING_CHOICE",
                f"解读“{reading.question}”没有“{alt}”这种理解，请从以下选择：{options}。",
                "readings",
            )
    return {rid: (chosen.get(rid, r.default or ""), rid in chosen) for rid, r in readings.items()}


def pick(rule: R, resolved: Resolved) -> R | None:
    """The rule as it applies under the resolved alternatives (None: absent under this one)."""
    if rule.reading is None:
        return rule
    alternative = resolved.get(rule.reading, ("", False))[0]
    for alt, variant in rule.variants:
        if alt == alternative:
            return variant
    return rule


def _picked(rules: Iterable[R], resolved: Resolved) -> tuple[R, ...]:
    return tuple(x for x in (pick(rule, resolved) for rule in rules) if x is not None)


def bound_readings(subsidy: m.Subsidy) -> list[str]:
    """Ids of the county-decided readings some rule of `subsidy` depends on, in rule order."""
    rules: list[m.Condition | m.Window | m.Limit] = [*subsidy.eligibility, *subsidy.windows, *subsidy.limits]
    if subsidy.beneficiary is not None:
        rules += subsidy.beneficiary.eligibility
    return list(dict.fromkeys(x.reading for x in rules if x.reading is not None))


def effective_subsidy(catalog: m.Catalog, subsidy: m.Subsidy, resolved: Resolved) -> m.Subsidy:
    """`subsidy` with each county-decided rule replaced by its variant under the selection."""
    bound = bound_readings(subsidy)
    if not bound:
        return subsidy
    key = f"selection:{subsidy.id}:" + ",".join(f"{r}={resolved[r][0]}" for r in bound if r in resolved)
    found = catalog.memo.get(key)
    if isinstance(found, m.Subsidy):
        return found
    beneficiary = subsidy.beneficiary
    if beneficiary is not None:
        beneficiary = dataclasses.replace(beneficiary, eligibility=_picked(beneficiary.eligibility, resolved))
    result = dataclasses.replace(
        subsidy,
        eligibility=_picked(subsidy.eligibility, resolved),
        windows=_picked(subsidy.windows, resolved),
        limits=_picked(subsidy.limits, resolved),
        beneficiary=beneficiary,
    )
    catalog.memo[key] = result
    return result


def applied_readings(
    catalog: m.Catalog, subsidy: m.Subsidy, resolved: Resolved
) -> tuple[AppliedReading, ...]:
    """What an assessment of `subsidy` records: each reading it depends on and the alternative used."""
    readings = {r.id: r for r in catalog.readings}
    out = []
    for rid in bound_readings(subsidy):
        reading = readings[rid]
        alt_id, chosen = resolved.get(rid, (reading.default or "", False))
        alt = reading.alternative(alt_id)
        out.append(AppliedReading(rid, reading.question, alt_id, alt.label if alt else alt_id, not chosen))
    return tuple(out)
