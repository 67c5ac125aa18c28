"""What every use case shares: its unit of work, and the actor checks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from core.db import Database

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@contextmanager
def unit_of_work(db: Database) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back on any error."""
    with db.session() as session, session.begin():
        yield session


@contextmanager
def reading(db: Database) -> Iterator[Session]:
    """A session for reading only; nothing is committed."""
    with db.session() as session:
        yield session
