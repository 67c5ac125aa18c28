"""What the organisation list shows: the search as typed (plain Python, no Qt)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class OrganisationListState:
    text: str = ""  # any part of the name, or the start of the credit code

    def set_text(self, text: str) -> None:
        self.text = text.strip()
