"""Reading one subsidy of a catalog, checking every reference inside it."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping
from typing import Any

from core.policy import model as m
from core.policy import vocab as v
from core.policy.parse_amounts import parse_amount, parse_clause
from core.policy.parse_limits import parse_limit, parse_window
from core.policy.parse_rules import RuleReader
from core.policy.reader import Reader, join

Raw = dict[str, Any]
_SUBSIDY_KEYS = (
    "id",
    "name",
    "summary",
    "clause",
    "applicant",
    "event_fact",
    "facts",
    "eligibility",
    "beneficiary",
    "amount",
    "windows",
    "limits",
    "material_groups",
    "materials",
    "route",
    "notes",
    "loan",
)
_FACT_KEYS = (
    "id",
    "label",
    "type",
    "help",
    "unit",
    "min",
    "max",
    "min_fen",
    "max_fen",
    "choices",
    "max_length",
    "required",
    "required_when",
)


def parse_subsidy(
    r: Reader,
    raw: Raw,
    where: str,
    params: Mapping[str, m.Parameter],
    all_ids: Collection[str],
    readings: RuleReader | None = None,
) -> m.Subsidy:
    """One subsidy; error paths are relative to it, `where` names it when its id is bad.

    `readings` carries the catalog's readings (and collects which of them rules depend on).
    """
    path = ""
    r.subsidy = raw.get("id") if isinstance(raw.get("id"), str) else where
    r.obj(raw, path, _SUBSIDY_KEYS, ("id", "name", "clause", "applicant", "facts", "amount"))
    sid = r.ident(raw, "id", path)
    facts = parse_facts(r, raw, path)
    roster_raw = raw.get("beneficiary")
    shared = readings or RuleReader(r, {}, params, False)
    rr = shared.with_facts({f.id: f for f in facts}, roster=roster_raw is not None)
    facts = _with_required_when(rr, raw, path, facts)
    beneficiary = _beneficiary(r, rr, roster_raw, join(path, "beneficiary"))
    row_facts = {f.id: f for f in beneficiary.facts} if beneficiary else {}
    subsidy = m.Subsidy(
        id=m.SubsidyId(sid),
        name=r.text(raw, "name", path),
        summary=r.text(raw, "summary", path),
        clause=parse_clause(rr, raw.get("clause"), join(path, "clause")),
        applicant=_applicant(rr, raw.get("applicant"), join(path, "applicant")),
        event_fact=_event_fact(rr, raw, path),
        facts=facts,
        eligibility=_conditions(rr, raw, "eligibility", path),
        beneficiary=beneficiary,
        amount=parse_amount(rr, raw.get("amount"), join(path, "amount")) or m.NoAmount(),
        windows=tuple(
            rr.variants(w, p, lambda x, q: parse_window(rr, x, q)) for p, w in r.items(raw, "windows", path)
        ),
        limits=tuple(
            rr.variants(x, p, lambda y, q: parse_limit(rr, y, q, sid, all_ids, row_facts))
            for p, x in r.items(raw, "limits", path)
        ),
        material_groups=_groups(r, raw, path),
        materials=_materials(rr, raw, path),
        route=_route(r, raw.get("route"), join(path, "route")),
        notes=r.str_list(raw, "notes", path),
        loan=parse_loan(rr, raw.get("loan"), join(path, "loan")),
        fact_index={f.id: f for f in facts},
    )
    _check_rule_ids(r, subsidy, path)
    _check_material_groups(r, subsidy, path)
    r.subsidy = None
    return subsidy


def parse_facts(r: Reader, raw: Raw, path: str, key: str = "facts") -> tuple[m.Fact, ...]:
    facts: list[m.Fact] = []
    seen: set[str] = set()
    for p, item in r.items(raw, key, path):
        fact = _fact(r, item, p)
        if fact is None:
            continue
        if fact.id in seen:
            r.error(join(p, "id"), "CATALOG_DUPLICATE_ID", f"事实“{fact.id}”重复定义。")
        seen.add(fact.id)
        facts.append(fact)
    return tuple(facts)


def _fact(r: Reader, raw: object, path: str) -> m.Fact | None:
    d = r.obj(raw, path, _FACT_KEYS, ("id", "label", "type"))
    if d is None:
        return None
    fid, ftype = r.ident(d, "id", path), r.enum(d, "type", path, v.FACT_TYPES, "")
    if ftype == "money" and not fid.endswith("_fen"):
        r.error(join(path, "id"), "CATALOG_BAD_ID", f"金额类事实的标识应以 _fen 结尾（“{fid}”）。")
    money = ftype == "money"
    choices = tuple(_choice(r, c, p) for p, c in r.items(d, "choices", path))
    if ftype == "choice" and not choices:
        r.error(join(path, "choices"), "CATALOG_MISSING", "选项类事实必须列出 choices。")
    return m.Fact(
        id=fid,
        label=r.text(d, "label", path),
        type=ftype or "text",
        help=r.text(d, "help", path),
        unit=r.text(d, "unit", path),
        min=r.integer(d, "min_fen" if money else "min", path),
        max=r.integer(d, "max_fen" if money else "max", path),
        choices=choices,
        max_length=r.integer(d, "max_length", path),
        required=r.boolean(d, "required", path, True),
    )


def _choice(r: Reader, raw: object, path: str) -> m.Choice:
    d = r.obj(raw, path, ("value", "label"), ("value", "label")) or {}
    return m.Choice(r.text(d, "value", path), r.text(d, "label", path))


def _with_required_when(
    rr: RuleReader, raw: Raw, path: str, facts: tuple[m.Fact, ...], key: str = "facts"
) -> tuple[m.Fact, ...]:
    """Facts with their `required_when` tests, read once every fact of the scope is known."""
    tests: dict[str, m.Test | None] = {}
    for p, item in rr.r.items(raw, key, path):
        when = item.get("required_when") if isinstance(item, dict) else None
        if when is not None and isinstance(item.get("id"), str):
            tests[item["id"]] = rr.test(when, join(p, "required_when"))
    return tuple(dataclasses.replace(f, required_when=tests.get(f.id)) for f in facts)


def _event_fact(rr: RuleReader, raw: Raw, path: str) -> str | None:
    if raw.get("event_fact") is None:
        return None
    return rr.fact_ref(raw["event_fact"], join(path, "event_fact"), ("date",))


def _applicant(rr: RuleReader, raw: object, path: str) -> m.ApplicantRule:
    r = rr.r
    keys = ("kind", "on_behalf", "categories", "org_types", "note", "clause")
    d = r.obj(raw, path, keys, ("kind",))
    if d is None:
        return m.ApplicantRule(kind="person")
    return m.ApplicantRule(
        kind=r.enum(d, "kind", path, v.APPLICANT_KINDS, "") or "person",
        on_behalf=r.str_list(d, "on_behalf", path, v.ON_BEHALF),
        categories=r.str_list(d, "categories", path, v.CATEGORIES),
        org_types=r.str_list(d, "org_types", path, v.ORG_TYPES),
        note=r.text(d, "note", path),
        clause=parse_clause(rr, d.get("clause"), join(path, "clause")),
    )


def _conditions(rr: RuleReader, raw: Raw, key: str, path: str) -> tuple[m.Condition, ...]:
    out = []
    for p, item in rr.r.items(raw, key, path):
        cond = rr.variants(item, p, lambda x, q: _condition(rr, x, q))
        if cond.test is not None:
            out.append(cond)
    return tuple(out)


def _condition(rr: RuleReader, raw: object, path: str) -> m.Condition:
    keys = ("id", "label", "clause", "test", "effect")
    d = rr.r.obj(raw, path, keys, ("id", "label", "test")) or {}
    test = rr.test(d.get("test"), join(path, "test")) if "test" in d else None
    return m.Condition(
        id=rr.r.ident(d, "id", path),
        label=rr.r.text(d, "label", path),
        test=test,  # type: ignore[arg-type]  # None only with an error already recorded; dropped above
        clause=parse_clause(rr, d.get("clause"), join(path, "clause")),
        effect=rr.r.enum(d, "effect", path, v.CONDITION_EFFECTS, "reject"),
    )


def parse_loan(rr: RuleReader, raw: object, path: str) -> m.LoanTerms | None:
    """The loan's own figures (ceiling, term): information, never money the office pays."""
    if raw is None:
        return None
    r = rr.r
    d = r.obj(raw, path, ("fact", "figures", "clause"), ("figures",)) or {}
    fact = rr.fact_ref(d["fact"], join(path, "fact"), ("choice",)) if "fact" in d else None
    options = {c.value for c in rr.facts[fact].choices} if fact else set()
    figures = []
    keys = ("label", "when", "ceiling_fen", "per_person_fen", "term_months", "note")
    for p, item in r.items(d, "figures", path, required=True):
        x = r.obj(item, p, keys, ("label",)) or {}
        when = r.text(x, "when", p) or None
        if when is not None and (fact is None or when not in options):
            r.error(join(p, "when"), "CATALOG_BAD_VALUE", f"“{when}”不是借款人类型事实的选项。")
        figures.append(
            m.LoanFigure(
                label=r.text(x, "label", p),
                when=when,
                ceiling_fen=r.integer(x, "ceiling_fen", p),
                per_person_fen=r.integer(x, "per_person_fen", p),
                term_months=r.integer(x, "term_months", p),
                note=r.text(x, "note", p),
            )
        )
    if not figures:
        r.error(join(path, "figures"), "CATALOG_MISSING", "贷款至少要列出一种借款人的额度或期限。")
    return m.LoanTerms(tuple(figures), fact, parse_clause(rr, d.get("clause"), join(path, "clause")))


def _beneficiary(r: Reader, rr: RuleReader, raw: object, path: str) -> m.BeneficiaryRule | None:
    if raw is None:
        return None
    keys = ("label", "categories", "facts", "eligibility", "min_count", "clause")
    d = r.obj(raw, path, keys, ("label",))
    if d is None:
        return None
    facts = parse_facts(r, d, path)
    # Row conditions may also name the subsidy's own facts; row facts win on a name clash.
    row_rr = rr.with_facts({**rr.facts, **{f.id: f for f in facts}}, True)
    return m.BeneficiaryRule(
        label=r.text(d, "label", path),
        categories=r.str_list(d, "categories", path, v.CATEGORIES),
        facts=_with_required_when(row_rr, d, path, facts),
        eligibility=_conditions(row_rr, d, "eligibility", path),
        min_count=r.integer(d, "min_count", path),
        clause=parse_clause(rr, d.get("clause"), join(path, "clause")),
    )


def _groups(r: Reader, raw: Raw, path: str) -> tuple[m.MaterialGroup, ...]:
    out = []
    for p, item in r.items(raw, "material_groups", path):
        d = r.obj(item, p, ("id", "label", "pick", "clause"), ("id", "label")) or {}
        pick = r.integer(d, "pick", p, 1) or 1
        out.append(m.MaterialGroup(r.ident(d, "id", p), r.text(d, "label", p), pick))
    return tuple(out)


def _materials(rr: RuleReader, raw: Raw, path: str) -> tuple[m.Material, ...]:
    r = rr.r
    keys = (
        "id",
        "name",
        "group",
        "form",
        "copies",
        "original_returned",
        "provided_by",
        "required",
        "required_when",
        "condition_label",
        "clause",
    )
    out = []
    for p, item in r.items(raw, "materials", path):
        d = r.obj(item, p, keys, ("id", "name", "form")) or {}
        when = d.get("required_when")
        out.append(
            m.Material(
                id=r.ident(d, "id", p),
                name=r.text(d, "name", p),
                form=r.enum(d, "form", p, v.MATERIAL_FORMS, "") or "copy",
                copies=r.integer(d, "copies", p, 1) or 0,
                original_returned=r.boolean(d, "original_returned", p, False),
                provided_by=r.enum(d, "provided_by", p, v.PROVIDERS, "applicant"),
                group=r.text(d, "group", p) or None,
                required=r.boolean(d, "required", p, True),
                required_when=rr.test(when, join(p, "required_when")) if when is not None else None,
                condition_label=r.text(d, "condition_label", p),
                clause=parse_clause(rr, d.get("clause"), join(p, "clause")),
            )
        )
    return tuple(out)


def _route(r: Reader, raw: object, path: str) -> m.Route | None:
    if raw is None:
        return None
    d = r.obj(raw, path, ("receives", "reviews", "pays", "note"), ("receives",)) or {}
    return m.Route(
        r.text(d, "receives", path),
        r.str_list(d, "reviews", path),
        r.text(d, "pays", path),
        r.text(d, "note", path),
    )


def _check_rule_ids(r: Reader, s: m.Subsidy, path: str) -> None:
    """Conditions, windows and limits share one id space: golden cases name them in `failed`."""
    seen: dict[str, str] = {}
    named = [("eligibility", c.id) for c in s.eligibility] + [("windows", w.id) for w in s.windows]
    named += [("limits", x.id) for x in s.limits]
    for section, rid in named:
        if rid in seen:
            r.error(
                join(path, section), "CATALOG_DUPLICATE_ID", f"规则标识“{rid}”重复（已用于 {seen[rid]}）。"
            )
        seen[rid] = section
    _unique(
        r,
        [mat.id for mat in s.materials] + [g.id for g in s.material_groups],
        join(path, "materials"),
        "材料或材料组",
    )


def _unique(r: Reader, ids: list[str], path: str, what: str) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            r.error(path, "CATALOG_DUPLICATE_ID", f"{what}标识“{i}”重复。")
        seen.add(i)


def _check_material_groups(r: Reader, s: m.Subsidy, path: str) -> None:
    groups = {g.id: g for g in s.material_groups}
    for i, mat in enumerate(s.materials):
        if mat.group is not None and mat.group not in groups:
            r.error(
                join(join(path, "materials"), i) + ".group",
                "CATALOG_UNKNOWN_GROUP",
                f"材料“{mat.id}”引用了未定义的材料组“{mat.group}”。",
            )
    for i, g in enumerate(s.material_groups):
        members = sum(1 for mat in s.materials if mat.group == g.id)
        if not 1 <= g.pick <= max(members, 1) or members == 0:
            r.error(
                join(join(path, "material_groups"), i),
                "CATALOG_BAD_GROUP",
                f"材料组“{g.id}”有{members}项材料，pick={g.pick} 不合理。",
            )
