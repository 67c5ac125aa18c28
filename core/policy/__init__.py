"""The policy engine: catalogs as data, validated at load, and a pure `assess`."""

from core.policy.loader import catalog_dir, load_all, load_catalog, repo_root

__all__ = ["catalog_dir", "load_all", "load_catalog", "repo_root"]
