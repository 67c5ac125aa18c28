"""Lists that stay fast at a million cases: stored, indexed sort keys (issue 16)

- subsidy_case.applicant_name: the applicant's name (person or organisation) stored on the
  case, so that one index serves the 申请人 sort, its keyset pages and the name search
  (`coalesce(p.name, o.name)` across a join is served by none). The index holds the
  application date too: the default order of a name search's matches is read from it alone,
  and cases of one name sort by date. SQLite triggers keep it equal
  to the applicant's name whoever writes the case or renames the applicant. It is the name
  itself, in code-point order as before; a pinyin order for persons is another column
  (migration 0005_pinyin), not this one.
- an index on subsidy_case.amount_fen (the 金额 sort).
- imported_case.applicant_kind, catalog_id, assessed_fen: what the county's list read from the
  JSON document of every row, now columns filled at import; and indexes for the list's order
  (office, case number, uuid), with and without the status filter.

Revision ID: 0005_perf
Revises: 0005_key_numbers
Create Date: 2026-12-02 05:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_perf"
down_revision = "0005_key_numbers"
branch_labels = None
depends_on = None

_NAME_OF_CASE = (
    "coalesce((SELECT p.name FROM person AS p WHERE p.id = {c}.person_id), "
    "(SELECT o.name FROM organisation AS o WHERE o.id = {c}.organisation_id), '')"
)
TRIGGERS = {
    "subsidy_case_applicant_name_insert": (
        "AFTER INSERT ON subsidy_case BEGIN UPDATE subsidy_case SET applicant_name = "
        f"{_NAME_OF_CASE.format(c='NEW')} WHERE id = NEW.id; END"
    ),
    "subsidy_case_applicant_name_update": (
        "AFTER UPDATE OF person_id, organisation_id ON subsidy_case BEGIN UPDATE subsidy_case "
        f"SET applicant_name = {_NAME_OF_CASE.format(c='NEW')} WHERE id = NEW.id; END"
    ),
    "person_name_to_cases": (
        "AFTER UPDATE OF name ON person BEGIN UPDATE subsidy_case SET applicant_name = NEW.name "
        "WHERE person_id = NEW.id; END"
    ),
    "organisation_name_to_cases": (
        "AFTER UPDATE OF name ON organisation BEGIN UPDATE subsidy_case SET applicant_name = NEW.name "
        "WHERE organisation_id = NEW.id; END"
    ),
}

_DOCUMENT_COLUMNS = (
    "UPDATE imported_case SET applicant_kind = coalesce(json_extract(document, '$.applicant.kind'), ''), "
    "catalog_id = coalesce(json_extract(document, '$.case.catalog_id'), ''), "
    "assessed_fen = CASE WHEN json_type(document, '$.assessment.amount_fen') = 'integer' "
    "THEN json_extract(document, '$.assessment.amount_fen') ELSE amount_fen END"
)


# The same on PostgreSQL (core/db/pg.py): a BEFORE trigger sets the case's name as it is
# written; a rename is copied to the applicant's cases; the documents read with its JSON operators.
_PG_FUNCTIONS = {
    "subsidy_case_applicant_name": (
        "subsidy_case",
        "BEFORE INSERT OR UPDATE OF person_id, organisation_id",
        f"BEGIN NEW.applicant_name := {_NAME_OF_CASE.format(c='NEW')}; RETURN NEW; END",
    ),
    "person_name_to_cases": (
        "person",
        "AFTER UPDATE OF name",
        "BEGIN UPDATE subsidy_case SET applicant_name = NEW.name WHERE person_id = NEW.id; RETURN NULL; END",
    ),
    "organisation_name_to_cases": (
        "organisation",
        "AFTER UPDATE OF name",
        "BEGIN UPDATE subsidy_case SET applicant_name = NEW.name WHERE organisation_id = NEW.id; "
        "RETURN NULL; END",
    ),
}
_DOCUMENT_COLUMNS_PG = (
    "UPDATE imported_case SET applicant_kind = coalesce(document::json #>> '{applicant,kind}', ''), "
    "catalog_id = coalesce(document::json #>> '{case,catalog_id}', ''), "
    "assessed_fen = CASE WHEN json_typeof(document::json #> '{assessment,amount_fen}') = 'number' "
    "THEN (document::json #>> '{assessment,amount_fen}')::bigint ELSE amount_fen END"
)


def _pg() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")


def _pg_triggers() -> None:
    for name, (table, when, body) in _PG_FUNCTIONS.items():
        op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ {body} $$")
        op.execute(f"CREATE TRIGGER {name} {when} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()")


def upgrade() -> None:
    with op.batch_alter_table("subsidy_case", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("applicant_name", sa.String(length=100), server_default="", nullable=False)
        )
        batch_op.create_index(
            "ix_subsidy_case_applicant", ["applicant_name", "application_date"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_subsidy_case_amount_fen"), ["amount_fen"], unique=False)
    op.execute(f"UPDATE subsidy_case SET applicant_name = {_NAME_OF_CASE.format(c='subsidy_case')}")
    if _pg():
        _pg_triggers()
    else:
        for name, body in TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")
    with op.batch_alter_table("imported_case", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("applicant_kind", sa.String(length=20), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("catalog_id", sa.String(length=60), server_default="", nullable=False))
        batch_op.add_column(sa.Column("assessed_fen", sa.Integer(), server_default="0", nullable=False))
        batch_op.create_index("ix_imported_case_list", ["office_code", "case_number", "uuid"], unique=False)
        batch_op.create_index(
            "ix_imported_case_status_list", ["status", "office_code", "case_number", "uuid"], unique=False
        )
    op.execute(_DOCUMENT_COLUMNS_PG if _pg() else _DOCUMENT_COLUMNS)


def downgrade() -> None:
    if _pg():
        for name, (table, _when, _body) in _PG_FUNCTIONS.items():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    else:
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("imported_case", schema=None) as batch_op:
        batch_op.drop_index("ix_imported_case_status_list")
        batch_op.drop_index("ix_imported_case_list")
        batch_op.drop_column("assessed_fen")
        batch_op.drop_column("catalog_id")
        batch_op.drop_column("applicant_kind")
    with op.batch_alter_table("subsidy_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subsidy_case_amount_fen"))
        batch_op.drop_index("ix_subsidy_case_applicant")
        batch_op.drop_column("applicant_name")
