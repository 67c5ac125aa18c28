"""The catalog report: a county officer checks the encoding against the document with it."""

from __future__ import annotations

import html
from collections.abc import Mapping

from core.policy import model as m
from core.policy.amounts import yuan
from core.policy.report_rules import (
    categories_with_members,
    condition_effect_zh,
    group_lines,
    limit_zh,
    loan_lines,
    reading_zh,
    variants_zh,
)
from core.policy.report_text import amount_zh, bound_zh, fact_labels, test_zh, window_zh
from core.policy.words import FACT_TYPE_ZH, FORM_ZH, ON_BEHALF_ZH, PROVIDER_ZH, org_types_zh

Block = tuple[str, object]  # ("h1"|"h2"|"h3", text) | ("p", text) | ("ul", [text]) | ("table", rows)
NOT_STATED = "文件未规定"


def render_report(catalog: m.Catalog, fmt: str = "markdown") -> str:
    blocks = _catalog_blocks(catalog)
    if fmt == "markdown":
        return "\n\n".join(_md(b) for b in blocks) + "\n"
    if fmt == "html":
        body = "\n".join(_html(b) for b in blocks)
        title = html.escape(catalog.short_name or catalog.title)
        return f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head>\n<body>\n{body}\n</body></html>\n'
    raise ValueError(f"unknown report format {fmt!r}: use 'markdown' or 'html'")


def _clause(c: m.Clause | None) -> str:
    return f"〔{c.section}〕“{c.text}”" if c else "（未引条款）"


def _catalog_blocks(c: m.Catalog) -> list[Block]:
    p = c.policy_period
    start = p.start.isoformat() if p.start else "文件未规定"
    end = p.end.isoformat() if p.end else "文件未规定截止日期"
    basis = "申请日期" if p.basis == "application" else "补贴事件日期（无事件日期的按申请日期）"
    blocks: list[Block] = [
        ("h1", f"{c.short_name or c.title}：政策目录核对报告"),
        ("table", [
            ("文件标题", c.title), ("发文机关", c.issuer), ("文号", c.document_number or "（无）"),
            ("印发日期", c.issued_on.isoformat() if c.issued_on else "（未填）"), ("适用地区", c.region),
            ("执行期限", f"{start} 至 {end}"), ("执行期限以何日期判断", basis),
            ("期限依据", _clause(p.clause)), *_extension_rows(p),
            ("目录标识 / 版本", f"{c.id} / {c.version}"),
            ("原始文件", c.source_file), ("内容校验值 (sha256)", c.content_hash),
        ]),
    ]  # fmt: skip
    blocks += _parameters(c)
    blocks += [
        ("h2", "人员类别的包含关系（文件写某一类人员时，其包含的人员同样符合）"),
        ("ul", group_lines()),
    ]
    blocks += _readings(c.readings, "h2", "政策解读（目录对文件含义不明处的理解）", c.county_readings)
    for s in c.subsidies:
        blocks += _subsidy(c, s)
    return blocks


def _extension_rows(p: m.PolicyPeriod) -> list[tuple[str, str]]:
    """An extended period: what the document said, and each notice that extended it."""
    if not p.extensions:
        return []
    said = p.document_end.isoformat() if p.document_end else "文件未规定截止日期"
    rows = [("原文件规定的截止日期", said)]
    for e in p.extensions:
        on = f"（{e.issued_on.isoformat()}）" if e.issued_on else ""
        rows.append(("延期通知", f"{e.issuer}{e.document_number}{on}：延至 {e.end.isoformat()}"))
    return rows


def _parameters(c: m.Catalog) -> list[Block]:
    if not c.parameters:
        return [("h2", "需录入的参数"), ("p", "本目录没有需要录入的参数。")]
    rows = [("参数", "类型", "上限", "县人社局设定", "说明")]
    for q in c.parameters:
        ceiling = yuan(q.ceiling_fen) if q.ceiling_fen is not None else "无"
        kind = f"{'金额' if q.type == 'money' else '整数'}（{q.unit}）"
        rows.append((q.label, kind, ceiling, parameter_value_zh(q, c.county_parameters.get(q.id)), q.note))
    return [("h2", "需录入的参数"), ("table", rows)]


def parameter_value_zh(q: m.Parameter, value: int | Mapping[str, int] | None) -> str:
    """A county-set parameter value in words ("未设定" when the county has not set it)."""
    if value is None:
        return "未设定"
    one = (lambda v: yuan(v)) if q.type == "money" else (lambda v: str(v))
    if isinstance(value, int):
        return one(value)
    return "；".join(f"{k}：{one(v)}" for k, v in sorted(value.items())) or "未设定"


def _readings(
    readings: tuple[m.Reading, ...], level: str, title: str, chosen: Mapping[str, str] | None = None
) -> list[Block]:
    if not readings:
        return []
    return [(level, title), ("ul", [reading_zh(r, (chosen or {}).get(r.id)) for r in readings])]


def subsidy_blocks(c: m.Catalog, s: m.Subsidy) -> list[Block]:
    """One subsidy's part of the report, without the readings that apply to it."""
    facts = (*s.facts, *(s.beneficiary.facts if s.beneficiary else ()))
    labels = fact_labels(facts)
    params = {p.id: p for p in c.parameters}
    blocks: list[Block] = [
        ("h2", f"{s.name}（{s.id}）"),
        ("p", s.summary),
        ("p", "条款：" + _clause(s.clause)),
    ]
    blocks += [("h3", "申请对象"), ("ul", _applicant(s.applicant))]
    blocks += [("h3", "需采集的信息"), ("table", _facts(s.facts, labels))]
    blocks += [
        ("h3", "享受条件（须全部符合）"),
        (
            "ul",
            [
                f"{_condition(x, labels)}{variants_zh(c, x, lambda v: _condition(v, labels))}{_clause(x.clause)}"
                for x in s.eligibility
            ]
            or ["（无）"],
        ),
    ]
    if s.beneficiary:
        blocks += _beneficiary(s.beneficiary, labels)
    blocks += _amount(s.amount, labels, params)
    if s.loan is not None:
        title = "贷款额度和期限（银行发放的贷款数额，不是本所支付的补贴）"
        blocks += [("h3", title), ("ul", [*loan_lines(s.loan), "条款：" + _clause(s.loan.clause)])]
    blocks += [
        ("h3", "申请期限"),
        (
            "ul",
            [
                f"{_window(w, labels)}{variants_zh(c, w, lambda v: _window(v, labels))}{_clause(w.clause)}"
                for w in s.windows
            ]
            or ["文件未规定申请期限。"],
        ),
    ]
    limits = [
        f"{limit_zh(c, x, labels)}。{variants_zh(c, x, lambda v: limit_zh(c, v, labels))}{_clause(x.clause)}"
        for x in s.limits
    ]
    blocks += [("h3", "享受限制"), ("ul", limits or ["（无）"])]
    blocks += _materials(s)
    blocks += _route(s.route)
    if s.notes:
        blocks += [("h3", "说明"), ("ul", list(s.notes))]
    return blocks


def _subsidy(c: m.Catalog, s: m.Subsidy) -> list[Block]:
    applying = tuple(r for r in c.readings if s.id in r.subsidies)
    return subsidy_blocks(c, s) + _readings(applying, "h3", "适用于本项的解读", c.county_readings)


def header_rows(c: m.Catalog) -> list[tuple[str, str]]:
    """The report's first table: the document, its period, the catalog's version."""
    table = _catalog_blocks(c)[1][1]
    return [(str(k), str(v)) for k, v in table]  # type: ignore[attr-defined]


def parameter_rows(c: m.Catalog) -> dict[str, tuple[str, ...]]:
    """Each parameter's row of the report (label, type, ceiling, county value, note), by id."""
    rows = _parameters(c)[1][1] if c.parameters else []
    return {q.id: tuple(map(str, row)) for q, row in zip(c.parameters, rows[1:], strict=True)}  # type: ignore[index]


def _condition(x: m.Condition, labels: dict[str, str]) -> str:
    return f"{x.label}：{test_zh(x.test, labels)}。{condition_effect_zh(x)}"


def _window(w: m.Window, labels: dict[str, str]) -> str:
    return f"{w.label}：{window_zh(w, labels)}。"


def _applicant(a: m.ApplicantRule) -> list[str]:
    kind = "个人" if a.kind == "person" else "单位"
    items = [f"申请人类别：{kind}"]
    if a.categories:
        items.append(f"人员类别（至少属于其一）：{categories_with_members(a.categories)}")
    if a.org_types:
        items.append(f"单位类型（须属于其一）：{org_types_zh(a.org_types)}")
    if a.kind == "person":
        items.append(
            "可代为申请："
            + ("、".join(ON_BEHALF_ZH.get(x, x) for x in a.on_behalf) or "无（仅限本人）")
            + "；其他人员代为申请的不予受理"
            + (f"，依据{_clause(a.clause)}" if a.clause else "")
        )
    return items + ([a.note] if a.note else [])


def _facts(facts: tuple[m.Fact, ...], labels: dict[str, str]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = [("信息项", "类型", "必填", "说明")]
    for f in facts:
        kind = FACT_TYPE_ZH.get(f.type, f.type) + (f"（{f.unit}）" if f.unit else "")
        if f.choices:
            kind += "：" + "、".join(ch.label for ch in f.choices)
        need = "是" if f.required and f.required_when is None else "否"
        if f.required_when is not None:
            need = f"当{test_zh(f.required_when, labels)}时"
        rows.append((f.label, kind, need, f.help))
    return rows


def _beneficiary(b: m.BeneficiaryRule, labels: dict[str, str]) -> list[Block]:
    items = [f"花名册人员：{b.label}。{_clause(b.clause)}"]
    if b.categories:
        items.append(f"人员类别（至少属于其一）：{categories_with_members(b.categories)}")
    items += [f"{x.label}：{test_zh(x.test, labels)}{condition_effect_zh(x)}" for x in b.eligibility]
    if b.min_count is not None:
        items.append(f"符合条件的人数至少 {b.min_count} 人")
    return [("h3", "花名册（按人计发）"), ("ul", items)]


def _amount(rule: m.AmountRule, labels: dict[str, str], params: dict[str, m.Parameter]) -> list[Block]:
    blocks: list[Block] = [
        ("h3", "补贴标准"),
        (
            "p",
            f"{rule.label + '：' if rule.label else ''}{amount_zh(rule, labels, params)}。{_clause(rule.clause) if rule.clause else ''}",
        ),
    ]
    if isinstance(rule, m.TiersAmount):
        v = rule.value
        what = (
            f"“{labels.get(v.fact, v.fact)}”"
            if v.fact
            else f"“{labels.get(v.ratio[0], '')}”÷“{labels.get(v.ratio[1], '')}”"
            if v.ratio
            else ""
        )
        rows: list[tuple[str, ...]] = [("档次", f"{what}的范围", "标准", "条款")]
        rows += [
            (t.label, bound_zh(t), amount_zh(t.rule, labels, params), _clause(t.clause)) for t in rule.tiers
        ]
        blocks.append(("table", rows))
    return blocks


def _materials(s: m.Subsidy) -> list[Block]:
    if not s.materials:
        return [("h3", "申请材料"), ("p", "文件未列申请材料。")]
    rows: list[tuple[str, ...]] = [("材料", "形式", "份数", "原件退回", "提供方", "何时需要")]
    groups = {g.id: g for g in s.material_groups}
    for mat in s.materials:
        when = mat.condition_label or ("必需" if mat.required and mat.required_when is None else "视情况")
        if mat.group in groups:
            g = groups[mat.group]
            when = f"{g.label}（{g.pick}项即可）" + (
                "；" + mat.condition_label if mat.condition_label else ""
            )
        returned = _returned(mat)
        rows.append(
            (
                mat.name,
                FORM_ZH.get(mat.form, mat.form),
                str(mat.copies),
                returned,
                PROVIDER_ZH.get(mat.provided_by, mat.provided_by),
                when,
            )
        )
    return [("h3", "申请材料"), ("table", rows)]


def _returned(mat: m.Material) -> str:
    """What becomes of the original: inspected and returned, or kept (only where the text says)."""
    if "original" not in mat.form:
        return "不涉及原件"
    if not mat.original_returned:
        return "否（原件留存）"
    return "是（审核原件后退回，留存复印件）" if mat.form == "original_and_copy" else "是（查验原件后退回）"


def _route(r: m.Route | None) -> list[Block]:
    if r is None:
        return [("h3", "办理流程"), ("p", f"受理、审核、拨付：{NOT_STATED}。")]
    items = [
        f"受理：{r.receives or NOT_STATED}",
        f"审核：{'、'.join(r.reviews) or NOT_STATED}",
        f"拨付：{r.pays or NOT_STATED}",
    ]
    return [("h3", "办理流程"), ("ul", items + ([r.note] if r.note else []))]


def _md(block: Block) -> str:
    kind, content = block
    if kind in ("h1", "h2", "h3"):
        return "#" * int(kind[1]) + " " + str(content)
    if kind == "ul":
        return "\n".join(f"- {item}" for item in content)  # type: ignore[attr-defined]
    if kind == "table":
        rows = [[str(cell).replace("|", "｜").replace("\n", " ") for cell in row] for row in content]  # type: ignore[attr-defined]
        head = rows[0] if len(rows[0]) > 2 else ["项目", "内容"]
        body = rows[1:] if len(rows[0]) > 2 else rows
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in body])
    return str(content)


def _html(block: Block) -> str:
    kind, content = block
    esc = html.escape
    if kind in ("h1", "h2", "h3"):
        return f"<{kind}>{esc(str(content))}</{kind}>"
    if kind == "ul":
        return "<ul>" + "".join(f"<li>{esc(str(i))}</li>" for i in content) + "</ul>"  # type: ignore[attr-defined]
    if kind == "table":
        rows = list(content)  # type: ignore[call-overload]
        cells = "".join("<tr>" + "".join(f"<td>{esc(str(c))}</td>" for c in row) + "</tr>" for row in rows)
        return f'<table border="1" cellspacing="0" cellpadding="4">{cells}</table>'
    return f"<p>{esc(str(content))}</p>"
