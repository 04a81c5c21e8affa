"""Cyber: TAXII collections, grants, STIX objects and links, statuses, evidence outbox, conformity register.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table('cyber_collection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('alias', sa.String(length=100), nullable=True),
    sa.Column('owner_org_id', sa.Integer(), nullable=False),
    sa.Column('default_tlp', sa.SmallInteger(), nullable=False),
    sa.Column('last_added_us', sa.BigInteger(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cyber_collection')),
    sa.UniqueConstraint('alias', name=op.f('uq_cyber_collection_alias')),
    sa.UniqueConstraint('uid', name=op.f('uq_cyber_collection_uid'))
    )
    op.create_index(op.f('ix_cyber_collection_owner_org_id'), 'cyber_collection', ['owner_org_id'], unique=False)
    op.create_table('cyber_conformity_body',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('name_ja', sa.String(length=200), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=True),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cyber_conformity_body'))
    )
    op.create_index(op.f('ix_cyber_conformity_body_country'), 'cyber_conformity_body', ['country'], unique=False)
    op.create_table('cyber_log_outbox',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('payload', JSON_TYPE, nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cyber_log_outbox'))
    )
    op.create_table('cyber_accreditation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('body_id', sa.Integer(), nullable=False),
    sa.Column('accreditor', sa.String(length=100), nullable=False),
    sa.Column('scheme', sa.String(length=200), nullable=False),
    sa.Column('standard', sa.String(length=60), nullable=False),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['body_id'], ['cyber_conformity_body.id'], name=op.f('fk_cyber_accreditation_body_id_cyber_conformity_body'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cyber_accreditation'))
    )
    op.create_index(op.f('ix_cyber_accreditation_body_id'), 'cyber_accreditation', ['body_id'], unique=False)
    op.create_index(op.f('ix_cyber_accreditation_standard'), 'cyber_accreditation', ['standard'], unique=False)
    op.create_index(op.f('ix_cyber_accreditation_valid_until'), 'cyber_accreditation', ['valid_until'], unique=False)
    op.create_table('cyber_collection_grant',
    sa.Column('collection_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('can_read', sa.Boolean(), nullable=False),
    sa.Column('can_write', sa.Boolean(), nullable=False),
    sa.Column('max_tlp', sa.SmallInteger(), nullable=False),
    sa.Column('granted_by', sa.Integer(), nullable=True),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['collection_id'], ['cyber_collection.id'], name=op.f('fk_cyber_collection_grant_collection_id_cyber_collection'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('collection_id', 'org_id', name=op.f('pk_cyber_collection_grant'))
    )
    op.create_index(op.f('ix_cyber_collection_grant_org_id'), 'cyber_collection_grant', ['org_id'], unique=False)
    op.create_table('cyber_red_recipient',
    sa.Column('collection_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('added_by', sa.Integer(), nullable=True),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['collection_id'], ['cyber_collection.id'], name=op.f('fk_cyber_red_recipient_collection_id_cyber_collection'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('collection_id', 'user_id', name=op.f('pk_cyber_red_recipient'))
    )
    op.create_table('cyber_status',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('collection_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=True),
    sa.Column('request_timestamp', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('total_count', sa.Integer(), nullable=False),
    sa.Column('success_count', sa.Integer(), nullable=False),
    sa.Column('failure_count', sa.Integer(), nullable=False),
    sa.Column('pending_count', sa.Integer(), nullable=False),
    sa.Column('successes', JSON_TYPE, nullable=False),
    sa.Column('failures', JSON_TYPE, nullable=False),
    sa.ForeignKeyConstraint(['collection_id'], ['cyber_collection.id'], name=op.f('fk_cyber_status_collection_id_cyber_collection'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cyber_status'))
    )
    op.create_index(op.f('ix_cyber_status_collection_id'), 'cyber_status', ['collection_id'], unique=False)
    op.create_table('cyber_stix_link',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('collection_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.String(length=300), nullable=False),
    sa.Column('owner_version_us', sa.BigInteger(), nullable=False),
    sa.Column('from_id', sa.String(length=300), nullable=False),
    sa.Column('to_id', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['collection_id'], ['cyber_collection.id'], name=op.f('fk_cyber_stix_link_collection_id_cyber_collection'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cyber_stix_link'))
    )
    op.create_index('ix_cyber_stix_link_from', 'cyber_stix_link', ['collection_id', 'from_id'], unique=False)
    op.create_index('ix_cyber_stix_link_owner', 'cyber_stix_link', ['collection_id', 'owner_id', 'owner_version_us'], unique=False)
    op.create_index('ix_cyber_stix_link_to', 'cyber_stix_link', ['collection_id', 'to_id'], unique=False)
    op.create_table('cyber_stix_object',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('collection_id', sa.Integer(), nullable=False),
    sa.Column('stix_id', sa.String(length=300), nullable=False),
    sa.Column('type', sa.String(length=250), nullable=False),
    sa.Column('spec_version', sa.String(length=8), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('version_us', sa.BigInteger(), nullable=False),
    sa.Column('added_us', sa.BigInteger(), nullable=False),
    sa.Column('tlp', sa.SmallInteger(), nullable=False),
    sa.Column('is_latest', sa.Boolean(), nullable=False),
    sa.Column('is_first', sa.Boolean(), nullable=False),
    sa.Column('producer_org_id', sa.Integer(), nullable=True),
    sa.Column('added_by', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=300), nullable=True),
    sa.Column('created_by_ref', sa.String(length=300), nullable=True),
    sa.Column('raw', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['collection_id'], ['cyber_collection.id'], name=op.f('fk_cyber_stix_object_collection_id_cyber_collection'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cyber_stix_object'))
    )
    op.create_index('ix_cyber_stix_object_added', 'cyber_stix_object', ['collection_id', 'added_us', 'id'], unique=False)
    op.create_index('ix_cyber_stix_object_type', 'cyber_stix_object', ['collection_id', 'type', 'added_us', 'id'], unique=False)
    op.create_index('ix_cyber_stix_object_version', 'cyber_stix_object', ['collection_id', 'stix_id', 'version_us'], unique=True)


def downgrade() -> None:
    op.drop_index('ix_cyber_stix_object_version', table_name='cyber_stix_object')
    op.drop_index('ix_cyber_stix_object_type', table_name='cyber_stix_object')
    op.drop_index('ix_cyber_stix_object_added', table_name='cyber_stix_object')
    op.drop_table('cyber_stix_object')
    op.drop_index('ix_cyber_stix_link_to', table_name='cyber_stix_link')
    op.drop_index('ix_cyber_stix_link_owner', table_name='cyber_stix_link')
    op.drop_index('ix_cyber_stix_link_from', table_name='cyber_stix_link')
    op.drop_table('cyber_stix_link')
    op.drop_index(op.f('ix_cyber_status_collection_id'), table_name='cyber_status')
    op.drop_table('cyber_status')
    op.drop_table('cyber_red_recipient')
    op.drop_index(op.f('ix_cyber_collection_grant_org_id'), table_name='cyber_collection_grant')
    op.drop_table('cyber_collection_grant')
    op.drop_index(op.f('ix_cyber_accreditation_valid_until'), table_name='cyber_accreditation')
    op.drop_index(op.f('ix_cyber_accreditation_standard'), table_name='cyber_accreditation')
    op.drop_index(op.f('ix_cyber_accreditation_body_id'), table_name='cyber_accreditation')
    op.drop_table('cyber_accreditation')
    op.drop_table('cyber_log_outbox')
    op.drop_index(op.f('ix_cyber_conformity_body_country'), table_name='cyber_conformity_body')
    op.drop_table('cyber_conformity_body')
    op.drop_index(op.f('ix_cyber_collection_owner_org_id'), table_name='cyber_collection')
    op.drop_table('cyber_collection')
