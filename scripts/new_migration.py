"""Write a context's migration from its models: the create ops for every table with a prefix.

    .venv/bin/python scripts/new_migration.py agreement_ 0003 0002 "Agreement ledger tables." \
        src/kakehashi/migrations/versions/0003_agreement.py

The prefix may be a comma-separated list; a leading "!" excludes: "matchmaking_,!matchmaking_reco_".

Used while a context is first built (its revision was reserved empty in the chain); later changes
are ordinary incremental Alembic revisions appended after the head.
"""

from __future__ import annotations

import sys

from alembic.autogenerate import produce_migrations, render_python_code
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, create_engine

from kakehashi.contexts import import_all_models
from kakehashi.db import Base

TEMPLATE = '''"""{doc}

Revision ID: {rev}
Revises: {down}
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "{rev}"
down_revision = "{down}"
branch_labels = None
depends_on = None

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
{up}


def downgrade() -> None:
{down_ops}
'''


def render(ops: object) -> str:
    code = render_python_code(ops, render_as_batch=False)  # type: ignore[arg-type]
    code = code.replace("kakehashi.db.UTCDateTime(timezone=True)", "sa.DateTime(timezone=True)")
    code = code.replace("sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql')", "JSON_TYPE")
    lines = [line for line in code.strip().splitlines() if not line.strip().startswith("# ###")]
    return "\n".join(line if line.startswith("    ") else "    " + line.strip() for line in lines)


def main(prefix: str, rev: str, down: str, doc: str, out: str) -> None:
    import_all_models()
    metadata = MetaData(naming_convention=Base.metadata.naming_convention)
    include = tuple(p for p in prefix.split(",") if not p.startswith("!"))
    exclude = tuple(p[1:] for p in prefix.split(",") if p.startswith("!"))
    for table in Base.metadata.sorted_tables:
        if table.name.startswith(include) and not (exclude and table.name.startswith(exclude)):
            table.to_metadata(metadata)
    with create_engine("sqlite://").connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        migration = produce_migrations(context, metadata)
    with open(out, "w", encoding="utf-8") as handle:
        handle.write(TEMPLATE.format(doc=doc, rev=rev, down=down, up=render(migration.upgrade_ops),
                                     down_ops=render(migration.downgrade_ops)))


if __name__ == "__main__":
    main(*sys.argv[1:6])
