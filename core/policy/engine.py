"""`assess`: a pure, deterministic check of one case against one subsidy of a catalog.

Three-valued throughout: what cannot be decided from the case is `unknown` and the decision
is `needs_info`, never a guess. Any failed rule with a rejecting effect gives `not_eligible`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Mapping

from core.categories import with_groups
from core.policy import model as m
from core.policy.amounts import AmountContext, AmountFail, AmountUnknown, compute, pro_rata, uses_fact, yuan
from core.policy.applicants import applicant_outcomes
from core.policy.assessment import Alternative, Assessment, Conflict, Decision, Excluded, RuleOutcome
from core.policy.case import CaseInput, check_facts
from core.policy.conditions import Env, evaluate
from core.policy.errors import CaseInputError
from core.policy.limits import LimitInput, check_limit
from core.policy.loans import loan_outcome
from core.policy.materials import material_names, missing_materials
from core.policy.roster import assess_roster
from core.policy.selection import applied_readings, effective_subsidy, resolve
from core.policy.windows import check_window


@dataclasses.dataclass(frozen=True)
class _Derived:
    """Per-subsidy lookups computed once and kept in `Catalog.memo`."""

    labels: dict[str, str]
    names: dict[str, str]
    parameters: dict[str, m.Parameter]
    readings: tuple[m.Reading, ...]
    order: dict[str, int]


def _derived(catalog: m.Catalog, subsidy: m.Subsidy) -> _Derived:
    found = catalog.memo.get(subsidy.id)
    if isinstance(found, _Derived):
        return found
    derived = _Derived(
        labels={f.id: f.label for f in subsidy.facts},
        names={str(s.id): s.name for s in catalog.subsidies},
        parameters={p.id: p for p in catalog.parameters},
        readings=tuple(r for r in catalog.readings if not r.subsidies or subsidy.id in r.subsidies),
        order={f.id: i for i, f in enumerate(subsidy.facts)},
    )
    catalog.memo[subsidy.id] = derived
    return derived


@dataclasses.dataclass
class _Run:
    """Mutable scratch of one assessment; the result is frozen at the end."""

    catalog: m.Catalog
    subsidy: m.Subsidy
    case: CaseInput
    env: Env
    derived: _Derived
    trace: list[RuleOutcome] = dataclasses.field(default_factory=list)
    missing: set[str] = dataclasses.field(default_factory=set)
    conflicts: list[Conflict] = dataclasses.field(default_factory=list)
    excluded: list[Excluded] = dataclasses.field(default_factory=list)
    eligible_rows: int | None = None
    row_months: list[dict[str, int]] = dataclasses.field(default_factory=list)

    def add(
        self, rule_id: str, kind: str, outcome: str, message: str, clause: m.Clause | None = None
    ) -> None:
        self.trace.append(RuleOutcome(rule_id, kind, outcome, message, clause))  # type: ignore[arg-type]

    def labels(self) -> dict[str, str]:
        return self.derived.labels


def assess(catalog: m.Catalog, subsidy_id: str, case: CaseInput, *, alternatives: bool = True) -> Assessment:
    """Assess `case` for `subsidy_id`; raises CaseInputError for a case that cannot be read."""
    subsidy = catalog.subsidy(subsidy_id)
    if subsidy is None:
        raise CaseInputError(
            "CASE_UNKNOWN_SUBSIDY",
            f"目录“{catalog.short_name or catalog.id}”中没有补贴“{subsidy_id}”。",
            "subsidy",
        )
    check_facts(subsidy.fact_index, case.facts)
    _check_rows(subsidy, case)
    resolved = resolve(catalog, case.readings)
    written = subsidy
    subsidy = effective_subsidy(catalog, subsidy, resolved)
    categories = with_groups(case.applicant.categories)
    env = Env(case.facts, case.application_date, categories, case.applicant.id_number)
    run = _Run(catalog, subsidy, case, env, _derived(catalog, subsidy))
    run.trace.extend(applicant_outcomes(subsidy, case.applicant, case.submitted_by))
    _period(run)
    _required_facts(run)
    _conditions(run)
    for window in subsidy.windows:
        run.trace.append(check_window(window, case, run.labels()))
    if subsidy.beneficiary is not None:
        _roster(run, subsidy.beneficiary)
    amount = _limits(run, _amount(run, case.facts))
    loan = loan_outcome(subsidy, case.facts)
    if loan is not None:
        run.trace.append(loan[0])
    missing_mat = missing_materials(subsidy, case.materials_received, _fresh(env))
    _materials_note(run, missing_mat)
    result = _result(run, amount, missing_mat, _alternatives(run) if alternatives else ())
    return dataclasses.replace(
        result,
        applied_readings=applied_readings(catalog, written, resolved),
        loan=loan[1] if loan is not None else (),
    )


def _check_rows(subsidy: m.Subsidy, case: CaseInput) -> None:
    if subsidy.beneficiary is None:
        return
    defs = {f.id: f for f in subsidy.beneficiary.facts}
    for i, row in enumerate(case.beneficiaries):
        check_facts(defs, row.facts, f"花名册第{i + 1}行")


def _fresh(env: Env) -> Env:
    env.missing = set()
    env.notes = []
    return env


def _period(run: _Run) -> None:
    period = run.catalog.policy_period
    day: object = run.case.application_date
    what = "申请日期"
    if period.basis == "event" and run.subsidy.event_fact is not None:
        fact = run.subsidy.fact(run.subsidy.event_fact)
        day, what = run.case.facts.get(run.subsidy.event_fact), fact.label if fact else "事件日期"
    if not isinstance(day, dt.date):
        run.missing.add(run.subsidy.event_fact or "")
        run.add(
            "policy_period", "period", "unknown", f"缺少“{what}”，无法判断是否在政策执行期内。", period.clause
        )
        return
    end = f"{period.end.isoformat()}" if period.end else "文件未规定截止日期"
    inside = (period.start is None or period.start <= day) and (period.end is None or day <= period.end)
    start = f"{period.start.isoformat()}起" if period.start else "文件未规定开始日期"
    text = f"{what}{day.isoformat()}{'在' if inside else '不在'}政策执行期（{start}，{end}）内。"
    run.add("policy_period", "period", "pass" if inside else "fail", text, period.clause)


def _required_facts(run: _Run) -> None:
    env = run.env
    for fact in run.subsidy.facts:
        if fact.id in run.case.facts or not fact.required:
            continue
        needed = True if fact.required_when is None else evaluate(fact.required_when, _fresh(env))
        if needed:
            run.missing.add(fact.id)
            run.add(f"fact:{fact.id}", "fact", "unknown", f"请填写“{fact.label}”。")


def _conditions(run: _Run) -> None:
    for cond in run.subsidy.eligibility:
        env = _fresh(run.env)
        verdict = evaluate(cond.test, env)
        notes = "".join(env.notes)
        if verdict is None and cond.effect == "warn":
            # A reminder that cannot be checked yet holds nothing up: it is not a condition.
            run.add(cond.id, "condition", "info", f"未填写，暂不核对（仅提示）：{cond.label}。", cond.clause)
        elif verdict is None:
            run.missing |= env.missing
            names = "、".join(run.labels().get(f, f) for f in sorted(env.missing))
            run.add(
                cond.id,
                "condition",
                "unknown",
                f"缺少{('“' + names + '”') if names else '信息'}，无法判断：{cond.label}。{notes}",
                cond.clause,
            )
        elif verdict:
            run.add(cond.id, "condition", "pass", f"符合：{cond.label}。{notes}", cond.clause)
        elif cond.effect == "warn":
            text = f"提示：未做到“{cond.label}”（文件未把它定为享受条件，不影响本补贴）。{notes}"
            run.add(cond.id, "condition", "warn", text, cond.clause)
        else:
            run.add(cond.id, "condition", "fail", f"不符合：{cond.label}。{notes}", cond.clause)


def _roster(run: _Run, rule: m.BeneficiaryRule) -> None:
    result = assess_roster(rule, _limit_input(run, None))
    run.trace.extend(result.outcomes)
    run.conflicts.extend(result.conflicts)
    run.excluded = result.excluded
    run.eligible_rows = None if result.unknown else result.eligible
    run.row_months = result.row_months


def _limit_input(run: _Run, amount: int | None) -> LimitInput:
    event = run.case.facts.get(run.subsidy.event_fact or "")
    day = event if isinstance(event, dt.date) else None
    return LimitInput(run.catalog.id, run.subsidy, run.case, day, amount, run.derived.names)


def _amount(run: _Run, facts: Mapping[str, m.FactValue]) -> int | None:
    rule = run.subsidy.amount
    try:
        value, steps = _compute(run, rule, facts)
    except AmountUnknown as exc:
        run.missing |= set(exc.facts)
        run.add("amount", "amount", "unknown", exc.message_zh, rule.clause)
        return None
    except AmountFail as exc:
        run.add("amount", "amount", "fail", exc.message_zh, rule.clause)
        return None
    if isinstance(rule, m.NoAmount):
        run.add("amount", "amount", "info", f"本项不经镇劳动保障事务所发放资金。{rule.note}", rule.clause)
        return None
    run.add(
        "amount",
        "amount",
        "info",
        f"核定金额{yuan(value)}" + (f"（{steps}）" if steps else "") + "。",
        rule.clause,
    )
    return value


def _compute(run: _Run, rule: m.AmountRule, facts: Mapping[str, m.FactValue]) -> tuple[int, str]:
    """The amount, with roster rows whose months a duration cap reduced computed by group."""
    params = run.derived.parameters
    groups = Counter(tuple(sorted(x.items())) for x in run.row_months)
    if run.eligible_rows is None or not any(key for key in groups):
        ctx = AmountContext(facts, run.case.parameters, params, run.labels(), run.eligible_rows)
        return compute(rule, ctx), "；".join(ctx.steps)
    total, steps = 0, []
    for key, count in sorted(groups.items()):
        capped = dict(key)
        ctx = AmountContext({**facts, **capped}, run.case.parameters, params, run.labels(), count)
        part = compute(rule, ctx)
        for fact_id, months in capped.items():
            claimed = facts.get(fact_id)
            if not uses_fact(rule, fact_id) and isinstance(claimed, int):
                part = pro_rata(part, months, claimed)
        months_text = "、".join(f"“{run.labels().get(f, f)}”按{v}计" for f, v in capped.items())
        steps.append(f"{count}人" + (f"（{months_text}）" if months_text else "") + f"：{yuan(part)}")
        total += part
    return total, "；".join(steps)


def _limits(run: _Run, amount: int | None) -> int | None:
    for limit in run.subsidy.limits:
        if limit.scope == "beneficiary":
            continue
        res = check_limit(limit, _limit_input(run, amount), run.case.applicant.id_number)
        run.trace.append(res.outcome)
        run.conflicts.extend(res.conflicts)
        if limit.kind == "amount_per_year" and res.amount_fen is not None:
            amount = res.amount_fen
        if res.months_allowed is not None and limit.fact and amount is not None:
            amount = _months_left(run, limit.fact, res.months_allowed, amount)
    return amount


def _months_left(run: _Run, fact_id: str, months: int, amount: int) -> int:
    """The amount for the months left under a duration cap, said in the limit's trace line.

    An amount computed from the month count is recomputed with the months left; any other (rent
    and utilities paid over the months claimed) is cut in proportion, rounded down.
    """
    rule, claimed = run.subsidy.amount, run.case.facts.get(fact_id)
    if uses_fact(rule, fact_id):
        try:
            capped, _ = _compute(run, rule, {**run.case.facts, fact_id: months})
        except (AmountUnknown, AmountFail):
            return amount
        how = f"按{months}个月重新计算"
    else:
        capped = pro_rata(amount, months, claimed if isinstance(claimed, int) else months)
        how = f"按{months}/{claimed}折算（向下取整到分）"
    capped = min(capped, amount)  # fewer months never pay more
    last = run.trace[-1]
    run.trace[-1] = dataclasses.replace(
        last, message_zh=f"{last.message_zh}；金额由{yuan(amount)}{how}为{yuan(capped)}"
    )
    return capped


def _materials_note(run: _Run, missing: list[str]) -> None:
    if not run.subsidy.materials:
        return
    if missing:
        names = "、".join(material_names(run.subsidy, missing))
        run.add("materials", "material", "info", f"尚缺材料：{names}。请一次性告知申请人补齐。")
    else:
        run.add("materials", "material", "pass", "申请材料齐全。")


def _alternatives(run: _Run) -> tuple[Alternative, ...]:
    """For an exclusive choose_one limit, the other subsidies' amounts on the same case."""
    out: list[Alternative] = []
    for limit in run.subsidy.limits:
        if limit.kind != "exclusive" or limit.mode != "choose_one":
            continue
        for other_id in limit.subsidies:
            other = run.catalog.subsidy(other_id)
            if other is None or other.id == run.subsidy.id or any(a.subsidy_id == other.id for a in out):
                continue
            facts = {k: v for k, v in run.case.facts.items() if k in other.fact_index}
            materials = frozenset(
                x for x in run.case.materials_received if any(mt.id == x for mt in other.materials)
            )
            case = dataclasses.replace(
                run.case,
                facts=facts,
                materials_received=materials,
                beneficiaries=run.case.beneficiaries if other.beneficiary else (),
            )
            try:
                res = assess(run.catalog, other.id, case, alternatives=False)
            except CaseInputError:
                continue
            out.append(Alternative(other.id, other.name, res.decision, res.amount_fen))
    return tuple(out)


def _settled(trace: list[RuleOutcome]) -> tuple[RuleOutcome, ...]:
    """A refused case asks for nothing more: what could not be decided no longer matters."""
    return tuple(
        dataclasses.replace(o, outcome="info", message_zh=f"本案已不符合条件，此项无需再补充：{o.message_zh}")
        if o.outcome == "unknown"
        else o
        for o in trace
    )


def _decision(run: _Run) -> Decision:
    outcomes = {o.outcome for o in run.trace}
    if "fail" in outcomes:
        return "not_eligible"
    if "unknown" in outcomes or run.missing:
        return "needs_info"
    return "eligible"


def _result(
    run: _Run, amount: int | None, missing_mat: list[str], alternatives: tuple[Alternative, ...]
) -> Assessment:
    decision = _decision(run)
    order = run.derived.order
    missing = sorted((f for f in run.missing if f), key=lambda f: order.get(f, len(order)))
    if decision == "not_eligible":
        missing, run.trace = [], list(_settled(run.trace))
    return Assessment(
        catalog_id=run.catalog.id,
        catalog_version=run.catalog.version,
        catalog_hash=run.catalog.content_hash,
        subsidy_id=run.subsidy.id,
        decision=decision,
        amount_fen=amount if decision == "eligible" else None,
        trace=tuple(run.trace),
        missing_facts=tuple(missing),
        missing_materials=tuple(missing_mat),
        conflicts=tuple(run.conflicts),
        warnings=tuple(o.rule_id for o in run.trace if o.outcome == "warn"),
        excluded=tuple(run.excluded),
        readings=run.derived.readings,
        alternatives=alternatives,
    )
