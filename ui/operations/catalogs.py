"""The policy catalogs as the GUI needs them: ids, titles and subsidy names.

A broken catalog file never stops the program: it is left out and its errors are reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class CatalogChoices:
    titles: dict[str, str] = field(default_factory=dict)  # catalog id -> title
    subsidy_names: dict[tuple[str, str], str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def subsidy_name(self, catalog_id: str, subsidy_id: str) -> str:
        return self.subsidy_names.get((catalog_id, subsidy_id), subsidy_id)


def load_catalog_choices() -> CatalogChoices:
    from core.policy.service import load_catalogs

    catalogs, errors = load_catalogs()
    choices = CatalogChoices(errors=[e.describe() for e in errors])
    for cat in catalogs:
        choices.titles[cat.id] = f"{cat.short_name or cat.title}（{cat.document_number or cat.id}）"
        for sub in cat.subsidies:
            choices.subsidy_names[(cat.id, sub.id)] = sub.name
    return choices
