"""seat pool: one row per seat instead of one counter row per event

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-12 09:00:00.000000

Newcomers take a free seat row each (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL) instead
of queueing on the settings row's ``confirmed_count`` (registration/capacity.py). Every confirmed
registration gets its held seat, every event ``max(0, capacity − confirmed)`` free ones, and the
counter column goes: ``RegistrationSettings.confirmed_count`` now counts held seats. Downgrading
puts the counter back, filled from the seats.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'seats',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('registration_id'),
    )
    op.create_index('ix_seats_event_holder', 'seats', ['event_id', 'registration_id'], unique=False)
    connection = op.get_bind()
    connection.execute(sa.text(
        "INSERT INTO seats (event_id, registration_id) SELECT event_id, id FROM registrations"
        " WHERE status = 'confirmed' ORDER BY id"))
    settings = connection.execute(sa.text(
        "SELECT s.event_id, s.capacity, (SELECT count(*) FROM registrations r"
        " WHERE r.event_id = s.event_id AND r.status = 'confirmed') FROM registration_settings s")).all()
    for event_id, capacity, confirmed in settings:
        free = max(0, (capacity or 0) - confirmed)
        if free:
            connection.execute(sa.text("INSERT INTO seats (event_id) VALUES (:event)"), [{"event": event_id}] * free)
    with op.batch_alter_table('registration_settings', schema=None) as batch_op:
        batch_op.drop_column('confirmed_count')


def downgrade():
    with op.batch_alter_table('registration_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirmed_count', sa.Integer(), nullable=False, server_default='0'))
    op.execute("UPDATE registration_settings SET confirmed_count = (SELECT count(*) FROM seats"
               " WHERE seats.event_id = registration_settings.event_id AND seats.registration_id IS NOT NULL)")
    op.drop_index('ix_seats_event_holder', table_name='seats')
    op.drop_table('seats')
