"""Tables of the governance context: commitment register, consultations, funding ledger, training.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table('governance_activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commitment_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('title_ja', sa.String(length=200), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('forum', sa.String(length=80), nullable=True),
    sa.Column('start_on', sa.Date(), nullable=True),
    sa.Column('end_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('weight', sa.BigInteger(), nullable=False),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['governance_activity.id'], name=op.f('fk_governance_activity_parent_id_governance_activity'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_governance_activity'))
    )
    op.create_index(op.f('ix_governance_activity_commitment_id'), 'governance_activity', ['commitment_id'], unique=False)
    op.create_index(op.f('ix_governance_activity_parent_id'), 'governance_activity', ['parent_id'], unique=False)
    op.create_table('governance_commitment_weight',
    sa.Column('commitment_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('weight', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('commitment_id', name=op.f('pk_governance_commitment_weight'))
    )
    op.create_table('governance_exchange_rate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('base', sa.String(length=3), nullable=False),
    sa.Column('quote', sa.String(length=3), nullable=False),
    sa.Column('rate', sa.String(length=40), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_governance_exchange_rate')),
    sa.UniqueConstraint('base', 'quote', 'as_of', name=op.f('uq_governance_exchange_rate_base_quote_as_of'))
    )
    op.create_index(op.f('ix_governance_exchange_rate_as_of'), 'governance_exchange_rate', ['as_of'], unique=False)
    op.create_table('governance_meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('title_ja', sa.String(length=200), nullable=True),
    sa.Column('mode', sa.String(length=10), nullable=False),
    sa.Column('venue', sa.String(length=300), nullable=True),
    sa.Column('video_url', sa.String(length=500), nullable=True),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('organiser_id', sa.Integer(), nullable=True),
    sa.Column('organiser_side', sa.String(length=2), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_governance_meeting')),
    sa.UniqueConstraint('uid', name=op.f('uq_governance_meeting_uid'))
    )
    op.create_index(op.f('ix_governance_meeting_starts_at'), 'governance_meeting', ['starts_at'], unique=False)
    op.create_table('governance_progress_snapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=20), nullable=False),
    sa.Column('taken_on', sa.Date(), nullable=False),
    sa.Column('progress', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_governance_progress_snapshot')),
    sa.UniqueConstraint('scope', 'taken_on', name=op.f('uq_governance_progress_snapshot_scope_taken_on'))
    )
    op.create_index(op.f('ix_governance_progress_snapshot_taken_on'), 'governance_progress_snapshot', ['taken_on'], unique=False)
    op.create_table('governance_action_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('commitment_id', sa.Integer(), nullable=True),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('owner_user_id', sa.Integer(), nullable=True),
    sa.Column('owner_org_id', sa.Integer(), nullable=True),
    sa.Column('owner_side', sa.String(length=2), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['activity_id'], ['governance_activity.id'], name=op.f('fk_governance_action_item_activity_id_governance_activity'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['governance_meeting.id'], name=op.f('fk_governance_action_item_meeting_id_governance_meeting'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_governance_action_item'))
    )
    op.create_index(op.f('ix_governance_action_item_activity_id'), 'governance_action_item', ['activity_id'], unique=False)
    op.create_index(op.f('ix_governance_action_item_commitment_id'), 'governance_action_item', ['commitment_id'], unique=False)
    op.create_index(op.f('ix_governance_action_item_due_on'), 'governance_action_item', ['due_on'], unique=False)
    op.create_index(op.f('ix_governance_action_item_meeting_id'), 'governance_action_item', ['meeting_id'], unique=False)
    op.create_index(op.f('ix_governance_action_item_owner_org_id'), 'governance_action_item', ['owner_org_id'], unique=False)
    op.create_index(op.f('ix_governance_action_item_owner_user_id'), 'governance_action_item', ['owner_user_id'], unique=False)
    op.create_table('governance_activity_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('target_kind', sa.String(length=40), nullable=False),
    sa.Column('target_id', sa.String(length=80), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['governance_activity.id'], name=op.f('fk_governance_activity_link_activity_id_governance_activity'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_governance_activity_link')),
    sa.UniqueConstraint('activity_id', 'target_kind', 'target_id', name=op.f('uq_governance_activity_link_activity_id_target_kind_target_id'))
    )
    op.create_index(op.f('ix_governance_activity_link_activity_id'), 'governance_activity_link', ['activity_id'], unique=False)
    op.create_table('governance_activity_owner',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=2), nullable=False),
    sa.Column('ministry', sa.String(length=20), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['activity_id'], ['governance_activity.id'], name=op.f('fk_governance_activity_owner_activity_id_governance_activity'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_governance_activity_owner')),
    sa.UniqueConstraint('activity_id', 'side', 'ministry', 'org_id', name=op.f('uq_governance_activity_owner_activity_id_side_ministry_org_id'))
    )
    op.create_index(op.f('ix_governance_activity_owner_activity_id'), 'governance_activity_owner', ['activity_id'], unique=False)
    op.create_index(op.f('ix_governance_activity_owner_org_id'), 'governance_activity_owner', ['org_id'], unique=False)
    op.create_table('governance_activity_update',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('happened', sa.Text(), nullable=False),
    sa.Column('slipped', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('progress_before', sa.Integer(), nullable=False),
    sa.Column('progress_after', sa.Integer(), nullable=False),
    sa.Column('status_before', sa.String(length=20), nullable=False),
    sa.Column('status_after', sa.String(length=20), nullable=False),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['governance_activity.id'], name=op.f('fk_governance_activity_update_activity_id_governance_activity'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_governance_activity_update'))
    )
    op.create_index(op.f('ix_governance_activity_update_activity_id'), 'governance_activity_update', ['activity_id'], unique=False)
    op.create_index(op.f('ix_governance_activity_update_on'), 'governance_activity_update', ['on'], unique=False)
    op.create_table('governance_agenda_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('commitment_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['governance_meeting.id'], name=op.f('fk_governance_agenda_item_meeting_id_governance_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_governance_agenda_item'))
    )
    op.create_index(op.f('ix_governance_agenda_item_commitment_id'), 'governance_agenda_item', ['commitment_id'], unique=False)
    op.create_index(op.f('ix_governance_agenda_item_meeting_id'), 'governance_agenda_item', ['meeting_id'], unique=False)
    op.create_table('governance_attendee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('side', sa.String(length=2), nullable=True),
    sa.Column('attended', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['governance_meeting.id'], name=op.f('fk_governance_attendee_meeting_id_governance_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_governance_attendee')),
    sa.UniqueConstraint('meeting_id', 'user_id', name=op.f('uq_governance_attendee_meeting_id_user_id'))
    )
    op.create_index(op.f('ix_governance_attendee_meeting_id'), 'governance_attendee', ['meeting_id'], unique=False)
    op.create_index(op.f('ix_governance_attendee_user_id'), 'governance_attendee', ['user_id'], unique=False)
    op.create_table('governance_cost_arrangement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('shares', JSON_TYPE, nullable=False),
    sa.Column('instrument_id', sa.Integer(), nullable=True),
    sa.Column('proposed_by', sa.Integer(), nullable=True),
    sa.Column('proposed_side', sa.String(length=2), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['governance_activity.id'], name=op.f('fk_governance_cost_arrangement_activity_id_governance_activity'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_governance_cost_arrangement'))
    )
    op.create_index(op.f('ix_governance_cost_arrangement_activity_id'), 'governance_cost_arrangement', ['activity_id'], unique=False)
    op.create_index(op.f('ix_governance_cost_arrangement_instrument_id'), 'governance_cost_arrangement', ['instrument_id'], unique=False)
    op.create_table('governance_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('text_ja', sa.Text(), nullable=True),
    sa.Column('commitment_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['governance_meeting.id'], name=op.f('fk_governance_decision_meeting_id_governance_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_governance_decision'))
    )
    op.create_index(op.f('ix_governance_decision_commitment_id'), 'governance_decision', ['commitment_id'], unique=False)
    op.create_index(op.f('ix_governance_decision_meeting_id'), 'governance_decision', ['meeting_id'], unique=False)
    op.create_table('governance_milestone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('title_ja', sa.String(length=200), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['activity_id'], ['governance_activity.id'], name=op.f('fk_governance_milestone_activity_id_governance_activity'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_governance_milestone'))
    )
    op.create_index(op.f('ix_governance_milestone_activity_id'), 'governance_milestone', ['activity_id'], unique=False)
    op.create_table('governance_minutes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('drafted_by', sa.Integer(), nullable=True),
    sa.Column('drafted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('instrument_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['governance_meeting.id'], name=op.f('fk_governance_minutes_meeting_id_governance_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_governance_minutes')),
    sa.UniqueConstraint('meeting_id', name=op.f('uq_governance_minutes_meeting_id'))
    )
    op.create_index(op.f('ix_governance_minutes_instrument_id'), 'governance_minutes', ['instrument_id'], unique=False)
    op.create_table('governance_training_course',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=30), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('title_ja', sa.String(length=200), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('mode', sa.String(length=10), nullable=False),
    sa.Column('venue', sa.String(length=300), nullable=True),
    sa.Column('video_url', sa.String(length=500), nullable=True),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('organiser_side', sa.String(length=2), nullable=True),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['governance_activity.id'], name=op.f('fk_governance_training_course_activity_id_governance_activity'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_governance_training_course'))
    )
    op.create_index(op.f('ix_governance_training_course_activity_id'), 'governance_training_course', ['activity_id'], unique=False)
    op.create_index(op.f('ix_governance_training_course_starts_at'), 'governance_training_course', ['starts_at'], unique=False)
    op.create_index(op.f('ix_governance_training_course_topic'), 'governance_training_course', ['topic'], unique=False)
    op.create_table('governance_cost',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=2), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('incurred_on', sa.Date(), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('arrangement_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['governance_activity.id'], name=op.f('fk_governance_cost_activity_id_governance_activity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['arrangement_id'], ['governance_cost_arrangement.id'], name=op.f('fk_governance_cost_arrangement_id_governance_cost_arrangement'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_governance_cost'))
    )
    op.create_index(op.f('ix_governance_cost_activity_id'), 'governance_cost', ['activity_id'], unique=False)
    op.create_index(op.f('ix_governance_cost_arrangement_id'), 'governance_cost', ['arrangement_id'], unique=False)
    op.create_index(op.f('ix_governance_cost_incurred_on'), 'governance_cost', ['incurred_on'], unique=False)
    op.create_index(op.f('ix_governance_cost_side'), 'governance_cost', ['side'], unique=False)
    op.create_table('governance_training_registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('registered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attended', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['governance_training_course.id'], name=op.f('fk_governance_training_registration_course_id_governance_training_course'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_governance_training_registration')),
    sa.UniqueConstraint('course_id', 'user_id', name=op.f('uq_governance_training_registration_course_id_user_id'))
    )
    op.create_index('ix_governance_training_registration_queue', 'governance_training_registration', ['course_id', 'status', 'registered_at'], unique=False)
    op.create_index(op.f('ix_governance_training_registration_user_id'), 'governance_training_registration', ['user_id'], unique=False)
    op.create_table('governance_training_certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=24), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('holder_name', sa.String(length=200), nullable=False),
    sa.Column('course_title', sa.String(length=200), nullable=False),
    sa.Column('course_title_ja', sa.String(length=200), nullable=True),
    sa.Column('held_on', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_by', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['registration_id'], ['governance_training_registration.id'], name=op.f('fk_governance_training_certificate_registration_id_governance_training_registration'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_governance_training_certificate')),
    sa.UniqueConstraint('code', name=op.f('uq_governance_training_certificate_code')),
    sa.UniqueConstraint('registration_id', name=op.f('uq_governance_training_certificate_registration_id'))
    )


def downgrade() -> None:
    op.drop_table('governance_training_certificate')
    op.drop_index(op.f('ix_governance_training_registration_user_id'), table_name='governance_training_registration')
    op.drop_index('ix_governance_training_registration_queue', table_name='governance_training_registration')
    op.drop_table('governance_training_registration')
    op.drop_index(op.f('ix_governance_cost_side'), table_name='governance_cost')
    op.drop_index(op.f('ix_governance_cost_incurred_on'), table_name='governance_cost')
    op.drop_index(op.f('ix_governance_cost_arrangement_id'), table_name='governance_cost')
    op.drop_index(op.f('ix_governance_cost_activity_id'), table_name='governance_cost')
    op.drop_table('governance_cost')
    op.drop_index(op.f('ix_governance_training_course_topic'), table_name='governance_training_course')
    op.drop_index(op.f('ix_governance_training_course_starts_at'), table_name='governance_training_course')
    op.drop_index(op.f('ix_governance_training_course_activity_id'), table_name='governance_training_course')
    op.drop_table('governance_training_course')
    op.drop_index(op.f('ix_governance_minutes_instrument_id'), table_name='governance_minutes')
    op.drop_table('governance_minutes')
    op.drop_index(op.f('ix_governance_milestone_activity_id'), table_name='governance_milestone')
    op.drop_table('governance_milestone')
    op.drop_index(op.f('ix_governance_decision_meeting_id'), table_name='governance_decision')
    op.drop_index(op.f('ix_governance_decision_commitment_id'), table_name='governance_decision')
    op.drop_table('governance_decision')
    op.drop_index(op.f('ix_governance_cost_arrangement_instrument_id'), table_name='governance_cost_arrangement')
    op.drop_index(op.f('ix_governance_cost_arrangement_activity_id'), table_name='governance_cost_arrangement')
    op.drop_table('governance_cost_arrangement')
    op.drop_index(op.f('ix_governance_attendee_user_id'), table_name='governance_attendee')
    op.drop_index(op.f('ix_governance_attendee_meeting_id'), table_name='governance_attendee')
    op.drop_table('governance_attendee')
    op.drop_index(op.f('ix_governance_agenda_item_meeting_id'), table_name='governance_agenda_item')
    op.drop_index(op.f('ix_governance_agenda_item_commitment_id'), table_name='governance_agenda_item')
    op.drop_table('governance_agenda_item')
    op.drop_index(op.f('ix_governance_activity_update_on'), table_name='governance_activity_update')
    op.drop_index(op.f('ix_governance_activity_update_activity_id'), table_name='governance_activity_update')
    op.drop_table('governance_activity_update')
    op.drop_index(op.f('ix_governance_activity_owner_org_id'), table_name='governance_activity_owner')
    op.drop_index(op.f('ix_governance_activity_owner_activity_id'), table_name='governance_activity_owner')
    op.drop_table('governance_activity_owner')
    op.drop_index(op.f('ix_governance_activity_link_activity_id'), table_name='governance_activity_link')
    op.drop_table('governance_activity_link')
    op.drop_index(op.f('ix_governance_action_item_owner_user_id'), table_name='governance_action_item')
    op.drop_index(op.f('ix_governance_action_item_owner_org_id'), table_name='governance_action_item')
    op.drop_index(op.f('ix_governance_action_item_meeting_id'), table_name='governance_action_item')
    op.drop_index(op.f('ix_governance_action_item_due_on'), table_name='governance_action_item')
    op.drop_index(op.f('ix_governance_action_item_commitment_id'), table_name='governance_action_item')
    op.drop_index(op.f('ix_governance_action_item_activity_id'), table_name='governance_action_item')
    op.drop_table('governance_action_item')
    op.drop_index(op.f('ix_governance_progress_snapshot_taken_on'), table_name='governance_progress_snapshot')
    op.drop_table('governance_progress_snapshot')
    op.drop_index(op.f('ix_governance_meeting_starts_at'), table_name='governance_meeting')
    op.drop_table('governance_meeting')
    op.drop_index(op.f('ix_governance_exchange_rate_as_of'), table_name='governance_exchange_rate')
    op.drop_table('governance_exchange_rate')
    op.drop_table('governance_commitment_weight')
    op.drop_index(op.f('ix_governance_activity_parent_id'), table_name='governance_activity')
    op.drop_index(op.f('ix_governance_activity_commitment_id'), table_name='governance_activity')
    op.drop_table('governance_activity')
