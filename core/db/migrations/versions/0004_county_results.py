"""imported_case.result_number, paid_result_number: the result packages that told the town

A county decision may be corrected until a result package has told the town of it (the town
never moves a case backwards); the approval (or rejection) and the payment are told, and
corrected, separately. Decisions taken before this revision are matched to the first result
package of their office written at or after the decision; the approval of a paid case counts
as told once any result package of its office exists (its own time is not kept).

Revision ID: 0004_county_results
Revises: 0003
Create Date: 2026-12-02 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_county_results"
down_revision = "0003"
branch_labels = None
depends_on = None

_FIRST_AFTER = (
    "SELECT min(r.number) FROM result_package AS r "
    "WHERE r.office_code = imported_case.office_code AND r.created_at >= imported_case.decided_at"
)
_ANY = "SELECT max(r.number) FROM result_package AS r WHERE r.office_code = imported_case.office_code"
_BACKFILL = (
    f"UPDATE imported_case SET result_number = ({_FIRST_AFTER}) "
    "WHERE status IN ('approved', 'rejected') AND decided_at IS NOT NULL",
    f"UPDATE imported_case SET paid_result_number = ({_FIRST_AFTER}), result_number = ({_ANY}) "
    "WHERE status = 'paid' AND decided_at IS NOT NULL",
)


def upgrade() -> None:
    with op.batch_alter_table("imported_case", schema=None) as batch_op:
        batch_op.add_column(sa.Column("result_number", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("paid_result_number", sa.Integer(), nullable=True))
    for statement in _BACKFILL:
        op.execute(statement)


def downgrade() -> None:
    with op.batch_alter_table("imported_case", schema=None) as batch_op:
        batch_op.drop_column("paid_result_number")
        batch_op.drop_column("result_number")
