"""Security issue: identity (API token lifetime and last use, sign-in throttling).

API tokens get an expiry (existing tokens expire 90 days after this migration runs, so none lives for ever);
sign-in attempts get an index by client, for throttling per client.

Revision ID: 0014
Revises: 0013
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

from kakehashi.db import UTCDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("identity_api_token") as batch:
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    tokens = sa.table("identity_api_token", sa.column("expires_at", UTCDateTime()))
    op.execute(tokens.update().values(expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=90)))
    with op.batch_alter_table("identity_api_token") as batch:
        batch.alter_column("expires_at", existing_type=sa.DateTime(timezone=True), nullable=False)
    op.create_index("ix_identity_login_attempt_client_at", "identity_login_attempt", ["client", "at"])


def downgrade() -> None:
    op.drop_index("ix_identity_login_attempt_client_at", table_name="identity_login_attempt")
    with op.batch_alter_table("identity_api_token") as batch:
        batch.drop_column("expires_at")
