"""subsidy_case.applicant_pinyin: the applicant's pinyin sort key stored on the case

The 申请人 column sorts persons by pinyin (core/pinyin.py, 0005_pinyin). The case list pages by
keyset over an indexed column of the case (0005_perf), so the key is kept on the case as the
name is: SQLite triggers copy person.name_pinyin or organisation.name_pinyin whoever writes the
case or renames the applicant, and one index (key, application date) serves the order.

Revision ID: 0006_case_pinyin
Revises: 0005_pinyin
Create Date: 2026-12-02 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_case_pinyin"
down_revision = "0005_pinyin"
branch_labels = None
depends_on = None

_KEY_OF_CASE = (
    "coalesce((SELECT p.name_pinyin FROM person AS p WHERE p.id = {c}.person_id), "
    "(SELECT o.name_pinyin FROM organisation AS o WHERE o.id = {c}.organisation_id), '')"
)
TRIGGERS = {
    "subsidy_case_applicant_pinyin_insert": (
        "AFTER INSERT ON subsidy_case BEGIN UPDATE subsidy_case SET applicant_pinyin = "
        f"{_KEY_OF_CASE.format(c='NEW')} WHERE id = NEW.id; END"
    ),
    "subsidy_case_applicant_pinyin_update": (
        "AFTER UPDATE OF person_id, organisation_id ON subsidy_case BEGIN UPDATE subsidy_case "
        f"SET applicant_pinyin = {_KEY_OF_CASE.format(c='NEW')} WHERE id = NEW.id; END"
    ),
    "person_pinyin_to_cases": (
        "AFTER UPDATE OF name_pinyin ON person BEGIN UPDATE subsidy_case SET applicant_pinyin = "
        "NEW.name_pinyin WHERE person_id = NEW.id; END"
    ),
    "organisation_pinyin_to_cases": (
        "AFTER UPDATE OF name_pinyin ON organisation BEGIN UPDATE subsidy_case SET applicant_pinyin = "
        "NEW.name_pinyin WHERE organisation_id = NEW.id; END"
    ),
}

# The same on PostgreSQL (as 0005_perf does for the name): a BEFORE trigger sets the case's key
# as it is written; a new key of the applicant is copied to its cases.
_PG_FUNCTIONS = {
    "subsidy_case_applicant_pinyin": (
        "subsidy_case",
        "BEFORE INSERT OR UPDATE OF person_id, organisation_id",
        f"BEGIN NEW.applicant_pinyin := {_KEY_OF_CASE.format(c='NEW')}; RETURN NEW; END",
    ),
    "person_pinyin_to_cases": (
        "person",
        "AFTER UPDATE OF name_pinyin",
        "BEGIN UPDATE subsidy_case SET applicant_pinyin = NEW.name_pinyin WHERE person_id = NEW.id; "
        "RETURN NULL; END",
    ),
    "organisation_pinyin_to_cases": (
        "organisation",
        "AFTER UPDATE OF name_pinyin",
        "BEGIN UPDATE subsidy_case SET applicant_pinyin = NEW.name_pinyin WHERE organisation_id = NEW.id; "
        "RETURN NULL; END",
    ),
}


def _pg() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("subsidy_case", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("applicant_pinyin", sa.String(length=200), server_default="", nullable=False)
        )
        batch_op.create_index(
            "ix_subsidy_case_applicant_pinyin", ["applicant_pinyin", "application_date"], unique=False
        )
    op.execute(f"UPDATE subsidy_case SET applicant_pinyin = {_KEY_OF_CASE.format(c='subsidy_case')}")
    if _pg():
        for name, (table, when, body) in _PG_FUNCTIONS.items():
            op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ {body} $$")
            op.execute(f"CREATE TRIGGER {name} {when} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()")
        return
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    if _pg():
        for name, (table, _when, _body) in _PG_FUNCTIONS.items():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    else:
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("subsidy_case", schema=None) as batch_op:
        batch_op.drop_index("ix_subsidy_case_applicant_pinyin")
        batch_op.drop_column("applicant_pinyin")
