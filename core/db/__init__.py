"""Storage: the SQLite database, its models and its migrations."""

from core.db.engine import Database, default_data_dir, open_database

__all__ = ["Database", "default_data_dir", "open_database"]
