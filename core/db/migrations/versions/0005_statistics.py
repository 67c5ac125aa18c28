"""统计: covering indexes on subsidy_case and imported_case; imported_case's application date and groups

The statistics screen groups every case of a period by month, subsidy, state, village (town) and
population group; reading the wide case rows (facts, assessment, the county's documents as JSON)
took seconds at a town and half a minute at the county on 200,000 cases. The indexes hold every
column those queries read; the county's application date and population groups, until now only
inside each case's document, are copied into columns (filled here from the documents, and at
import from now on) (bench/bench_statistics.py).

Revision ID: 0005_statistics
Revises: 0005_perf
Create Date: 2026-12-02 05:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_statistics"
down_revision = "0005_perf"
branch_labels = None
depends_on = None

_COLUMNS = ["person_id", "application_date", "subsidy_id", "status", "amount_fen"]
_COUNTY = [
    "application_date", "office_code", "subsidy_id", "status", "amount_fen", "approved_fen", "paid_fen", "categories",
]  # fmt: skip
_BACKFILL = (
    "UPDATE imported_case SET application_date = json_extract(document, '$.case.application_date'), "
    "categories = CASE WHEN json_extract(document, '$.applicant.kind') = 'organisation' THEN NULL "
    "ELSE coalesce(json_extract(document, '$.applicant.categories'), json_array()) END"
)

# PostgreSQL (core/db/pg.py): its JSON operators; a json column has no B-tree order, so the
# groups are an INCLUDEd column of the index there, not one of its keys.
_BACKFILL_PG = (
    "UPDATE imported_case SET application_date = (document::json #>> '{case,application_date}')::date, "
    "categories = CASE WHEN document::json #>> '{applicant,kind}' = 'organisation' THEN NULL "
    "ELSE coalesce(document::json #> '{applicant,categories}', '[]'::json) END"
)


def upgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    # Plain ALTER TABLE ADD COLUMN and CREATE INDEX: SQLite needs no copy of the table for these.
    op.create_index("ix_case_statistics", "subsidy_case", _COLUMNS, unique=False)
    op.add_column("imported_case", sa.Column("application_date", sa.Date(), nullable=True))
    op.add_column("imported_case", sa.Column("categories", sa.JSON(), nullable=True))
    op.execute(_BACKFILL_PG if pg else _BACKFILL)
    if pg:
        keys = [c for c in _COUNTY if c != "categories"]
        op.create_index(
            "ix_imported_case_statistics",
            "imported_case",
            keys,
            unique=False,
            postgresql_include=["categories"],
        )
    else:
        op.create_index("ix_imported_case_statistics", "imported_case", _COUNTY, unique=False)


def downgrade() -> None:
    op.drop_index("ix_imported_case_statistics", table_name="imported_case")
    with op.batch_alter_table("imported_case", schema=None) as batch_op:
        batch_op.drop_column("categories")
        batch_op.drop_column("application_date")
    op.drop_index("ix_case_statistics", table_name="subsidy_case")
