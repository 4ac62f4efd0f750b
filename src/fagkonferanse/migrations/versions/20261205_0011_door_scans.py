"""door scans: what door devices sent (offline check-in), and when the server recorded each check-in

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 03:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


# On SQLite a batch operation that rebuilds a table makes it anew from what it reflects, and
# reflection does not see AUTOINCREMENT: rebuilt without it, a deleted row's id could be given
# again. Revision 0010 rebuilt "registrations" that way; this one rebuilds it once more with
# AUTOINCREMENT, and keeps it on "checkins", whose ids the door's "Angre" buttons name.
NEVER_REUSE_IDS = {'sqlite_autoincrement': True}


def upgrade():
    sqlite = op.get_bind().dialect.name == 'sqlite'
    if sqlite:
        with op.batch_alter_table('registrations', recreate='always', table_kwargs=NEVER_REUSE_IDS):
            pass
    # Check-ins made before this revision were recorded when they happened.
    with op.batch_alter_table('checkins', schema=None, table_kwargs=NEVER_REUSE_IDS) as batch_op:
        batch_op.add_column(sa.Column('recorded_at', sa.DateTime(), nullable=True))
    op.execute(sa.text("UPDATE checkins SET recorded_at = at"))
    with op.batch_alter_table('checkins', schema=None, table_kwargs=NEVER_REUSE_IDS) as batch_op:
        batch_op.alter_column('recorded_at', existing_type=sa.DateTime(), nullable=False)
        batch_op.create_index(batch_op.f('ix_checkins_recorded_at'), ['recorded_at'], unique=False)

    op.create_table('door_scans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('scan_id', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=64), nullable=False),
    sa.Column('device_name', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('shown', sa.String(length=20), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.Column('undoes', sa.String(length=64), nullable=True),
    sa.Column('scanned_at', sa.DateTime(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('organiser_id', sa.Integer(), nullable=True),
    sa.Column('organiser_name', sa.String(length=254), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('checkin_id', sa.Integer(), nullable=True),
    sa.Column('undone_at', sa.DateTime(), nullable=True),
    sa.Column('flag', sa.String(length=10), nullable=False),
    sa.Column('seen_at', sa.DateTime(), nullable=True),
    sa.Column('seen_by', sa.String(length=254), nullable=False),
    sa.ForeignKeyConstraint(['checkin_id'], ['checkins.id'], name=op.f('fk_door_scans_checkin_id_checkins'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_door_scans_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organiser_id'], ['organisers.id'], name=op.f('fk_door_scans_organiser_id_organisers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_door_scans_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_door_scans')),
    sa.UniqueConstraint('scan_id', name=op.f('uq_door_scans_scan_id'))
    )
    with op.batch_alter_table('door_scans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_door_scans_checkin_id'), ['checkin_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_door_scans_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_door_scans_registration_id'), ['registration_id'], unique=False)


def downgrade():
    with op.batch_alter_table('door_scans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_door_scans_registration_id'))
        batch_op.drop_index(batch_op.f('ix_door_scans_event_id'))
        batch_op.drop_index(batch_op.f('ix_door_scans_checkin_id'))
    op.drop_table('door_scans')
    with op.batch_alter_table('checkins', schema=None, table_kwargs=NEVER_REUSE_IDS) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkins_recorded_at'))
        batch_op.drop_column('recorded_at')
