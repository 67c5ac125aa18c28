"""Errors of the policy engine: each carries a stable `code` and a Chinese `message_zh`."""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import SubsidyDeskError


@dataclass(frozen=True)
class CatalogError:
    """One mistake found in a catalog file; the loader collects all of them."""

    file: str
    subsidy_id: str | None
    field_path: str
    message_zh: str
    code: str = "CATALOG_INVALID"

    def describe(self) -> str:
        where = f"补贴 {self.subsidy_id} " if self.subsidy_id else ""
        path = self.field_path or "(文件)"
        return f"{self.file}: {where}{path}: [{self.code}] {self.message_zh}"

    def to_dict(self) -> dict[str, str | None]:
        return {
            "file": self.file,
            "subsidy_id": self.subsidy_id,
            "field_path": self.field_path,
            "code": self.code,
            "message_zh": self.message_zh,
        }


class CatalogInvalid(SubsidyDeskError):
    """A catalog file cannot be used; `errors` lists every mistake found in it."""

    def __init__(self, errors: list[CatalogError]) -> None:
        first = errors[0].describe() if errors else ""
        super().__init__("CATALOG_INVALID", f"政策目录文件有{len(errors)}处错误，第一处：{first}")
        self.errors = errors


class CaseInputError(SubsidyDeskError):
    """A case cannot be assessed as entered; the message names the field and the fix."""

    def __init__(self, code: str, message_zh: str, field: str = "") -> None:
        super().__init__(code, message_zh)
        self.field = field
