"""The policy catalogs as the GUI needs them: ids, titles and subsidy names.

At start-up the names are read straight from the files (a few milliseconds); the full load
with every check runs once the window is up. A broken catalog never stops the program: it
is taken out of the choices and its errors are reported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.resources import resource_dir

if TYPE_CHECKING:
    from core.policy import model as m


@dataclass
class CatalogChoices:
    titles: dict[str, str] = field(default_factory=dict)  # catalog id -> title
    subsidy_names: dict[tuple[str, str], str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    validated: bool = False

    def subsidy_name(self, catalog_id: str, subsidy_id: str) -> str:
        return self.subsidy_names.get((catalog_id, subsidy_id), UNKNOWN_SUBSIDY)


# A subsidy the installed catalogs no longer name (a case entered under an older catalog).
UNKNOWN_SUBSIDY = "（政策目录中已无此项补贴）"


def _title(short_name: str, title: str, number: str | None, catalog_id: str) -> str:
    """The document's name and number, as the office knows it; never the catalog's code name."""
    name = short_name or title or "未命名的政策文件"
    return f"{name}（{number}）" if number else name


def read_catalog_names() -> CatalogChoices:
    """Titles and subsidy names, from the program's files and the county updates installed in
    the data folder the program opened (for each catalog, its newest version)."""
    from core.policy.installed import effective_files, process_data_folder

    choices = CatalogChoices()
    shipped = sorted(resource_dir("policies").glob("*.json"))
    chosen = effective_files(resource_dir("policies"), process_data_folder())
    names = {p.stem for p in shipped}
    paths = [chosen.get(p.stem, p) for p in shipped] + [p for cid, p in chosen.items() if cid not in names]
    for path in paths:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            cid = str(raw["id"])
            choices.titles[cid] = _title(
                raw.get("short_name", ""), raw.get("title", ""), raw.get("document_number"), cid
            )
            for sub in raw.get("subsidies", []):
                choices.subsidy_names[(cid, str(sub["id"]))] = str(sub["name"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            choices.errors.append(f"{path.name}：文件无法读取（{exc}），已停用。")
    return choices


def load_all_catalogs() -> int:
    """Load and check every catalog file (about 0.3 s; on a worker); how many loaded."""
    from core.policy.service import load_catalogs

    return len(load_catalogs()[0])


def validate_catalogs(choices: CatalogChoices) -> None:
    """The full load with every check; catalogs with errors leave the choices."""
    from core.policy.service import load_catalogs

    catalogs, errors = load_catalogs()
    valid = {c.id for c in catalogs}
    for cid in [c for c in choices.titles if c not in valid]:
        del choices.titles[cid]
    for key in [k for k in choices.subsidy_names if k[0] not in valid]:
        del choices.subsidy_names[key]
    choices.errors = [e.describe() for e in errors]
    choices.validated = True


def load_catalog_choices() -> CatalogChoices:
    """Names and full validation at once (for tests and the command line)."""
    choices = read_catalog_names()
    validate_catalogs(choices)
    return choices


def subsidy(*, catalog_id: str, subsidy_id: str) -> m.Subsidy:
    """One subsidy of a catalog; a clear error when the catalog no longer has it."""
    from core.errors import NotFoundError
    from core.policy.service import get_catalog

    found = get_catalog(catalog_id).subsidy(subsidy_id)
    if found is None:
        raise NotFoundError(
            "CATALOG_SUBSIDY_MISSING",
            "政策目录中已没有这项补贴，请联系县局更新政策目录。",
        )
    return found
