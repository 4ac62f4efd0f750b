"""badges: roles move into the registration; settings for printing on arrival

The roles organisers chose on /admin/badges were kept in ``badge_roles``; the role is now one
field of the registration (core revision 0012, which this one depends on). Every chosen role is
copied into ``registrations.role`` before the table goes, so no choice is lost; the downgrade
copies them back. ``badge_settings`` holds each event's "print on arrival" choice, and
``badge_prints.scan_id`` the door's id of the check-in that printed a badge.

Revision ID: badges_0002
Revises: badges_0001
Depends on: 0012
Create Date: 2026-12-06 10:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'badges_0002'
down_revision = 'badges_0001'
branch_labels = None
depends_on = '0012'

ROLES = ('deltaker', 'foredragsholder', 'utstiller', 'arrangor')  # the roles of badges_0001's time


def upgrade():
    op.execute(sa.text(
        "UPDATE registrations SET role = (SELECT badge_roles.role FROM badge_roles"
        " WHERE badge_roles.registration_id = registrations.id)"
        " WHERE id IN (SELECT registration_id FROM badge_roles WHERE role IN :roles)"
    ).bindparams(sa.bindparam('roles', ROLES, expanding=True)))
    op.drop_table('badge_roles')
    op.create_table('badge_settings',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('on_arrival', sa.String(length=10), nullable=False),
    sa.Column('size', sa.String(length=20), nullable=False),
    sa.Column('printer', sa.String(length=127), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=254), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_badge_settings_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_badge_settings'))
    )
    with op.batch_alter_table('badge_prints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scan_id', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('badge_prints', schema=None) as batch_op:
        batch_op.drop_column('scan_id')
    op.drop_table('badge_settings')
    op.create_table('badge_roles',
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=254), nullable=False),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_badge_roles_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('registration_id', name=op.f('pk_badge_roles'))
    )
    op.execute(sa.text(
        "INSERT INTO badge_roles (registration_id, role, updated_at, updated_by)"
        " SELECT id, role, updated_at, '' FROM registrations WHERE role IN :roles"
    ).bindparams(sa.bindparam('roles', ROLES, expanding=True)))
    op.execute(sa.text("UPDATE registrations SET role = '' WHERE role <> ''"))
