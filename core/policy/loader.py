"""Loading and validating catalog files, collecting every error (docs/catalog-format.md).

`load_catalog` raises CatalogInvalid with all errors of one file; `load_all` never raises for
a broken file: the GUI lists what loaded and reports what did not.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from core.policy import model as m
from core.policy import vocab as v
from core.policy.errors import CatalogError, CatalogInvalid
from core.policy.parse_amounts import parse_clause
from core.policy.parse_county import parse_county, parse_extensions
from core.policy.parse_rules import RuleReader
from core.policy.parse_subsidy import parse_subsidy
from core.policy.plain_words import plain_catalog
from core.policy.reader import Reader, join
from core.resources import program_root, resource_dir

_TOP_KEYS = (
    "format",
    "id",
    "version",
    "title",
    "short_name",
    "issuer",
    "document_number",
    "issued_on",
    "source_file",
    "region",
    "policy_period",
    "parameters",
    "readings",
    "subsidies",
    "county",
)
_TOP_REQUIRED = ("format", "id", "version", "title", "issuer", "policy_period", "subsidies")


def repo_root() -> Path:
    """The program's root: the PyInstaller bundle when frozen, else the source checkout."""
    return program_root()


def catalog_dir() -> Path:
    return resource_dir("policies")


def load_catalog(path: str | Path) -> m.Catalog:
    """Load one catalog file; raises CatalogInvalid listing every error found."""
    catalog, errors = read_catalog(Path(path))
    if errors or catalog is None:
        raise CatalogInvalid(errors)
    return catalog


def load_all(directory: str | Path | None = None) -> tuple[list[m.Catalog], list[CatalogError]]:
    """Every valid catalog of the directory, and the errors of the files that are not."""
    folder = Path(directory) if directory is not None else catalog_dir()
    catalogs: list[m.Catalog] = []
    errors: list[CatalogError] = []
    for path in sorted(folder.glob("*.json")):
        catalog, file_errors = read_catalog(path)
        errors.extend(file_errors)
        if catalog is not None and not file_errors:
            catalogs.append(catalog)
    errors.extend(_duplicate_catalog_ids(catalogs))
    return catalogs, errors


def read_catalog(path: Path) -> tuple[m.Catalog | None, list[CatalogError]]:
    """Parse a file into a Catalog (possibly partial) and the list of its errors."""
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [CatalogError(name, None, "", f"无法读取文件：{exc}", "CATALOG_UNREADABLE")]
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, [CatalogError(name, None, "", _json_message(exc), "CATALOG_NOT_JSON")]
    r = Reader(name)
    raw = plain_catalog(raw)  # the notes and readings in the clerk's words (core/policy/plain_words.py)
    catalog = parse_catalog(r, raw, hashlib.sha256(data).hexdigest(), str(path))
    if catalog is not None and catalog.id != path.stem:
        r.error("id", "CATALOG_ID_FILENAME", f"目录标识“{catalog.id}”应与文件名“{path.stem}”一致。")
    return catalog, r.errors


def _json_message(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"不是有效的 JSON：第{exc.lineno}行第{exc.colno}列，{exc.msg}。"
    return "文件不是 UTF-8 编码，请用 UTF-8 保存。"


def parse_catalog(r: Reader, raw: Any, content_hash: str, path: str) -> m.Catalog | None:
    d = r.obj(raw, "", _TOP_KEYS, _TOP_REQUIRED)
    if d is None:
        return None
    if d.get("format") != 1:
        r.error("format", "CATALOG_FORMAT", f"format 应为 1，现在是{d.get('format')!r}。")
    params = _parameters(r, d)
    by_id = {p.id: p for p in params}
    raw_ids = [s.get("id") for _, s in r.items(d, "subsidies", "") if isinstance(s, dict)]
    ids = {i for i in raw_ids if isinstance(i, str)}
    readings = _readings(r, d, ids)
    shared = RuleReader(r, {}, by_id, False, {x.id: x for x in readings})
    subsidies = _subsidies(r, d, by_id, ids, shared)
    _unused_readings(r, readings, shared.bound)
    county_readings, county_parameters = parse_county(r, d.get("county"), readings, by_id)
    return m.Catalog(
        id=m.CatalogId(r.ident(d, "id", "")),
        version=r.text(d, "version", ""),
        title=r.text(d, "title", ""),
        short_name=r.text(d, "short_name", ""),
        issuer=r.text(d, "issuer", ""),
        document_number=r.text(d, "document_number", ""),
        issued_on=r.date(d, "issued_on", ""),
        source_file=r.text(d, "source_file", ""),
        region=r.text(d, "region", ""),
        policy_period=_period(r, d.get("policy_period")),
        parameters=params,
        readings=readings,
        subsidies=subsidies,
        content_hash=content_hash,
        path=path,
        county_readings=county_readings,
        county_parameters=county_parameters,
    )


def _period(r: Reader, raw: object) -> m.PolicyPeriod:
    keys = ("from", "to", "basis", "clause", "extensions")
    d = r.obj(raw, "policy_period", keys, ("from", "to", "basis"))
    if d is None:
        return m.PolicyPeriod(None, None, "application", None)
    start = r.date(d, "from", "policy_period")
    end = r.date(d, "to", "policy_period")
    if start and end and end < start:
        r.error("policy_period.to", "CATALOG_BAD_DATE", "政策期限的截止日期早于开始日期。")
    rr = RuleReader(r, {}, {}, False)
    clause = parse_clause(rr, d.get("clause"), "policy_period.clause")
    extensions = parse_extensions(r, d, end)
    last = extensions[-1] if extensions else None
    return m.PolicyPeriod(
        start=start,
        end=last.end if last else end,
        basis=r.enum(d, "basis", "policy_period", v.BASES, ""),
        clause=_extension_clause(last) if last else clause,
        extensions=extensions,
        document_end=end,
    )


def _extension_clause(ext: m.Extension) -> m.Clause | None:
    """What the extended end rests on: the notice's clause, named by the notice's number."""
    if ext.clause is None:
        return None
    section = f"{ext.document_number}（{ext.clause.section}）" if ext.clause.section else ext.document_number
    return m.Clause(section, ext.clause.text)


def _parameters(r: Reader, d: dict[str, Any]) -> tuple[m.Parameter, ...]:
    out: list[m.Parameter] = []
    keys = ("id", "label", "type", "unit", "ceiling_fen", "note", "per", "fact")
    for p, item in r.items(d, "parameters", ""):
        x = r.obj(item, p, keys, ("id", "label", "type")) or {}
        per = x.get("per")
        if per is not None:
            r.enum(x, "per", p, ("choice",), "choice")
        out.append(
            m.Parameter(
                id=r.ident(x, "id", p),
                label=r.text(x, "label", p),
                type=r.enum(x, "type", p, ("money", "int"), "") or "money",
                unit=r.text(x, "unit", p),
                ceiling_fen=r.integer(x, "ceiling_fen", p),
                note=r.text(x, "note", p),
                per="choice" if per is not None else None,
                fact=r.text(x, "fact", p) or None,
            )
        )
    _unique_ids(r, [(join("parameters", i), q.id) for i, q in enumerate(out)], "参数")
    return tuple(out)


def _subsidies(
    r: Reader, d: dict[str, Any], params: dict[str, m.Parameter], ids: set[str], shared: RuleReader
) -> tuple[m.Subsidy, ...]:
    out = []
    for p, item in r.items(d, "subsidies", "", required=True):
        if isinstance(item, dict):
            out.append(parse_subsidy(r, item, p, params, ids, shared))
        else:
            r.error(p, "CATALOG_SCHEMA", "每项补贴应为对象 {...}。")
    if not out:
        r.error("subsidies", "CATALOG_MISSING", "目录至少要有一项补贴。")
    _unique_ids(r, [(join("subsidies", i), s.id) for i, s in enumerate(out)], "补贴")
    return tuple(out)


def _readings(r: Reader, d: dict[str, Any], subsidy_ids: set[str]) -> tuple[m.Reading, ...]:
    out = []
    keys = ("id", "question", "reading", "basis", "subsidies", "alternatives", "default")
    for p, item in r.items(d, "readings", ""):
        x = r.obj(item, p, keys, ("id", "question", "reading")) or {}
        names = r.str_list(x, "subsidies", p)
        for i, sid in enumerate(names):
            if sid not in subsidy_ids:
                r.error(
                    join(join(p, "subsidies"), i), "CATALOG_UNKNOWN_SUBSIDY", f"本目录中没有补贴“{sid}”。"
                )
        alternatives = _alternatives(r, x, p)
        out.append(
            m.Reading(
                id=r.text(x, "id", p),
                question=r.text(x, "question", p),
                reading=r.text(x, "reading", p),
                basis=r.text(x, "basis", p),
                subsidies=names,
                alternatives=alternatives,
                default=_default(r, x, p, alternatives),
            )
        )
    _unique_ids(r, [(join("readings", i), q.id) for i, q in enumerate(out)], "解读")
    return tuple(out)


def _alternatives(r: Reader, x: dict[str, Any], path: str) -> tuple[m.ReadingAlternative, ...]:
    """The readings the county may choose between; at least two, each with its own id."""
    out = []
    for p, item in r.items(x, "alternatives", path):
        a = r.obj(item, p, ("id", "label", "note"), ("id", "label")) or {}
        out.append(m.ReadingAlternative(r.ident(a, "id", p), r.text(a, "label", p), r.text(a, "note", p)))
    if "alternatives" in x and len(out) < 2:
        r.error(join(path, "alternatives"), "CATALOG_BAD_VALUE", "可选理解至少要有两种，县人社局才有得选。")
    _unique_ids(r, [(join(join(path, "alternatives"), i), a.id) for i, a in enumerate(out)], "可选理解")
    return tuple(out)


def _default(r: Reader, x: dict[str, Any], path: str, alts: tuple[m.ReadingAlternative, ...]) -> str | None:
    default = x.get("default")
    if not alts:
        if default is not None:
            r.error(
                join(path, "default"), "CATALOG_BAD_VALUE", "没有可选理解（alternatives）时不能写 default。"
            )
        return None
    if default not in {a.id for a in alts}:
        options = "、".join(a.id for a in alts)
        r.error(
            join(path, "default"),
            "CATALOG_BAD_VALUE",
            f"default 应为本解读的可选理解之一（{options}），现在是{default!r}。",
        )
        return None
    return str(default)


def _unused_readings(r: Reader, readings: tuple[m.Reading, ...], bound: set[str]) -> None:
    for i, x in enumerate(readings):
        if x.alternatives and x.id not in bound:
            r.error(
                join(join("readings", i), "alternatives"),
                "CATALOG_READING_UNUSED",
                f"解读“{x.id}”列了可选理解，但没有任何规则随它变化（在规则上写 reading 和 variants）。",
            )


def _unique_ids(r: Reader, ids: list[tuple[str, str]], what: str) -> None:
    seen: set[str] = set()
    for path, ident in ids:
        if ident in seen:
            r.error(join(path, "id"), "CATALOG_DUPLICATE_ID", f"{what}标识“{ident}”重复。")
        seen.add(ident)


def _duplicate_catalog_ids(catalogs: list[m.Catalog]) -> list[CatalogError]:
    seen: dict[str, str] = {}
    errors = []
    for c in catalogs:
        if c.id in seen:
            name = Path(c.path).name
            errors.append(
                CatalogError(
                    name, None, "id", f"目录标识“{c.id}”与 {seen[c.id]} 重复。", "CATALOG_DUPLICATE_ID"
                )
            )
        seen[c.id] = Path(c.path).name
    return errors
