"""What a county catalog update adds to a catalog file (docs/catalog-format.md "Catalog updates").

- `policy_period.extensions`: later notices that extend the policy's validity, each with its
  own number, date and clause (the notice's text, not the seed document's).
- `county`: the county's choices: `readings` (reading id -> alternative id, only readings
  that list alternatives) and `parameters` (parameter id -> fen, or {choice value: fen} for a
  per-choice parameter), each checked against the catalog it is in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from core.policy import model as m
from core.policy.parse_amounts import parse_clause
from core.policy.parse_rules import RuleReader
from core.policy.reader import Reader, join, type_name

_EXTENSION_KEYS = ("to", "document_number", "issued_on", "issuer", "clause")


def parse_extensions(r: Reader, d: dict[str, Any], document_end: dt.date | None) -> tuple[m.Extension, ...]:
    """The extensions of `policy_period`, each ending after the one before."""
    out: list[m.Extension] = []
    rr = RuleReader(r, {}, {}, False)
    for p, item in r.items(d, "extensions", "policy_period"):
        x = r.obj(item, p, _EXTENSION_KEYS, ("to", "document_number", "clause")) or {}
        end = r.date(x, "to", p)
        if end is None:
            continue
        before = out[-1].end if out else document_end
        if before is not None and end <= before:
            r.error(join(p, "to"), "CATALOG_BAD_DATE", f"延期后的截止日期应晚于此前的截止日期（{before}）。")
        out.append(
            m.Extension(
                end=end,
                document_number=r.text(x, "document_number", p),
                issued_on=r.date(x, "issued_on", p),
                issuer=r.text(x, "issuer", p),
                clause=parse_clause(rr, x.get("clause"), join(p, "clause")),
            )
        )
    return tuple(out)


def parse_county(
    r: Reader, raw: object, readings: tuple[m.Reading, ...], params: Mapping[str, m.Parameter]
) -> tuple[dict[str, str], dict[str, int | Mapping[str, int]]]:
    """The county's reading choices and parameter values; every error is collected."""
    if raw is None:
        return {}, {}
    d = r.obj(raw, "county", ("readings", "parameters"))
    if d is None:
        return {}, {}
    return _readings(r, d.get("readings"), readings), _parameters(r, d.get("parameters"), params)


def _mapping(r: Reader, raw: object, path: str) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        r.error(path, "CATALOG_SCHEMA", f"应为对象 {{...}}，现在是{type_name(raw)}。")
        return {}
    return raw


def _readings(r: Reader, raw: object, readings: tuple[m.Reading, ...]) -> dict[str, str]:
    known = {x.id: x for x in readings if x.alternatives}
    out: dict[str, str] = {}
    for rid, alt in _mapping(r, raw, "county.readings").items():
        p = join("county.readings", rid)
        reading = known.get(rid)
        if reading is None:
            r.error(p, "CATALOG_UNKNOWN_READING", f"本目录没有可由县人社局确定的解读“{rid}”。")
        elif not isinstance(alt, str) or reading.alternative(alt) is None:
            options = "、".join(a.id for a in reading.alternatives)
            r.error(p, "CATALOG_BAD_VARIANT", f"解读“{rid}”没有“{alt}”这种理解（可选：{options}）。")
        else:
            out[rid] = alt
    return out


def _parameters(
    r: Reader, raw: object, params: Mapping[str, m.Parameter]
) -> dict[str, int | Mapping[str, int]]:
    out: dict[str, int | Mapping[str, int]] = {}
    for pid, value in _mapping(r, raw, "county.parameters").items():
        p = join("county.parameters", pid)
        param = params.get(pid)
        if param is None:
            r.error(p, "CATALOG_UNKNOWN_PARAMETER", f"本目录没有参数“{pid}”。")
        elif isinstance(value, dict) and param.per == "choice":
            values = {str(k): v for k, v in value.items() if _value_ok(r, param, v, join(p, str(k)))}
            out[pid] = values
        elif _value_ok(r, param, value, p):
            out[pid] = value
    return out


def _value_ok(r: Reader, param: m.Parameter, value: object, path: str) -> bool:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        r.error(path, "CATALOG_BAD_VALUE", f"参数“{param.label}”的值应为不小于0的整数（金额以分计）。")
        return False
    if param.ceiling_fen is not None and value > param.ceiling_fen:
        r.error(path, "CATALOG_BAD_VALUE", f"参数“{param.label}”的值超过了文件规定的上限。")
        return False
    return True
