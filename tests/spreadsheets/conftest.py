"""The printing tests' sample database (real SQLite, real catalog)."""

from tests.printing.conftest import printing

__all__ = ["printing"]
