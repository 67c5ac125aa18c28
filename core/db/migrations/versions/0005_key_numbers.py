"""county_office_key.last_batch: the last batch number a replaced or revoked key may sign

Rotation and revocation are by batch number, not by the time the signer writes into the
package (#13). A key closed before this revision gets the highest batch number the county
imported signed by it; a closed key that signed nothing imported keeps no number, and its
time window (valid_until) still applies.

Revision ID: 0005_key_numbers
Revises: 0005_accounts
Create Date: 2026-12-02 05:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_key_numbers"
down_revision = "0005_accounts"
branch_labels = None
depends_on = None

_BACKFILL = (
    "UPDATE county_office_key SET last_batch = ("
    "SELECT max(p.batch_number) FROM imported_package AS p "
    "WHERE p.office_code = county_office_key.office_code AND p.key_fingerprint = county_office_key.fingerprint"
    ") WHERE valid_until IS NOT NULL"
)


def upgrade() -> None:
    with op.batch_alter_table("county_office_key", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_batch", sa.Integer(), nullable=True))
    op.execute(_BACKFILL)


def downgrade() -> None:
    with op.batch_alter_table("county_office_key", schema=None) as batch_op:
        batch_op.drop_column("last_batch")
