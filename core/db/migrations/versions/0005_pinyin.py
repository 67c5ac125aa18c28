"""person.name_pinyin, organisation.name_pinyin: the lists sorted by pinyin

The key of each existing row is computed here from its name (core/pinyin.py), so that an
upgraded office's lists sort like a new one's; new and corrected rows get theirs on save.

Revision ID: 0005_pinyin
Revises: 0005_outbox
Create Date: 2026-12-02 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from core.pinyin import sort_key

revision = "0005_pinyin"
down_revision = "0005_outbox"
branch_labels = None
depends_on = None

TABLES = (("person", True), ("organisation", False))  # (table, a person's family name first)


def upgrade() -> None:
    for table, person in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("name_pinyin", sa.String(length=200), nullable=False, server_default="")
            )
            batch_op.create_index(batch_op.f(f"ix_{table}_name_pinyin"), ["name_pinyin"], unique=False)
        conn = op.get_bind()
        rows = conn.execute(sa.text(f"SELECT id, name FROM {table}")).fetchall()
        update = sa.text(f"UPDATE {table} SET name_pinyin = :key WHERE id = :id")
        for row_id, name in rows:
            conn.execute(update, {"key": sort_key(name or "", person=person), "id": row_id})


def downgrade() -> None:
    for table, _person in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_name_pinyin"))
            batch_op.drop_column("name_pinyin")
