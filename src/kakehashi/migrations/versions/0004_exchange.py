"""Exchange: shared items, recipients, encrypted content, access decisions, consents, purposes.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table('exchange_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('discloser', sa.String(length=40), nullable=False),
    sa.Column('discloser_side', sa.String(length=2), nullable=False),
    sa.Column('shared_by', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('media_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('purposes', JSON_TYPE, nullable=False),
    sa.Column('tlp', sa.String(length=20), nullable=False),
    sa.Column('access_mode', sa.String(length=20), nullable=False),
    sa.Column('onward_sharing', sa.Boolean(), nullable=False),
    sa.Column('valid_from', sa.DateTime(timezone=True), nullable=False),
    sa.Column('valid_until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retain_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('master_key_id', sa.String(length=32), nullable=False),
    sa.Column('wrapped_key', sa.LargeBinary(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('log_index', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_item'))
    )
    op.create_index(op.f('ix_exchange_item_created_at'), 'exchange_item', ['created_at'], unique=False)
    op.create_index(op.f('ix_exchange_item_discloser'), 'exchange_item', ['discloser'], unique=False)
    op.create_index(op.f('ix_exchange_item_master_key_id'), 'exchange_item', ['master_key_id'], unique=False)
    op.create_index(op.f('ix_exchange_item_retain_until'), 'exchange_item', ['retain_until'], unique=False)
    op.create_table('exchange_purpose',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('label_en', sa.String(length=200), nullable=False),
    sa.Column('label_ja', sa.String(length=200), nullable=False),
    sa.Column('clause', sa.String(length=40), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_exchange_purpose'))
    )
    op.create_table('exchange_access',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=True),
    sa.Column('side', sa.String(length=2), nullable=True),
    sa.Column('ministry', sa.String(length=20), nullable=True),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('purpose', sa.String(length=64), nullable=False),
    sa.Column('permit', sa.Boolean(), nullable=False),
    sa.Column('rule', sa.String(length=80), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('log_index', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['exchange_item.id'], name=op.f('fk_exchange_access_item_id_exchange_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_access'))
    )
    op.create_index('ix_exchange_access_item_at', 'exchange_access', ['item_id', 'at'], unique=False)
    op.create_index(op.f('ix_exchange_access_user_id'), 'exchange_access', ['user_id'], unique=False)
    op.create_table('exchange_consent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('requested_by', sa.Integer(), nullable=False),
    sa.Column('requester_org_id', sa.Integer(), nullable=True),
    sa.Column('requester_side', sa.String(length=2), nullable=False),
    sa.Column('recipient_kind', sa.String(length=10), nullable=False),
    sa.Column('recipient_id', sa.String(length=40), nullable=False),
    sa.Column('purpose', sa.String(length=64), nullable=False),
    sa.Column('onward_sharing', sa.Boolean(), nullable=False),
    sa.Column('justification', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.Column('instrument_id', sa.Integer(), nullable=True),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['exchange_item.id'], name=op.f('fk_exchange_consent_item_id_exchange_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_consent'))
    )
    op.create_index('ix_exchange_consent_item_status', 'exchange_consent', ['item_id', 'status'], unique=False)
    op.create_index(op.f('ix_exchange_consent_requested_by'), 'exchange_consent', ['requested_by'], unique=False)
    op.create_table('exchange_content_chunk',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['exchange_item.id'], name=op.f('fk_exchange_content_chunk_item_id_exchange_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'seq', name=op.f('pk_exchange_content_chunk'))
    )
    op.create_table('exchange_recipient',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('value', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['exchange_item.id'], name=op.f('fk_exchange_recipient_item_id_exchange_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_recipient')),
    sa.UniqueConstraint('item_id', 'kind', 'value', name=op.f('uq_exchange_recipient_item_id_kind_value'))
    )
    op.create_index('ix_exchange_recipient_kind_value', 'exchange_recipient', ['kind', 'value'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_exchange_recipient_kind_value', table_name='exchange_recipient')
    op.drop_table('exchange_recipient')
    op.drop_table('exchange_content_chunk')
    op.drop_index(op.f('ix_exchange_consent_requested_by'), table_name='exchange_consent')
    op.drop_index('ix_exchange_consent_item_status', table_name='exchange_consent')
    op.drop_table('exchange_consent')
    op.drop_index(op.f('ix_exchange_access_user_id'), table_name='exchange_access')
    op.drop_index('ix_exchange_access_item_at', table_name='exchange_access')
    op.drop_table('exchange_access')
    op.drop_table('exchange_purpose')
    op.drop_index(op.f('ix_exchange_item_retain_until'), table_name='exchange_item')
    op.drop_index(op.f('ix_exchange_item_master_key_id'), table_name='exchange_item')
    op.drop_index(op.f('ix_exchange_item_discloser'), table_name='exchange_item')
    op.drop_index(op.f('ix_exchange_item_created_at'), table_name='exchange_item')
    op.drop_table('exchange_item')
