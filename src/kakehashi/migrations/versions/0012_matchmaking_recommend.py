"""Tables of the matchmaking recommender (matchmaking_reco_*; owned by matchmaking/recommend).

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table('matchmaking_reco_embedding',
    sa.Column('text_key', sa.String(length=64), nullable=False),
    sa.Column('model', sa.String(length=60), nullable=False),
    sa.Column('vector', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('text_key', 'model', name=op.f('pk_matchmaking_reco_embedding'))
    )
    op.create_table('matchmaking_reco_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('requester_org_id', sa.Integer(), nullable=False),
    sa.Column('partner_org_id', sa.Integer(), nullable=False),
    sa.Column('verdict', sa.String(length=20), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_reco_feedback')),
    sa.UniqueConstraint('requester_org_id', 'partner_org_id', name=op.f('uq_matchmaking_reco_feedback_requester_org_id_partner_org_id'))
    )
    op.create_index(op.f('ix_matchmaking_reco_feedback_requester_org_id'), 'matchmaking_reco_feedback', ['requester_org_id'], unique=False)
    op.create_table('matchmaking_reco_profile',
    sa.Column('org_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('sectors', JSON_TYPE, nullable=False),
    sa.Column('stage', sa.String(length=30), nullable=True),
    sa.Column('investment_stages', JSON_TYPE, nullable=False),
    sa.Column('source_version', sa.Integer(), nullable=False),
    sa.Column('source_digest', sa.String(length=64), nullable=False),
    sa.Column('model', sa.String(length=60), nullable=False),
    sa.Column('exposure', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('org_id', name=op.f('pk_matchmaking_reco_profile'))
    )
    op.create_index(op.f('ix_matchmaking_reco_profile_updated_at'), 'matchmaking_reco_profile', ['updated_at'], unique=False)
    op.create_table('matchmaking_reco_text',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=5), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('text_key', sa.String(length=64), nullable=False),
    sa.Column('vector', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['matchmaking_reco_profile.org_id'], name=op.f('fk_matchmaking_reco_text_org_id_matchmaking_reco_profile'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_reco_text')),
    sa.UniqueConstraint('org_id', 'side', 'position', name=op.f('uq_matchmaking_reco_text_org_id_side_position'))
    )
    op.create_index(op.f('ix_matchmaking_reco_text_org_id'), 'matchmaking_reco_text', ['org_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_matchmaking_reco_text_org_id'), table_name='matchmaking_reco_text')
    op.drop_table('matchmaking_reco_text')
    op.drop_index(op.f('ix_matchmaking_reco_profile_updated_at'), table_name='matchmaking_reco_profile')
    op.drop_table('matchmaking_reco_profile')
    op.drop_index(op.f('ix_matchmaking_reco_feedback_requester_org_id'), table_name='matchmaking_reco_feedback')
    op.drop_table('matchmaking_reco_feedback')
    op.drop_table('matchmaking_reco_embedding')
