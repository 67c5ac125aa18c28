"""Errors a clerk can meet while printing; each has a stable code and a Chinese message."""

from __future__ import annotations

from core.errors import SubsidyDeskError


class PrintingError(SubsidyDeskError):
    """A document cannot be produced (no font, no such case, a roster that mixes subsidies ...)."""
