"""Matchmaking recommender: people's expertise vectors and their feedback.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table('matchmaking_reco_person',
    sa.Column('user_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('source_digest', sa.String(length=64), nullable=False),
    sa.Column('model', sa.String(length=60), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_matchmaking_reco_person'))
    )
    op.create_index(op.f('ix_matchmaking_reco_person_org_id'), 'matchmaking_reco_person', ['org_id'], unique=False)
    op.create_table('matchmaking_reco_person_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('partner_org_id', sa.Integer(), nullable=False),
    sa.Column('verdict', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_reco_person_feedback')),
    sa.UniqueConstraint('user_id', 'partner_org_id', name=op.f('uq_matchmaking_reco_person_feedback_user_id_partner_org_id'))
    )
    op.create_index(op.f('ix_matchmaking_reco_person_feedback_user_id'), 'matchmaking_reco_person_feedback', ['user_id'], unique=False)
    op.create_table('matchmaking_reco_person_text',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('text_key', sa.String(length=64), nullable=False),
    sa.Column('vector', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['matchmaking_reco_person.user_id'], name=op.f('fk_matchmaking_reco_person_text_user_id_matchmaking_reco_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_reco_person_text')),
    sa.UniqueConstraint('user_id', 'position', name=op.f('uq_matchmaking_reco_person_text_user_id_position'))
    )
    op.create_index(op.f('ix_matchmaking_reco_person_text_user_id'), 'matchmaking_reco_person_text', ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_matchmaking_reco_person_text_user_id'), table_name='matchmaking_reco_person_text')
    op.drop_table('matchmaking_reco_person_text')
    op.drop_index(op.f('ix_matchmaking_reco_person_feedback_user_id'), table_name='matchmaking_reco_person_feedback')
    op.drop_table('matchmaking_reco_person_feedback')
    op.drop_index(op.f('ix_matchmaking_reco_person_org_id'), table_name='matchmaking_reco_person')
    op.drop_table('matchmaking_reco_person')
