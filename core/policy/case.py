"""The input of `assess`, and reading it from a JSON case document (docs/catalog-format.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from core.policy import model as m
from core.policy.errors import CaseInputError
from core.policy.vocab import FACT_TYPE_ZH, GRANT_STATUSES, SUBMITTERS

ParameterValue = int | Mapping[str, int]


@dataclass(frozen=True)
class Applicant:
    kind: str  # person | organisation
    name: str
    id_number: str  # ID number of a person, unified social credit code of an organisation
    categories: frozenset[str] = frozenset()
    org_type: str | None = None


@dataclass(frozen=True)
class BeneficiaryRow:
    id_number: str
    name: str
    categories: frozenset[str] = frozenset()
    facts: Mapping[str, m.FactValue] = field(default_factory=dict)


@dataclass(frozen=True)
class HistoryGrant:
    """An earlier grant; only accepted, approved and paid grants count against limits."""

    subsidy: str
    catalog: str
    person: str
    applicant: str
    event_date: dt.date | None
    application_date: dt.date | None
    amount_fen: int
    status: str
    months: int | None = None  # extension: months granted, for max_duration_months

    def to_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        for key in ("event_date", "application_date"):
            d[key] = d[key].isoformat() if d[key] else None
        return d


@dataclass(frozen=True)
class CaseInput:
    application_date: dt.date
    applicant: Applicant
    submitted_by: str = "self"
    facts: Mapping[str, m.FactValue] = field(default_factory=dict)
    materials_received: frozenset[str] = frozenset()
    beneficiaries: tuple[BeneficiaryRow, ...] = ()
    history: tuple[HistoryGrant, ...] = ()
    parameters: Mapping[str, ParameterValue] = field(default_factory=dict)
    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()
    # The county's choice for readings it decides (reading id -> alternative id); a reading not
    # named here takes the catalog's default. See core/policy/selection.py.
    readings: Mapping[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------- type checks of fact values


def check_fact_value(fact: m.Fact, value: object, where: str = "") -> None:
    """Raise CaseInputError when `value` does not fit the fact's type or range."""
    if not _fits(fact, value):
        raise CaseInputError(
            "CASE_FACT_TYPE",
            f"{where}“{fact.label}”（{fact.id}）应填{_expected(fact)}，现在是 {value!r}，请改正后再审核。",
            fact.id,
        )
    if fact.type in ("int", "money") and isinstance(value, int):
        _check_range(fact, value, where)
    if fact.type == "text" and fact.max_length is not None and len(str(value)) > fact.max_length:
        raise CaseInputError(
            "CASE_FACT_TOO_LONG", f"{where}“{fact.label}”最多{fact.max_length}个字，请删减。", fact.id
        )


def _fits(fact: m.Fact, value: object) -> bool:
    if fact.type == "date":
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if fact.type in ("int", "money"):
        return isinstance(value, int) and not isinstance(value, bool)
    if fact.type == "bool":
        return isinstance(value, bool)
    if fact.type == "choice":
        return any(c.value == value for c in fact.choices)
    return isinstance(value, str)


def _expected(fact: m.Fact) -> str:
    if fact.type == "choice":
        return "以下选项之一：" + "、".join(f"{c.value}（{c.label}）" for c in fact.choices)
    if fact.type == "money":
        return "金额（整数，单位为分，如500元写50000）"
    if fact.type == "date":
        return "日期（如 2022-01-10）"
    return FACT_TYPE_ZH[fact.type]


def _check_range(fact: m.Fact, value: int, where: str) -> None:
    low_ok = fact.min is None or value >= fact.min
    high_ok = fact.max is None or value <= fact.max
    if not (low_ok and high_ok):
        bounds = f"{_show(fact, fact.min)}至{_show(fact, fact.max)}"
        raise CaseInputError(
            "CASE_FACT_RANGE",
            f"{where}“{fact.label}”应在{bounds}之间，现在是{_show(fact, value)}，请核对。",
            fact.id,
        )


def _show(fact: m.Fact, value: int | None) -> str:
    if value is None:
        return "不限"
    if fact.type == "money":
        return f"{value // 100}.{value % 100:02d}元"
    return f"{value}{fact.unit}"


def check_facts(facts_def: Mapping[str, m.Fact], facts: Mapping[str, object], where: str = "") -> None:
    """Every supplied fact must be defined and typed right; None means not supplied."""
    for key, value in facts.items():
        fact = facts_def.get(key)
        if fact is None:
            known = "、".join(facts_def) or "（无）"
            raise CaseInputError(
                "CASE_UNKNOWN_FACT", f"{where}没有名为“{key}”的信息项，请核对拼写。可填的有：{known}。", key
            )
        if value is not None:
            check_fact_value(fact, value, where)


# ---------------------------------------------------------------- reading a case document


def case_from_document(
    doc: Mapping[str, Any], catalogs: Mapping[str, m.Catalog] | None = None
) -> tuple[m.CatalogId, m.SubsidyId, CaseInput]:
    """Parse a case document; raises CaseInputError naming the field and the fix."""
    if not isinstance(doc, Mapping):
        raise CaseInputError("CASE_NOT_OBJECT", "案件文件内容应为一个 JSON 对象。")
    if catalogs is None:
        from core.policy.service import catalogs_by_id

        catalogs = catalogs_by_id()
    catalog = catalogs.get(str(doc.get("catalog")))
    if catalog is None:
        raise CaseInputError(
            "CASE_UNKNOWN_CATALOG",
            f"找不到政策目录“{doc.get('catalog')}”，请在“catalog”中填写已安装的目录标识：{'、'.join(catalogs)}。",
            "catalog",
        )
    subsidy = catalog.subsidy(str(doc.get("subsidy")))
    if subsidy is None:
        names = "、".join(f"{s.id}（{s.name}）" for s in catalog.subsidies)
        raise CaseInputError(
            "CASE_UNKNOWN_SUBSIDY",
            f"目录“{catalog.short_name or catalog.id}”中没有补贴“{doc.get('subsidy')}”，可选：{names}。",
            "subsidy",
        )
    return catalog.id, subsidy.id, _case(doc, subsidy)


def _case(doc: Mapping[str, Any], subsidy: m.Subsidy) -> CaseInput:
    if "application_date" not in doc or "applicant" not in doc:
        raise CaseInputError(
            "CASE_MISSING_FIELD", "案件缺少“application_date”（申请日期）或“applicant”（申请人），请补上。"
        )
    submitted = doc.get("submitted_by") or "self"
    if submitted not in SUBMITTERS:
        raise CaseInputError(
            "CASE_BAD_SUBMITTER",
            f"“submitted_by”应为 {'、'.join(SUBMITTERS)} 之一，现在是“{submitted}”。",
            "submitted_by",
        )
    return CaseInput(
        application_date=_date(doc["application_date"], "application_date", "申请日期"),
        applicant=_applicant(doc["applicant"]),
        submitted_by=submitted,
        facts=_facts(subsidy.fact_index, _mapping(doc.get("facts"), "facts"), ""),
        materials_received=_materials(doc.get("materials_received"), subsidy),
        beneficiaries=_rows(doc.get("beneficiaries"), subsidy),
        history=tuple(_grant(g, i) for i, g in enumerate(_list(doc.get("history"), "history"))),
        parameters=_mapping(doc.get("parameters"), "parameters"),
        holidays=frozenset(_date(d, "holidays", "节假日") for d in _list(doc.get("holidays"), "holidays")),
        workdays=frozenset(
            _date(d, "workdays", "调休上班日") for d in _list(doc.get("workdays"), "workdays")
        ),
        readings=_readings(doc.get("readings")),
    )


def _readings(raw: object) -> dict[str, str]:
    """The county's choices as given; checked against the catalog when the case is assessed."""
    d = _mapping(raw, "readings")
    for key, value in d.items():
        if not isinstance(value, str):
            raise CaseInputError(
                "CASE_BAD_FIELD", f"“readings”中“{key}”的取值应为可选理解的标识（字符串）。", "readings"
            )
    return d


def _date(raw: object, path: str, label: str) -> dt.date:
    if isinstance(raw, str) and len(raw) == 10:
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    raise CaseInputError(
        "CASE_BAD_DATE", f"{label}（{path}）“{raw}”不是有效日期，请写成 YYYY-MM-DD，如 2022-03-01。", path
    )


def _mapping(raw: object, path: str) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise CaseInputError("CASE_BAD_FIELD", f"“{path}”应为 JSON 对象 {{...}}。", path)
    return dict(raw)


def _list(raw: object, path: str) -> list[Any]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise CaseInputError("CASE_BAD_FIELD", f"“{path}”应为列表 [...]。", path)
    return raw


def _applicant(raw: object) -> Applicant:
    d = _mapping(raw, "applicant")
    kind = d.get("kind")
    if kind not in ("person", "organisation"):
        raise CaseInputError(
            "CASE_BAD_FIELD",
            "申请人类别“applicant.kind”应为 person（个人）或 organisation（单位）。",
            "applicant.kind",
        )
    cats = _list(d.get("categories"), "applicant.categories")
    return Applicant(
        kind,
        str(d.get("name") or ""),
        str(d.get("id_number") or ""),
        frozenset(map(str, cats)),
        d.get("org_type"),
    )


def _facts(defs: Mapping[str, m.Fact], raw: Mapping[str, Any], where: str) -> dict[str, m.FactValue]:
    out: dict[str, m.FactValue] = {}
    for key, value in raw.items():
        fact = defs.get(key)
        if fact is not None and fact.type == "date" and value is not None:
            value = _date(value, f"facts.{key}", f"{where}“{fact.label}”")
        if value is not None:
            out[key] = value
    check_facts(defs, out, where)
    return out


def _materials(raw: object, subsidy: m.Subsidy) -> frozenset[str]:
    known = {mat.id for mat in subsidy.materials}
    received = frozenset(str(x) for x in _list(raw, "materials_received"))
    for mid in received - known:
        raise CaseInputError(
            "CASE_UNKNOWN_MATERIAL",
            f"“{subsidy.name}”的材料清单中没有“{mid}”，可用的材料标识：{'、'.join(sorted(known))}。",
            "materials_received",
        )
    return received


def _rows(raw: object, subsidy: m.Subsidy) -> tuple[BeneficiaryRow, ...]:
    rows = _list(raw, "beneficiaries")
    if rows and subsidy.beneficiary is None:
        raise CaseInputError(
            "CASE_NO_ROSTER", f"“{subsidy.name}”不按花名册发放，请删除 beneficiaries。", "beneficiaries"
        )
    defs = {f.id: f for f in subsidy.beneficiary.facts} if subsidy.beneficiary else {}
    out = []
    for i, row in enumerate(rows):
        d = _mapping(row, f"beneficiaries[{i}]")
        where = f"花名册第{i + 1}行"
        facts = _facts(defs, _mapping(d.get("facts"), f"beneficiaries[{i}].facts"), where)
        cats = frozenset(map(str, _list(d.get("categories"), f"beneficiaries[{i}].categories")))
        out.append(BeneficiaryRow(str(d.get("id_number") or ""), str(d.get("name") or ""), cats, facts))
    return tuple(out)


def _grant(raw: object, i: int) -> HistoryGrant:
    d = _mapping(raw, f"history[{i}]")
    status = d.get("status")
    if status not in GRANT_STATUSES:
        raise CaseInputError(
            "CASE_BAD_FIELD",
            f"享受记录第{i + 1}条的状态“{status}”无效，应为 {'、'.join(GRANT_STATUSES)} 之一。",
            f"history[{i}].status",
        )
    amount = d.get("amount_fen", 0)
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise CaseInputError(
            "CASE_MONEY_NOT_INT",
            f"享受记录第{i + 1}条的金额 amount_fen 应为整数（分）。",
            f"history[{i}].amount_fen",
        )
    return HistoryGrant(
        subsidy=str(d.get("subsidy") or ""),
        catalog=str(d.get("catalog") or ""),
        person=str(d.get("person") or ""),
        applicant=str(d.get("applicant") or ""),
        event_date=_opt_date(d.get("event_date"), f"history[{i}].event_date"),
        application_date=_opt_date(d.get("application_date"), f"history[{i}].application_date"),
        amount_fen=amount,
        status=status,
        months=d.get("months"),
    )


def _opt_date(raw: object, path: str) -> dt.date | None:
    return None if raw is None else _date(raw, path, "享受记录日期")
