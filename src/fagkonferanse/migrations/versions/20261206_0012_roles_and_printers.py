"""roles and printers: the badge role and an exhibitor's stand on the registration; print jobs
that go straight to a CUPS printer

The role an organiser chose is one field of the registration ("" = automatic: the programme's
speakers, the stand's staff, everyone else a participant). The badges plugin kept these choices
in its own table until now; its revision badges_0002 (which depends on this one) moves them here
and drops that table, so no choice is lost.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

# SQLite rebuilds "registrations" to add the foreign key, from what it reflects, and reflection
# does not see AUTOINCREMENT: kept explicitly, so a deleted person's id is never given again (0011).
NEVER_REUSE_IDS = {'sqlite_autoincrement': True}


def upgrade():
    with op.batch_alter_table('registrations', schema=None, table_kwargs=NEVER_REUSE_IDS) as batch_op:
        batch_op.add_column(sa.Column('role', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('stand_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_registrations_stand_id'), ['stand_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_registrations_stand_id_stands'), 'stands', ['stand_id'], ['id'],
                                    ondelete='SET NULL')
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('printer', sa.String(length=127), nullable=True))
        batch_op.add_column(sa.Column('printer_request', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.drop_column('printer_request')
        batch_op.drop_column('printer')
    with op.batch_alter_table('registrations', schema=None, table_kwargs=NEVER_REUSE_IDS) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_registrations_stand_id_stands'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_registrations_stand_id'))
        batch_op.drop_column('stand_id')
        batch_op.drop_column('role')
