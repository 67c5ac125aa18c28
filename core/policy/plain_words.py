"""The catalogs' notes, help and readings in the clerk's words: code names become names.

The catalog authors cross-reference their own ids in notes ("见解读 R-transfer", "另列为
job_placement_seasonal", "边缘户劳动力（marginal_at_risk）"). What a clerk or an officer reads
is rewritten when a catalog is loaded, before it is parsed: a reading's reference points to the
政策理解 shown beside it, a subsidy's id becomes its name, a category, an organisation type or a
parameter its Chinese label. The file itself (and its content hash) is not changed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from core.policy.words import CATEGORY_ZH, ORG_TYPE_ZH

# The keys whose text a person reads (the document's own clause text is quoted as it is).
READ_KEYS = frozenset({"question", "reading", "label", "note", "notes", "help"})
READING_REF = re.compile(r"（见(?:解读)?\s*R-[\w-]+）|见(?:解读)?\s*R-[\w-]+")
# The catalog format's own fields, where a reading explains how the file records the document.
FORMAT_WORDS = {
    "policy_period.from": "政策执行期的起始日", "document_number": "发文字号", "issued_on": "印发日期",
    "policy_period": "政策执行期", "months_between": "整月计算", "为 null": "为空",
}  # fmt: skip
CODE_NAME = re.compile(r"\s?\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b\s?")


def names_of(raw: Mapping[str, Any]) -> dict[str, str]:
    """Code name → what a person calls it, for one catalog file."""
    names: dict[str, str] = {**CATEGORY_ZH, **ORG_TYPE_ZH}
    for key, kind in (("subsidies", "name"), ("parameters", "label")):
        for item in raw.get(key) or ():
            if isinstance(item, dict) and isinstance(item.get("id"), str) and isinstance(item.get(kind), str):
                names[item["id"]] = f"“{item[kind]}”" if key == "subsidies" else item[kind]
    return names


def plain(text: str, names: Mapping[str, str]) -> str:
    text = READING_REF.sub(lambda m: "（见政策理解）" if m.group().startswith("（") else "见政策理解", text)
    for word, said in FORMAT_WORDS.items():
        text = text.replace(word, said)

    def name(match: re.Match[str]) -> str:
        word = match.group().strip()
        return names.get(word, match.group())

    return CODE_NAME.sub(name, text)


def plain_catalog(raw: Any, names: Mapping[str, str] | None = None) -> Any:
    """A copy of the parsed JSON whose read texts are in plain words."""
    if names is None:
        names = names_of(raw) if isinstance(raw, dict) else {}
    if isinstance(raw, dict):
        return {
            k: _plain_value(v, names) if k in READ_KEYS else plain_catalog(v, names) for k, v in raw.items()
        }
    if isinstance(raw, list):
        return [plain_catalog(v, names) for v in raw]
    return raw


def _plain_value(value: Any, names: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return plain(value, names)
    if isinstance(value, list):
        return [plain(v, names) if isinstance(v, str) else plain_catalog(v, names) for v in value]
    return plain_catalog(value, names)
