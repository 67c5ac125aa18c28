"""The policy engine: catalogs as data, validated at load, and a pure `assess`.

The loader is imported when first asked for, so that light modules of this package
(`installed.py`, read by the main window at start-up) do not pull in the whole engine.
"""

from __future__ import annotations

from typing import Any

__all__ = ["catalog_dir", "load_all", "load_catalog", "repo_root"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from core.policy import loader

        return getattr(loader, name)
    raise AttributeError(f"module 'core.policy' has no attribute {name!r}")
