"""The office's settings as plain data, importable without the database layer."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class OfficeInput:
    county_code: str
    town: str
    name: str
    phone: str = ""
    catalog_id: str | None = None
