"""Agreement ledger: agreements, instruments, keys, transparency log.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table('agreement_agreement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('title_ja', sa.String(length=300), nullable=True),
    sa.Column('preamble', sa.Text(), nullable=False),
    sa.Column('made_on', sa.Date(), nullable=True),
    sa.Column('term_years', sa.Integer(), nullable=False),
    sa.Column('notice_days', sa.Integer(), nullable=False),
    sa.Column('notice_counting', sa.String(length=30), nullable=False),
    sa.Column('renewal_window_days', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_agreement')),
    sa.UniqueConstraint('slug', name=op.f('uq_agreement_agreement_slug'))
    )
    op.create_table('agreement_checkpoint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('root_hash', sa.LargeBinary(length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_checkpoint')),
    sa.UniqueConstraint('size', name=op.f('uq_agreement_checkpoint_size'))
    )
    op.create_table('agreement_demo_key',
    sa.Column('kid', sa.String(length=64), nullable=False),
    sa.Column('private_pem', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('kid', name=op.f('pk_agreement_demo_key'))
    )
    op.create_table('agreement_log_entry',
    sa.Column('index', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('data', sa.Text(), nullable=False),
    sa.Column('leaf_hash', sa.LargeBinary(length=32), nullable=False),
    sa.Column('appended_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('index', name=op.f('pk_agreement_log_entry'))
    )
    op.create_index(op.f('ix_agreement_log_entry_kind'), 'agreement_log_entry', ['kind'], unique=False)
    op.create_table('agreement_log_node',
    sa.Column('level', sa.SmallInteger(), autoincrement=False, nullable=False),
    sa.Column('index', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('hash', sa.LargeBinary(length=32), nullable=False),
    sa.PrimaryKeyConstraint('level', 'index', name=op.f('pk_agreement_log_node'))
    )
    op.create_table('agreement_note_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('participant_code', sa.String(length=20), nullable=True),
    sa.Column('vkey', sa.String(length=300), nullable=False),
    sa.Column('private_pem', sa.Text(), nullable=True),
    sa.Column('demo', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_note_key')),
    sa.UniqueConstraint('vkey', name=op.f('uq_agreement_note_key_vkey'))
    )
    op.create_table('agreement_signer_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kid', sa.String(length=64), nullable=False),
    sa.Column('participant_code', sa.String(length=20), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('jwk', JSON_TYPE, nullable=False),
    sa.Column('demo', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('log_index', sa.BigInteger(), nullable=True),
    sa.Column('revocation_log_index', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_signer_key')),
    sa.UniqueConstraint('kid', name=op.f('uq_agreement_signer_key_kid'))
    )
    op.create_index(op.f('ix_agreement_signer_key_user_id'), 'agreement_signer_key', ['user_id'], unique=False)
    op.create_table('agreement_commitment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('paragraph_ref', sa.String(length=40), nullable=False),
    sa.Column('area', sa.String(length=20), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('title_ja', sa.String(length=200), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement_agreement.id'], name=op.f('fk_agreement_commitment_agreement_id_agreement_agreement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_commitment'))
    )
    op.create_index(op.f('ix_agreement_commitment_agreement_id'), 'agreement_commitment', ['agreement_id'], unique=False)
    op.create_table('agreement_cosignature',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('checkpoint_id', sa.Integer(), nullable=False),
    sa.Column('participant_code', sa.String(length=20), nullable=False),
    sa.Column('key_name', sa.String(length=200), nullable=False),
    sa.Column('timestamp', sa.BigInteger(), nullable=False),
    sa.Column('line', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['checkpoint_id'], ['agreement_checkpoint.id'], name=op.f('fk_agreement_cosignature_checkpoint_id_agreement_checkpoint'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_cosignature')),
    sa.UniqueConstraint('checkpoint_id', 'participant_code', name=op.f('uq_agreement_cosignature_checkpoint_id_participant_code'))
    )
    op.create_index(op.f('ix_agreement_cosignature_checkpoint_id'), 'agreement_cosignature', ['checkpoint_id'], unique=False)
    op.create_table('agreement_instrument',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('payload_sha256', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('drafted_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('concluded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('log_index', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement_agreement.id'], name=op.f('fk_agreement_instrument_agreement_id_agreement_agreement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_instrument'))
    )
    op.create_index(op.f('ix_agreement_instrument_agreement_id'), 'agreement_instrument', ['agreement_id'], unique=False)
    op.create_table('agreement_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('related_id', sa.Integer(), nullable=False),
    sa.Column('relation', sa.String(length=40), nullable=False),
    sa.Column('paragraph_ref', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement_agreement.id'], name=op.f('fk_agreement_link_agreement_id_agreement_agreement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['related_id'], ['agreement_agreement.id'], name=op.f('fk_agreement_link_related_id_agreement_agreement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_link'))
    )
    op.create_index(op.f('ix_agreement_link_agreement_id'), 'agreement_link', ['agreement_id'], unique=False)
    op.create_table('agreement_paragraph',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('heading', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement_agreement.id'], name=op.f('fk_agreement_paragraph_agreement_id_agreement_agreement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_paragraph')),
    sa.UniqueConstraint('agreement_id', 'ref', name=op.f('uq_agreement_paragraph_agreement_id_ref'))
    )
    op.create_index(op.f('ix_agreement_paragraph_agreement_id'), 'agreement_paragraph', ['agreement_id'], unique=False)
    op.create_table('agreement_participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_ja', sa.String(length=200), nullable=True),
    sa.Column('side', sa.String(length=2), nullable=False),
    sa.Column('zone', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement_agreement.id'], name=op.f('fk_agreement_participant_agreement_id_agreement_agreement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_participant')),
    sa.UniqueConstraint('agreement_id', 'code', name=op.f('uq_agreement_participant_agreement_id_code'))
    )
    op.create_index(op.f('ix_agreement_participant_agreement_id'), 'agreement_participant', ['agreement_id'], unique=False)
    op.create_table('agreement_reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('days_before', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement_agreement.id'], name=op.f('fk_agreement_reminder_agreement_id_agreement_agreement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_reminder')),
    sa.UniqueConstraint('agreement_id', 'kind', 'due_on', 'days_before', name=op.f('uq_agreement_reminder_agreement_id_kind_due_on_days_before'))
    )
    op.create_index(op.f('ix_agreement_reminder_agreement_id'), 'agreement_reminder', ['agreement_id'], unique=False)
    op.create_table('agreement_signatory',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('participant_code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement_agreement.id'], name=op.f('fk_agreement_signatory_agreement_id_agreement_agreement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_signatory'))
    )
    op.create_index(op.f('ix_agreement_signatory_agreement_id'), 'agreement_signatory', ['agreement_id'], unique=False)
    op.create_table('agreement_signature',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instrument_id', sa.Integer(), nullable=False),
    sa.Column('participant_code', sa.String(length=20), nullable=False),
    sa.Column('kid', sa.String(length=64), nullable=False),
    sa.Column('protected', sa.Text(), nullable=False),
    sa.Column('signature', sa.Text(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['instrument_id'], ['agreement_instrument.id'], name=op.f('fk_agreement_signature_instrument_id_agreement_instrument'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_signature')),
    sa.UniqueConstraint('instrument_id', 'participant_code', name=op.f('uq_agreement_signature_instrument_id_participant_code'))
    )
    op.create_index(op.f('ix_agreement_signature_instrument_id'), 'agreement_signature', ['instrument_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_agreement_signature_instrument_id'), table_name='agreement_signature')
    op.drop_table('agreement_signature')
    op.drop_index(op.f('ix_agreement_signatory_agreement_id'), table_name='agreement_signatory')
    op.drop_table('agreement_signatory')
    op.drop_index(op.f('ix_agreement_reminder_agreement_id'), table_name='agreement_reminder')
    op.drop_table('agreement_reminder')
    op.drop_index(op.f('ix_agreement_participant_agreement_id'), table_name='agreement_participant')
    op.drop_table('agreement_participant')
    op.drop_index(op.f('ix_agreement_paragraph_agreement_id'), table_name='agreement_paragraph')
    op.drop_table('agreement_paragraph')
    op.drop_index(op.f('ix_agreement_link_agreement_id'), table_name='agreement_link')
    op.drop_table('agreement_link')
    op.drop_index(op.f('ix_agreement_instrument_agreement_id'), table_name='agreement_instrument')
    op.drop_table('agreement_instrument')
    op.drop_index(op.f('ix_agreement_cosignature_checkpoint_id'), table_name='agreement_cosignature')
    op.drop_table('agreement_cosignature')
    op.drop_index(op.f('ix_agreement_commitment_agreement_id'), table_name='agreement_commitment')
    op.drop_table('agreement_commitment')
    op.drop_index(op.f('ix_agreement_signer_key_user_id'), table_name='agreement_signer_key')
    op.drop_table('agreement_signer_key')
    op.drop_table('agreement_note_key')
    op.drop_table('agreement_log_node')
    op.drop_index(op.f('ix_agreement_log_entry_kind'), table_name='agreement_log_entry')
    op.drop_table('agreement_log_entry')
    op.drop_table('agreement_demo_key')
    op.drop_table('agreement_checkpoint')
    op.drop_table('agreement_agreement')
