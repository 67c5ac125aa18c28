"""subsidy_case.version, imported_case.version: a decision checks what its decider saw

Several PCs on one database (PostgreSQL): two people deciding the same case. Each update of a
case raises its version and finds the version it read (SQLAlchemy's version_id_col), and a
decision taken from a screen carries the version the screen showed; the second decider is told
who changed the case and when, and nothing is overwritten (core/cases/versions.py).

Revision ID: 0005_pg
Revises: 0006_case_pinyin
Create Date: 2026-12-02 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_pg"
down_revision = "0006_case_pinyin"
branch_labels = None
depends_on = None

_TABLES = ("subsidy_case", "imported_case")


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
