"""Security issue: agreement (witness key history, log evidence).

Witness (and log) keys keep their validity period, so a rotated key still verifies the cosignatures it made.
Existing keys are valid from their creation. Log entries written before this revision are not rewritten:
exchange and cyber entries appended earlier may still name readers and purposes (see docs/agreement.md).

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("agreement_note_key") as batch:
        batch.add_column(sa.Column("not_before", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("not_after", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE agreement_note_key SET not_before = created_at")
    # Only the newest witness key of a participant stayed in use: earlier ones end where the next begins.
    op.execute(
        "UPDATE agreement_note_key SET not_after = (SELECT MIN(later.created_at) FROM agreement_note_key later"
        " WHERE later.role = agreement_note_key.role AND later.participant_code = agreement_note_key.participant_code"
        " AND later.id > agreement_note_key.id) WHERE role = 'witness'"
    )


def downgrade() -> None:
    with op.batch_alter_table("agreement_note_key") as batch:
        batch.drop_column("not_after")
        batch.drop_column("not_before")
