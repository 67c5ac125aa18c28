"""The use cases run on both databases."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _both_backends(backend: str) -> str:
    """These tests run on SQLite and on PostgreSQL (tests/conftest.py)."""
    return backend
