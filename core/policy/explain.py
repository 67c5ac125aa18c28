"""An assessment in words, for the command line and for the clerk's screen."""

from __future__ import annotations

from core.money import format_yuan
from core.policy import model as m
from core.policy.assessment import Assessment
from core.policy.loans import figure_zh

DECISION_ZH = {"eligible": "符合条件", "not_eligible": "不符合条件", "needs_info": "还需补充信息"}
OUTCOME_MARK = {"pass": "✓", "fail": "✗", "unknown": "？", "warn": "！", "info": "·"}


def decision_line(a: Assessment, subsidy_name: str) -> str:
    amount = f"，金额 {format_yuan(a.amount_fen)} 元" if a.amount_fen is not None else ""
    return f"{subsidy_name}：{DECISION_ZH[a.decision]}{amount}"


def catalog_label(catalog: m.Catalog | None) -> str:
    """The document as the office knows it (name and number), never the catalog's code name."""
    if catalog is None:
        return "（未安装的政策目录）"
    name = catalog.short_name or catalog.title
    return f"{name}（{catalog.document_number}）" if catalog.document_number else name


def _clause(clause: m.Clause | None) -> str:
    return f"（依据：{clause.section}）" if clause else ""


def format_assessment(a: Assessment, catalog: m.Catalog | None = None) -> str:
    """Decision first, then every rule with its outcome and the clause it rests on."""
    subsidy = catalog.subsidy(a.subsidy_id) if catalog else None
    name = subsidy.name if subsidy else "（政策目录中已无此项补贴）"
    lines = [decision_line(a, name), f"政策目录：{catalog_label(catalog)}　版本 {a.catalog_version}"]
    if a.loan:
        lines += ["贷款额度和期限（银行发放的贷款，不是本所支付的补贴）："]
        lines += [f"  {figure_zh(f)}" for f in a.loan]
    if a.applied_readings:
        lines += ["县人社局确定的理解（文件措辞有不同理解处）："]
        lines += [
            f"  - {r.question} 采用：{r.alternative_label}"
            + ("（县人社局尚未选择，按目录默认）" if r.by_default else "")
            for r in a.applied_readings
        ]
    lines += ["", "逐条核对："]
    lines += [f"  {OUTCOME_MARK[o.outcome]} {o.message_zh}{_clause(o.clause)}" for o in a.trace]
    if a.missing_facts:
        lines += ["", "还需填写：" + "、".join(_fact_label(subsidy, f) for f in a.missing_facts)]
    if a.missing_materials:
        lines += ["", "尚缺材料：" + "、".join(_material_label(subsidy, x) for x in a.missing_materials)]
    if a.conflicts:
        lines += ["", "与历史记录冲突："] + [f"  ! {c.message_zh}" for c in a.conflicts]
    if a.excluded:
        lines += ["", "花名册中不计入的人员："]
        lines += [f"  - {e.name}：{'；'.join(e.reasons)}" for e in a.excluded]
    if a.alternatives:
        lines += ["", "可选择享受的其他补贴（只能选其一）："]
        lines += [
            f"  - {alt.name}：{DECISION_ZH[alt.decision]}"
            + (f"，{format_yuan(alt.amount_fen)} 元" if alt.amount_fen is not None else "")
            for alt in a.alternatives
        ]
    if a.readings:
        lines += ["", "本项目适用的政策理解（文件表述不明确处）："]
        lines += [f"  - {r.question} 本程序的理解：{r.reading}" for r in a.readings]
    return "\n".join(lines) + "\n"


def _fact_label(subsidy: m.Subsidy | None, fact_id: str) -> str:
    fact = subsidy.fact(fact_id) if subsidy else None
    return fact.label if fact else fact_id


def _material_label(subsidy: m.Subsidy | None, item_id: str) -> str:
    if subsidy is None:
        return item_id
    for material in subsidy.materials:
        if material.id == item_id:
            return material.name
    for group in subsidy.material_groups:
        if group.id == item_id:
            return group.label
    return item_id
