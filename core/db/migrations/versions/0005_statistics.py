"""subsidy_case: a covering index for 统计 (ix_case_statistics)

The statistics screen groups every case of a period by month, subsidy, state, village and
population group; reading the wide case rows (facts and assessment as JSON) took seconds on
200,000 cases. This index holds every column those queries read (bench/bench_statistics.py).

Revision ID: 0005_statistics
Revises: 0005_perf
Create Date: 2026-12-02 05:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0005_statistics"
down_revision = "0005_perf"
branch_labels = None
depends_on = None

_COLUMNS = ["person_id", "application_date", "subsidy_id", "status", "amount_fen"]


def upgrade() -> None:
    op.create_index("ix_case_statistics", "subsidy_case", _COLUMNS, unique=False)  # no table copy


def downgrade() -> None:
    op.drop_index("ix_case_statistics", table_name="subsidy_case")
