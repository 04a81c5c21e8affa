"""Foundation: accounts, sessions, tokens, sign-in attempts, audit trail, notifications.

Revision ID: 0001
Revises: None
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table('identity_login_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('client', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('succeeded', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_login_attempt'))
    )
    op.create_index('ix_identity_login_attempt_email_at', 'identity_login_attempt', ['email', 'at'], unique=False)
    op.create_table('identity_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_ja', sa.String(length=200), nullable=True),
    sa.Column('password_hash', sa.String(length=200), nullable=True),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.Column('side', sa.String(length=2), nullable=True),
    sa.Column('ministry', sa.String(length=20), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('languages', JSON_TYPE, nullable=False),
    sa.Column('jlpt_level', sa.String(length=2), nullable=True),
    sa.Column('expertise', sa.Text(), nullable=True),
    sa.Column('preferred_locale', sa.String(length=5), nullable=True),
    sa.Column('preferred_timezone', sa.String(length=40), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_user')),
    sa.UniqueConstraint('email', name=op.f('uq_identity_user_email'))
    )
    op.create_index(op.f('ix_identity_user_org_id'), 'identity_user', ['org_id'], unique=False)
    op.create_table('identity_api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['identity_user.id'], name=op.f('fk_identity_api_token_user_id_identity_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_identity_api_token_token_hash'))
    )
    op.create_index(op.f('ix_identity_api_token_user_id'), 'identity_api_token', ['user_id'], unique=False)
    op.create_table('identity_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.Column('side', sa.String(length=2), nullable=True),
    sa.Column('ministry', sa.String(length=20), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=True),
    sa.Column('invited_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['invited_by'], ['identity_user.id'], name=op.f('fk_identity_invitation_invited_by_identity_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_invitation')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_identity_invitation_token_hash'))
    )
    op.create_index(op.f('ix_identity_invitation_email'), 'identity_invitation', ['email'], unique=False)
    op.create_table('identity_web_session',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_agent', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['identity_user.id'], name=op.f('fk_identity_web_session_user_id_identity_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_web_session'))
    )
    op.create_index(op.f('ix_identity_web_session_user_id'), 'identity_web_session', ['user_id'], unique=False)
    op.create_table('kernel_audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_user_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=80), nullable=False),
    sa.Column('target_type', sa.String(length=60), nullable=False),
    sa.Column('target_id', sa.String(length=80), nullable=False),
    sa.Column('details', JSON_TYPE, nullable=False),
    sa.Column('side', sa.String(length=2), nullable=True),
    sa.ForeignKeyConstraint(['actor_user_id'], ['identity_user.id'], name=op.f('fk_kernel_audit_event_actor_user_id_identity_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kernel_audit_event'))
    )
    op.create_index(op.f('ix_kernel_audit_event_action'), 'kernel_audit_event', ['action'], unique=False)
    op.create_index(op.f('ix_kernel_audit_event_at'), 'kernel_audit_event', ['at'], unique=False)
    op.create_index('ix_kernel_audit_event_target', 'kernel_audit_event', ['target_type', 'target_id'], unique=False)
    op.create_table('kernel_notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('params', JSON_TYPE, nullable=False),
    sa.Column('link', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('emailed', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['identity_user.id'], name=op.f('fk_kernel_notification_user_id_identity_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kernel_notification'))
    )
    op.create_index('ix_kernel_notification_user_unread', 'kernel_notification', ['user_id', 'read_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_kernel_notification_user_unread', table_name='kernel_notification')
    op.drop_table('kernel_notification')
    op.drop_index('ix_kernel_audit_event_target', table_name='kernel_audit_event')
    op.drop_index(op.f('ix_kernel_audit_event_at'), table_name='kernel_audit_event')
    op.drop_index(op.f('ix_kernel_audit_event_action'), table_name='kernel_audit_event')
    op.drop_table('kernel_audit_event')
    op.drop_index(op.f('ix_identity_web_session_user_id'), table_name='identity_web_session')
    op.drop_table('identity_web_session')
    op.drop_index(op.f('ix_identity_invitation_email'), table_name='identity_invitation')
    op.drop_table('identity_invitation')
    op.drop_index(op.f('ix_identity_api_token_user_id'), table_name='identity_api_token')
    op.drop_table('identity_api_token')
    op.drop_index(op.f('ix_identity_user_org_id'), table_name='identity_user')
    op.drop_table('identity_user')
    op.drop_index('ix_identity_login_attempt_email_at', table_name='identity_login_attempt')
    op.drop_table('identity_login_attempt')
