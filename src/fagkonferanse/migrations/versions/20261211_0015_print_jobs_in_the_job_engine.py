"""print jobs in the job engine: the PDF kept in the row, attempts instead of the process that ran it

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-11 09:00:00.000000

Jobs were made by a thread of the web process that took them, which was recorded so a job whose
process died could show as interrupted; the PDF lay in that machine's instance folder. Now a
worker anywhere makes them and any app server hands them out, so the PDF is kept in the row and a
job whose worker died runs again (``attempts``). Finished jobs from before keep their rows; their
files are deleted by the next purge (the rows then show no PDF and are purged in their time).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('pdf', sa.LargeBinary(), nullable=True))
        batch_op.drop_column('worker_started')
        batch_op.drop_column('worker_pid')
        batch_op.drop_column('worker_host')


def downgrade():
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('worker_host', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('worker_pid', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('worker_started', sa.String(length=32), nullable=True))
        batch_op.drop_column('pdf')
        batch_op.drop_column('attempts')
