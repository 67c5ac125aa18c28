"""What a catalog update changes, as the catalog report would show it (in Chinese).

The county previews it before signing an update; the town reads it before installing one.
Both compare the two catalogs themselves (never a description sent along), section by
section of the catalog report: the document and its period, the parameters, the readings,
and each subsidy (its amounts, dates, conditions and materials, line by line).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from core.policy import model as m
from core.policy.report import Block, header_rows, parameter_rows, subsidy_blocks

# The hash differs whenever anything does; the id and version row names the catalog's id
# (a program word): the version is told apart.
_SKIPPED = ("内容校验值 (sha256)", "目录标识 / 版本", "原始文件")


@dataclass(frozen=True)
class Change:
    area: str  # 目录 | 参数 | 解读 | 补贴：<name>
    before: str  # "" for something added
    after: str  # "" for something removed

    @property
    def text(self) -> str:
        if not self.before:
            return f"【{self.area}】新增：{self.after}"
        if not self.after:
            return f"【{self.area}】删去：{self.before}"
        label, sep, rest = self.before.partition("：")
        if sep and self.after.startswith(label + sep):  # 版本：1.1.0 → 1.1.0.1
            return f"【{self.area}】{label}：{rest} → {self.after.removeprefix(label + sep)}"
        return f"【{self.area}】{self.before} → {self.after}"


def catalog_changes(old: m.Catalog, new: m.Catalog) -> list[Change]:
    return [*_header(old, new), *_parameters(old, new), *_readings(old, new), *_subsidies(old, new)]


def _header(old: m.Catalog, new: m.Catalog) -> list[Change]:
    before, after = dict(header_rows(old)), dict(header_rows(new))
    out = (
        [Change("目录", f"版本：{old.version}", f"版本：{new.version}")] if old.version != new.version else []
    )
    for label in dict.fromkeys([*before, *after]):
        if label in _SKIPPED or before.get(label) == after.get(label):
            continue
        b, a = before.get(label), after.get(label)
        out.append(Change("目录", f"{label}：{b}" if b else "", f"{label}：{a}" if a else ""))
    return out


def _parameters(old: m.Catalog, new: m.Catalog) -> list[Change]:
    before, after = parameter_rows(old), parameter_rows(new)
    out = []
    for pid in dict.fromkeys([*before, *after]):
        b, a = before.get(pid), after.get(pid)
        if b == a:
            continue
        if b and a and b[:3] == a[:3] and b[4:] == a[4:]:  # only the county's value changed
            out.append(Change("参数", f"{b[0]}：{b[3]}", f"{a[0]}：{a[3]}"))
        else:
            out.append(Change("参数", _row(b), _row(a)))
    return out


def _row(row: tuple[str, ...] | None) -> str:
    if row is None:
        return ""
    label, kind, ceiling, value, note = row
    return f"{label}（{kind}，上限 {ceiling}，县人社局设定 {value}）" + (f"：{note}" if note else "")


def _choice(catalog: m.Catalog, r: m.Reading) -> str:
    picked = r.alternative(catalog.county_readings.get(r.id))
    if picked is not None:
        return f"{r.question} 县人社局选择：{picked.label}"
    default = r.alternative(r.default)
    return f"{r.question} 县人社局尚未选择，按默认：{default.label if default else '（无）'}"


def _readings(old: m.Catalog, new: m.Catalog) -> list[Change]:
    before = {r.id: r for r in old.readings}
    after = {r.id: r for r in new.readings}
    out = []
    for rid in dict.fromkeys([*before, *after]):
        b, a = before.get(rid), after.get(rid)
        if b is None or a is None or b != a:
            out.append(Change("解读", _reading_text(old, b), _reading_text(new, a)))
        elif b.alternatives and _choice(old, b) != _choice(new, a):  # the question once, then the choice
            out.append(Change("解读", _choice(old, b), _choice(new, a).removeprefix(a.question + " ")))
    return out


def _reading_text(catalog: m.Catalog, r: m.Reading | None) -> str:
    if r is None:
        return ""
    return _choice(catalog, r) if r.alternatives else f"{r.question} 本目录理解：{r.reading}"


def _subsidies(old: m.Catalog, new: m.Catalog) -> list[Change]:
    before = {s.id: s for s in old.subsidies}
    after = {s.id: s for s in new.subsidies}
    out = []
    for sid in dict.fromkeys([*before, *after]):
        b, a = before.get(sid), after.get(sid)
        if a is None:
            out.append(Change(f"补贴：{b.name if b else sid}", "整项补贴", ""))
        elif b is None:
            out.append(Change(f"补贴：{a.name}", "", "整项补贴：" + a.summary))
        else:
            out += _lines(f"补贴：{a.name}", _text(subsidy_blocks(old, b)), _text(subsidy_blocks(new, a)))
    return out


def _lines(area: str, before: list[str], after: list[str]) -> list[Change]:
    out = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        olds, news = before[i1:i2], after[j1:j2]
        for k in range(max(len(olds), len(news))):
            out.append(Change(area, olds[k] if k < len(olds) else "", news[k] if k < len(news) else ""))
    return out


def _text(blocks: list[Block]) -> list[str]:
    """The report's blocks as lines a person reads: headings in brackets, table rows joined."""
    lines: list[str] = []
    section = ""
    for kind, content in blocks:
        if kind in ("h1", "h2"):  # the subsidy's own heading: the change's area names it
            section = ""
        elif kind == "h3":
            section = str(content)
        elif kind == "ul":
            lines += [f"{section}：{item}" for item in content]  # type: ignore[attr-defined]
        elif kind == "table":
            lines += [f"{section}：" + "，".join(map(str, row)) for row in content]  # type: ignore[attr-defined]
        else:
            lines.append(f"{section}：{content}" if section else str(content))
    return lines
