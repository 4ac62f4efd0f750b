"""feedback: questions, tickets and anonymous responses

The feedback plugin's own branch (label "feedback"). It depends on the core revision 0003, whose
events and registrations tables these tables point to (rows go with them). The responses table
has a random text key and, on SQLite, no rowid: nothing in it records the order answers came in.

Revision ID: feedback_0001
Revises:
Depends on: 0003
Create Date: 2026-12-14 18:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = 'feedback_0001'
down_revision = None
branch_labels = ('feedback',)
depends_on = '0003'


def upgrade():
    op.create_table('feedback_settings',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('rate_items', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_feedback_settings_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_feedback_settings'))
    )
    op.create_table('feedback_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('text_en', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_feedback_questions_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_questions'))
    )
    with op.batch_alter_table('feedback_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_questions_event_id'), ['event_id'], unique=False)
    op.create_table('feedback_tickets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('answered', sa.Boolean(), nullable=False),
    sa.Column('invited_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_feedback_tickets_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_feedback_tickets_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_tickets')),
    sa.UniqueConstraint('registration_id', name=op.f('uq_feedback_tickets_registration_id')),
    sa.UniqueConstraint('token', name=op.f('uq_feedback_tickets_token'))
    )
    with op.batch_alter_table('feedback_tickets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_tickets_event_id'), ['event_id'], unique=False)
    op.create_table('feedback_responses',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_feedback_responses_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_responses')),
    sqlite_with_rowid=False,
    )
    with op.batch_alter_table('feedback_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_responses_event_id'), ['event_id'], unique=False)


def downgrade():
    with op.batch_alter_table('feedback_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_responses_event_id'))
    op.drop_table('feedback_responses')
    with op.batch_alter_table('feedback_tickets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_tickets_event_id'))
    op.drop_table('feedback_tickets')
    with op.batch_alter_table('feedback_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_questions_event_id'))
    op.drop_table('feedback_questions')
    op.drop_table('feedback_settings')
