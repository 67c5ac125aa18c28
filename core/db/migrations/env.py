"""Alembic environment: runs on the engine that core.db hands over, never on a URL from a file."""

from __future__ import annotations

from alembic import context

import core.net.models
import core.packages.models  # noqa: F401  (registers the batch and county tables)
from core.db.models import Base

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite can only ALTER through table copies
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
