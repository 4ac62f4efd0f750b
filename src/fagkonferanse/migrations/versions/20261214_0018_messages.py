"""messages: what organisers wrote to a group, the reminder the day before, and each outbox row's message

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-14 12:00:00.000000

Two new tables (``messages``, ``reminder_settings``) and ``outgoing_mail.message_id`` (empty for
the mail already waiting, which is all of the kinds composed from templates).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('group', sa.String(length=30), nullable=False),
        sa.Column('group_value', sa.String(length=200), nullable=False),
        sa.Column('subject', sa.String(length=200), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('subject_en', sa.String(length=200), nullable=False),
        sa.Column('body_en', sa.Text(), nullable=False),
        sa.Column('sent_by', sa.String(length=254), nullable=False),
        sa.Column('form_key', sa.String(length=32), nullable=True),
        sa.Column('sent_at', sa.DateTime(), nullable=False),
        sa.Column('recipients', sa.Integer(), nullable=False),
        sa.Column('delivered', sa.Integer(), nullable=False),
        sa.Column('failed', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_messages_event_id_events'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_messages')),
        sa.UniqueConstraint('form_key', name=op.f('uq_messages_form_key')),
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_messages_event_id'), ['event_id'], unique=False)
    op.create_table(
        'reminder_settings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('enabled', sa.Boolean(), nullable=False),
        sa.Column('send_time', sa.Time(), nullable=False),
        sa.Column('subject', sa.String(length=200), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('subject_en', sa.String(length=200), nullable=False),
        sa.Column('body_en', sa.Text(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.Column('message_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_reminder_settings_event_id_events'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_reminder_settings_message_id_messages'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_settings')),
        sa.UniqueConstraint('event_id', name=op.f('uq_reminder_settings_event_id')),
    )
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outgoing_mail_message_id'), ['message_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_outgoing_mail_message_id_messages'), 'messages', ['message_id'], ['id'],
                                    ondelete='CASCADE')


def downgrade():
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outgoing_mail_message_id_messages'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outgoing_mail_message_id'))
        batch_op.drop_column('message_id')
    op.drop_table('reminder_settings')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_messages_event_id'))
    op.drop_table('messages')
