"""Storage: the SQLite database (or a PostgreSQL server), its models and its migrations."""

from core.db.engine import Database, ReadConnection, default_data_dir, open_database

__all__ = ["Database", "ReadConnection", "default_data_dir", "open_database"]
