"""Tables of the matchmaking context: opportunities, startups/investors/funds/missions, events, meetings.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table('matchmaking_calendar_feed',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_matchmaking_calendar_feed'))
    )
    op.create_table('matchmaking_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('format', sa.String(length=10), nullable=False),
    sa.Column('venue', sa.String(length=300), nullable=False),
    sa.Column('timezone', sa.String(length=40), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('slot_minutes', sa.Integer(), nullable=False),
    sa.Column('max_meetings', sa.Integer(), nullable=False),
    sa.Column('request_hours', sa.Integer(), nullable=False),
    sa.Column('video_base_url', sa.String(length=300), nullable=False),
    sa.Column('phase', sa.String(length=20), nullable=False),
    sa.Column('organiser_org_id', sa.Integer(), nullable=True),
    sa.Column('schedule_version', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_event'))
    )
    op.create_index(op.f('ix_matchmaking_event_organiser_org_id'), 'matchmaking_event', ['organiser_org_id'], unique=False)
    op.create_table('matchmaking_fund',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('manager_name', sa.String(length=200), nullable=False),
    sa.Column('manager_org_id', sa.Integer(), nullable=True),
    sa.Column('domicile', sa.String(length=2), nullable=False),
    sa.Column('size', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('vintage', sa.Integer(), nullable=True),
    sa.Column('invests_in', JSON_TYPE, nullable=False),
    sa.Column('stages', JSON_TYPE, nullable=False),
    sa.Column('sectors', JSON_TYPE, nullable=False),
    sa.Column('japanese_backers', JSON_TYPE, nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_fund')),
    sa.UniqueConstraint('name', name=op.f('uq_matchmaking_fund_name'))
    )
    op.create_index(op.f('ix_matchmaking_fund_manager_org_id'), 'matchmaking_fund', ['manager_org_id'], unique=False)
    op.create_table('matchmaking_investor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('ticket_min', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('ticket_max', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('stages', JSON_TYPE, nullable=False),
    sa.Column('sectors', JSON_TYPE, nullable=False),
    sa.Column('countries', JSON_TYPE, nullable=False),
    sa.Column('thesis', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_investor')),
    sa.UniqueConstraint('org_id', name=op.f('uq_matchmaking_investor_org_id'))
    )
    op.create_table('matchmaking_opportunity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=30), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=2), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('sectors', JSON_TYPE, nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('contact_user_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('review_note', sa.Text(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('renewals', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_opportunity')),
    sa.UniqueConstraint('reference', name=op.f('uq_matchmaking_opportunity_reference'))
    )
    op.create_index(op.f('ix_matchmaking_opportunity_org_id'), 'matchmaking_opportunity', ['org_id'], unique=False)
    op.create_index('ix_matchmaking_opportunity_status_expires', 'matchmaking_opportunity', ['status', 'expires_at'], unique=False)
    op.create_table('matchmaking_pitch_deck',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('uploaded_by', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_pitch_deck'))
    )
    op.create_index(op.f('ix_matchmaking_pitch_deck_org_id'), 'matchmaking_pitch_deck', ['org_id'], unique=False)
    op.create_table('matchmaking_break',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['matchmaking_event.id'], name=op.f('fk_matchmaking_break_event_id_matchmaking_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_break'))
    )
    op.create_index(op.f('ix_matchmaking_break_event_id'), 'matchmaking_break', ['event_id'], unique=False)
    op.create_table('matchmaking_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('may_meet', JSON_TYPE, nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['matchmaking_event.id'], name=op.f('fk_matchmaking_group_event_id_matchmaking_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_group')),
    sa.UniqueConstraint('event_id', 'code', name=op.f('uq_matchmaking_group_event_id_code'))
    )
    op.create_index(op.f('ix_matchmaking_group_event_id'), 'matchmaking_group', ['event_id'], unique=False)
    op.create_table('matchmaking_interest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['opportunity_id'], ['matchmaking_opportunity.id'], name=op.f('fk_matchmaking_interest_opportunity_id_matchmaking_opportunity'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_interest')),
    sa.UniqueConstraint('opportunity_id', 'org_id', name=op.f('uq_matchmaking_interest_opportunity_id_org_id'))
    )
    op.create_index(op.f('ix_matchmaking_interest_opportunity_id'), 'matchmaking_interest', ['opportunity_id'], unique=False)
    op.create_index(op.f('ix_matchmaking_interest_org_id'), 'matchmaking_interest', ['org_id'], unique=False)
    op.create_table('matchmaking_mission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('origin', sa.String(length=2), nullable=False),
    sa.Column('destination', sa.String(length=2), nullable=False),
    sa.Column('cities', sa.String(length=200), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['matchmaking_event.id'], name=op.f('fk_matchmaking_mission_event_id_matchmaking_event'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_mission'))
    )
    op.create_table('matchmaking_schedule_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('objective', sa.Float(), nullable=False),
    sa.Column('upper_bound', sa.Float(), nullable=True),
    sa.Column('bound_kind', sa.String(length=60), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('seconds', sa.Float(), nullable=False),
    sa.Column('meetings', sa.Integer(), nullable=False),
    sa.Column('moved', sa.Integer(), nullable=False),
    sa.Column('dropped', sa.Integer(), nullable=False),
    sa.Column('unscheduled', JSON_TYPE, nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['matchmaking_event.id'], name=op.f('fk_matchmaking_schedule_run_event_id_matchmaking_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_schedule_run'))
    )
    op.create_index(op.f('ix_matchmaking_schedule_run_event_id'), 'matchmaking_schedule_run', ['event_id'], unique=False)
    op.create_table('matchmaking_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tables', sa.Integer(), nullable=True),
    sa.Column('room', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['matchmaking_event.id'], name=op.f('fk_matchmaking_session_event_id_matchmaking_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_session'))
    )
    op.create_index(op.f('ix_matchmaking_session_event_id'), 'matchmaking_session', ['event_id'], unique=False)
    op.create_table('matchmaking_startup',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('funding_to_date', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('raising', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('traction', sa.Text(), nullable=False),
    sa.Column('team_size', sa.Integer(), nullable=True),
    sa.Column('pitch_deck_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['pitch_deck_id'], ['matchmaking_pitch_deck.id'], name=op.f('fk_matchmaking_startup_pitch_deck_id_matchmaking_pitch_deck'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_startup')),
    sa.UniqueConstraint('org_id', name=op.f('uq_matchmaking_startup_org_id'))
    )
    op.create_table('matchmaking_mission_member',
    sa.Column('mission_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['mission_id'], ['matchmaking_mission.id'], name=op.f('fk_matchmaking_mission_member_mission_id_matchmaking_mission'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('mission_id', 'org_id', name=op.f('pk_matchmaking_mission_member'))
    )
    op.create_table('matchmaking_pitch_slot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['matchmaking_session.id'], name=op.f('fk_matchmaking_pitch_slot_session_id_matchmaking_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_pitch_slot')),
    sa.UniqueConstraint('session_id', 'org_id', name=op.f('uq_matchmaking_pitch_slot_session_id_org_id'))
    )
    op.create_index(op.f('ix_matchmaking_pitch_slot_session_id'), 'matchmaking_pitch_slot', ['session_id'], unique=False)
    op.create_table('matchmaking_registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=True),
    sa.Column('side', sa.String(length=2), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('attendance', sa.String(length=10), nullable=False),
    sa.Column('max_meetings', sa.Integer(), nullable=True),
    sa.Column('unavailable', JSON_TYPE, nullable=False),
    sa.Column('pitch', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('registered_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['matchmaking_event.id'], name=op.f('fk_matchmaking_registration_event_id_matchmaking_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['matchmaking_group.id'], name=op.f('fk_matchmaking_registration_group_id_matchmaking_group'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_registration')),
    sa.UniqueConstraint('event_id', 'user_id', name=op.f('uq_matchmaking_registration_event_id_user_id'))
    )
    op.create_index(op.f('ix_matchmaking_registration_event_id'), 'matchmaking_registration', ['event_id'], unique=False)
    op.create_index(op.f('ix_matchmaking_registration_org_id'), 'matchmaking_registration', ['org_id'], unique=False)
    op.create_index(op.f('ix_matchmaking_registration_user_id'), 'matchmaking_registration', ['user_id'], unique=False)
    op.create_table('matchmaking_slot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('tables', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['matchmaking_event.id'], name=op.f('fk_matchmaking_slot_event_id_matchmaking_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['matchmaking_session.id'], name=op.f('fk_matchmaking_slot_session_id_matchmaking_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_slot')),
    sa.UniqueConstraint('event_id', 'starts_at', name=op.f('uq_matchmaking_slot_event_id_starts_at'))
    )
    op.create_index(op.f('ix_matchmaking_slot_event_id'), 'matchmaking_slot', ['event_id'], unique=False)
    op.create_table('matchmaking_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['matchmaking_event.id'], name=op.f('fk_matchmaking_request_event_id_matchmaking_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['opportunity_id'], ['matchmaking_opportunity.id'], name=op.f('fk_matchmaking_request_opportunity_id_matchmaking_opportunity'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recipient_id'], ['matchmaking_registration.id'], name=op.f('fk_matchmaking_request_recipient_id_matchmaking_registration'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requester_id'], ['matchmaking_registration.id'], name=op.f('fk_matchmaking_request_requester_id_matchmaking_registration'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_request'))
    )
    op.create_index(op.f('ix_matchmaking_request_event_id'), 'matchmaking_request', ['event_id'], unique=False)
    op.create_index(op.f('ix_matchmaking_request_recipient_id'), 'matchmaking_request', ['recipient_id'], unique=False)
    op.create_index(op.f('ix_matchmaking_request_requester_id'), 'matchmaking_request', ['requester_id'], unique=False)
    op.create_index('ix_matchmaking_request_status_expires', 'matchmaking_request', ['status', 'expires_at'], unique=False)
    op.create_table('matchmaking_meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('a_id', sa.Integer(), nullable=False),
    sa.Column('b_id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('table_no', sa.Integer(), nullable=False),
    sa.Column('video_url', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('a_checked_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('b_checked_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['a_id'], ['matchmaking_registration.id'], name=op.f('fk_matchmaking_meeting_a_id_matchmaking_registration'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['b_id'], ['matchmaking_registration.id'], name=op.f('fk_matchmaking_meeting_b_id_matchmaking_registration'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['matchmaking_event.id'], name=op.f('fk_matchmaking_meeting_event_id_matchmaking_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['request_id'], ['matchmaking_request.id'], name=op.f('fk_matchmaking_meeting_request_id_matchmaking_request'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['matchmaking_slot.id'], name=op.f('fk_matchmaking_meeting_slot_id_matchmaking_slot'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_meeting')),
    sa.UniqueConstraint('request_id', name=op.f('uq_matchmaking_meeting_request_id'))
    )
    op.create_index(op.f('ix_matchmaking_meeting_a_id'), 'matchmaking_meeting', ['a_id'], unique=False)
    op.create_index(op.f('ix_matchmaking_meeting_b_id'), 'matchmaking_meeting', ['b_id'], unique=False)
    op.create_index(op.f('ix_matchmaking_meeting_event_id'), 'matchmaking_meeting', ['event_id'], unique=False)
    op.create_index(op.f('ix_matchmaking_meeting_slot_id'), 'matchmaking_meeting', ['slot_id'], unique=False)
    op.create_table('matchmaking_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('took_place', sa.Boolean(), nullable=False),
    sa.Column('cooperation', sa.String(length=10), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['matchmaking_meeting.id'], name=op.f('fk_matchmaking_feedback_meeting_id_matchmaking_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['matchmaking_registration.id'], name=op.f('fk_matchmaking_feedback_registration_id_matchmaking_registration'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_feedback')),
    sa.UniqueConstraint('meeting_id', 'registration_id', name=op.f('uq_matchmaking_feedback_meeting_id_registration_id'))
    )
    op.create_index(op.f('ix_matchmaking_feedback_meeting_id'), 'matchmaking_feedback', ['meeting_id'], unique=False)
    op.create_table('matchmaking_reminder',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('slot_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['matchmaking_meeting.id'], name=op.f('fk_matchmaking_reminder_meeting_id_matchmaking_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['matchmaking_registration.id'], name=op.f('fk_matchmaking_reminder_registration_id_matchmaking_registration'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'registration_id', 'slot_start', name=op.f('pk_matchmaking_reminder'))
    )


def downgrade() -> None:
    op.drop_table('matchmaking_reminder')
    op.drop_index(op.f('ix_matchmaking_feedback_meeting_id'), table_name='matchmaking_feedback')
    op.drop_table('matchmaking_feedback')
    op.drop_index(op.f('ix_matchmaking_meeting_slot_id'), table_name='matchmaking_meeting')
    op.drop_index(op.f('ix_matchmaking_meeting_event_id'), table_name='matchmaking_meeting')
    op.drop_index(op.f('ix_matchmaking_meeting_b_id'), table_name='matchmaking_meeting')
    op.drop_index(op.f('ix_matchmaking_meeting_a_id'), table_name='matchmaking_meeting')
    op.drop_table('matchmaking_meeting')
    op.drop_index('ix_matchmaking_request_status_expires', table_name='matchmaking_request')
    op.drop_index(op.f('ix_matchmaking_request_requester_id'), table_name='matchmaking_request')
    op.drop_index(op.f('ix_matchmaking_request_recipient_id'), table_name='matchmaking_request')
    op.drop_index(op.f('ix_matchmaking_request_event_id'), table_name='matchmaking_request')
    op.drop_table('matchmaking_request')
    op.drop_index(op.f('ix_matchmaking_slot_event_id'), table_name='matchmaking_slot')
    op.drop_table('matchmaking_slot')
    op.drop_index(op.f('ix_matchmaking_registration_user_id'), table_name='matchmaking_registration')
    op.drop_index(op.f('ix_matchmaking_registration_org_id'), table_name='matchmaking_registration')
    op.drop_index(op.f('ix_matchmaking_registration_event_id'), table_name='matchmaking_registration')
    op.drop_table('matchmaking_registration')
    op.drop_index(op.f('ix_matchmaking_pitch_slot_session_id'), table_name='matchmaking_pitch_slot')
    op.drop_table('matchmaking_pitch_slot')
    op.drop_table('matchmaking_mission_member')
    op.drop_table('matchmaking_startup')
    op.drop_index(op.f('ix_matchmaking_session_event_id'), table_name='matchmaking_session')
    op.drop_table('matchmaking_session')
    op.drop_index(op.f('ix_matchmaking_schedule_run_event_id'), table_name='matchmaking_schedule_run')
    op.drop_table('matchmaking_schedule_run')
    op.drop_table('matchmaking_mission')
    op.drop_index(op.f('ix_matchmaking_interest_org_id'), table_name='matchmaking_interest')
    op.drop_index(op.f('ix_matchmaking_interest_opportunity_id'), table_name='matchmaking_interest')
    op.drop_table('matchmaking_interest')
    op.drop_index(op.f('ix_matchmaking_group_event_id'), table_name='matchmaking_group')
    op.drop_table('matchmaking_group')
    op.drop_index(op.f('ix_matchmaking_break_event_id'), table_name='matchmaking_break')
    op.drop_table('matchmaking_break')
    op.drop_index(op.f('ix_matchmaking_pitch_deck_org_id'), table_name='matchmaking_pitch_deck')
    op.drop_table('matchmaking_pitch_deck')
    op.drop_index('ix_matchmaking_opportunity_status_expires', table_name='matchmaking_opportunity')
    op.drop_index(op.f('ix_matchmaking_opportunity_org_id'), table_name='matchmaking_opportunity')
    op.drop_table('matchmaking_opportunity')
    op.drop_table('matchmaking_investor')
    op.drop_index(op.f('ix_matchmaking_fund_manager_org_id'), table_name='matchmaking_fund')
    op.drop_table('matchmaking_fund')
    op.drop_index(op.f('ix_matchmaking_event_organiser_org_id'), table_name='matchmaking_event')
    op.drop_table('matchmaking_event')
    op.drop_table('matchmaking_calendar_feed')
