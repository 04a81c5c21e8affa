"""Registry: organisations, sectors, identifiers, search index.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table('registry_organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('name_ja', sa.String(length=200), nullable=True),
    sa.Column('name_hi', sa.String(length=200), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('region', sa.String(length=100), nullable=True),
    sa.Column('city', sa.String(length=100), nullable=True),
    sa.Column('size', sa.String(length=10), nullable=True),
    sa.Column('founded_year', sa.Integer(), nullable=True),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('offers', sa.Text(), nullable=False),
    sa.Column('seeks', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('contacts', JSON_TYPE, nullable=False),
    sa.Column('areas', JSON_TYPE, nullable=False),
    sa.Column('area_mask', sa.Integer(), nullable=False),
    sa.Column('sector_mask', sa.BigInteger(), nullable=False),
    sa.Column('sort_name', sa.String(length=200), nullable=False),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('verified_by', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registry_organisation'))
    )
    op.create_index('ix_registry_organisation_by_id', 'registry_organisation', ['id', 'sort_name', 'country', 'kind', 'verified_at', 'area_mask', 'sector_mask'], unique=False)
    op.create_index('ix_registry_organisation_listing', 'registry_organisation', ['sort_name', 'id', 'country', 'kind', 'verified_at', 'area_mask', 'sector_mask'], unique=False)
    op.create_index(op.f('ix_registry_organisation_updated_at'), 'registry_organisation', ['updated_at'], unique=False)
    op.create_table('registry_organisation_identifier',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('scheme', sa.String(length=30), nullable=False),
    sa.Column('value', sa.String(length=40).with_variant(sa.String(length=40, collation='C'), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['registry_organisation.id'], name=op.f('fk_registry_organisation_identifier_org_id_registry_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registry_organisation_identifier')),
    sa.UniqueConstraint('scheme', 'value', name=op.f('uq_registry_organisation_identifier_scheme_value'))
    )
    op.create_index(op.f('ix_registry_organisation_identifier_org_id'), 'registry_organisation_identifier', ['org_id'], unique=False)
    op.create_index('ix_registry_organisation_identifier_value', 'registry_organisation_identifier', ['value'], unique=False)
    op.create_table('registry_organisation_sector',
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('sector', sa.String(length=40), nullable=False),
    sa.Column('area', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['registry_organisation.id'], name=op.f('fk_registry_organisation_sector_org_id_registry_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'sector', name=op.f('pk_registry_organisation_sector'))
    )
    op.create_index(op.f('ix_registry_organisation_sector_area'), 'registry_organisation_sector', ['area'], unique=False)
    op.create_index(op.f('ix_registry_organisation_sector_sector'), 'registry_organisation_sector', ['sector'], unique=False)
    op.create_table('registry_search_document',
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['registry_organisation.id'], name=op.f('fk_registry_search_document_org_id_registry_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', name=op.f('pk_registry_search_document'))
    )
    op.create_table('registry_search_gram',
    sa.Column('gram', sa.String(length=8), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['registry_organisation.id'], name=op.f('fk_registry_search_gram_org_id_registry_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('gram', 'org_id', name=op.f('pk_registry_search_gram')),
    sqlite_with_rowid=False
    )
    op.create_index(op.f('ix_registry_search_gram_org_id'), 'registry_search_gram', ['org_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_registry_search_gram_org_id'), table_name='registry_search_gram')
    op.drop_table('registry_search_gram')
    op.drop_table('registry_search_document')
    op.drop_index(op.f('ix_registry_organisation_sector_sector'), table_name='registry_organisation_sector')
    op.drop_index(op.f('ix_registry_organisation_sector_area'), table_name='registry_organisation_sector')
    op.drop_table('registry_organisation_sector')
    op.drop_index('ix_registry_organisation_identifier_value', table_name='registry_organisation_identifier')
    op.drop_index(op.f('ix_registry_organisation_identifier_org_id'), table_name='registry_organisation_identifier')
    op.drop_table('registry_organisation_identifier')
    op.drop_index(op.f('ix_registry_organisation_updated_at'), table_name='registry_organisation')
    op.drop_index('ix_registry_organisation_listing', table_name='registry_organisation')
    op.drop_index('ix_registry_organisation_by_id', table_name='registry_organisation')
    op.drop_table('registry_organisation')
