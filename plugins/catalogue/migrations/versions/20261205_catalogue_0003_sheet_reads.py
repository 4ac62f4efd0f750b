"""catalogue: reads of project sheets, counted per sheet and hour

The report's "most read project sheets" (``plugins/catalogue/reads.py``): one row per sheet and
hour (UTC) holding how many times the sheet's page was read. Counts only: nothing about who read
it. Rows go with their sheet and their conference (``ON DELETE CASCADE``). A new table, so no
existing data is touched.

Revision ID: catalogue_0003
Revises: catalogue_0002
Create Date: 2026-12-05 17:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'catalogue_0003'
down_revision = 'catalogue_0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('catalogue_sheet_reads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('hour', sa.DateTime(), nullable=False),
    sa.Column('reads', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_catalogue_sheet_reads_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sheet_id'], ['catalogue_sheets.id'], name=op.f('fk_catalogue_sheet_reads_sheet_id_catalogue_sheets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_sheet_reads')),
    sa.UniqueConstraint('sheet_id', 'hour', name=op.f('uq_catalogue_sheet_reads_sheet_id'))
    )
    with op.batch_alter_table('catalogue_sheet_reads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_catalogue_sheet_reads_event_id'), ['event_id'], unique=False)


def downgrade():
    with op.batch_alter_table('catalogue_sheet_reads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_catalogue_sheet_reads_event_id'))

    op.drop_table('catalogue_sheet_reads')
