"""The materials checklist of a case: what each item asks for, and what a clerk may tick.

The rules live here, not in the screen: an original can only be marked inspected when the
document asks for one; nothing is kept of a material that did not arrive; copies kept is a
small whole number.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from core.errors import ValidationError
from core.policy import model as m
from core.policy.words import FORM_ZH, PROVIDER_ZH

MAX_COPIES = 99


@dataclass(frozen=True)
class MaterialState:
    received: bool = False
    original_seen: bool = False
    copies_kept: int = 0
    note: str = ""


@dataclass(frozen=True)
class ChecklistMark:
    """What the clerk marked on one line, as typed (copies is the text of its cell)."""

    received: bool = False
    original_seen: bool = False
    copies: str = ""


@dataclass(frozen=True)
class ChecklistLine:
    material_id: str
    name: str
    requirement: str  # 原件及复印件；2份；审核原件后退回；由申请人提供；（任选其一）
    takes_original: bool  # the document asks to see an original
    state: MaterialState
    files: int  # scans attached to this material
    suggested_copies: int  # what the document asks to keep, shown until the clerk changes it


def requirement(material: m.Material, groups: Mapping[str, m.MaterialGroup]) -> str:
    parts = [FORM_ZH.get(material.form, material.form)]
    if material.copies > 1:
        parts.append(f"{material.copies}份")
    if material.original_returned:
        parts.append("审核原件后退回")
    parts.append(f"由{PROVIDER_ZH.get(material.provided_by, material.provided_by)}提供")
    if material.group and material.group in groups:
        parts.append(groups[material.group].label)
    if material.condition_label:
        parts.append(material.condition_label)
    return "；".join(parts)


def takes_original(material: m.Material) -> bool:
    return "original" in material.form


def suggested_copies(material: m.Material) -> int:
    return material.copies if "copy" in material.form else 0


def checklist_lines(
    subsidy: m.Subsidy, states: Mapping[str, MaterialState], files: Mapping[str | None, int]
) -> list[ChecklistLine]:
    groups = {g.id: g for g in subsidy.material_groups}
    return [
        ChecklistLine(
            material_id=x.id,
            name=x.name,
            requirement=requirement(x, groups),
            takes_original=takes_original(x),
            state=states.get(x.id, MaterialState()),
            files=files.get(x.id, 0),
            suggested_copies=suggested_copies(x),
        )
        for x in subsidy.materials
    ]


def clean_marks(
    subsidy: m.Subsidy, marks: Mapping[str, ChecklistMark]
) -> tuple[dict[str, MaterialState], list[ValidationError]]:
    """The states of the good lines, and every bad line's problem, naming its material."""
    errors: list[ValidationError] = []
    out: dict[str, MaterialState] = {}
    by_id = {x.id: x for x in subsidy.materials}
    for material_id, mark in marks.items():
        material = by_id.get(material_id)
        if material is None:
            errors.append(
                ValidationError(
                    "CASE_UNKNOWN_MATERIAL", material_id, f"该补贴的材料清单中没有“{material_id}”。"
                )
            )
            continue
        try:
            copies = _copies(material, mark)
        except ValidationError as exc:
            errors.append(exc)
            continue
        out[material_id] = MaterialState(
            received=mark.received,
            original_seen=mark.original_seen and takes_original(material),
            copies_kept=copies if mark.received else 0,
        )
    return out, errors


def _copies(material: m.Material, mark: ChecklistMark) -> int:
    # Full-width digits typed through a Chinese input method count as digits.
    text = "".join(unicodedata.normalize("NFKC", mark.copies).split())
    if not text:
        return 0
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_COPIES:
        raise ValidationError(
            "CHECKLIST_COPIES",
            material.name,
            f"“{material.name}”的留存份数应为0至{MAX_COPIES}的整数，请改正（现为“{mark.copies}”）。",
        )
    return int(text)
