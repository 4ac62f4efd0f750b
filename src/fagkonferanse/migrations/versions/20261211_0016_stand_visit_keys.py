"""stand visit keys: a batched visit written twice counts once

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-11 12:00:00.000000

Batches of anonymous stand visits go to the job engine, and a batch whose task was lost is
written again from its journal (checkin/visit_buffer.py). Each batched visit carries a random key
so the second write skips what the first one already wrote. Visits from before have none.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('stand_visits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('visit_key', sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_stand_visits_visit_key'), ['visit_key'])


def downgrade():
    with op.batch_alter_table('stand_visits', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_stand_visits_visit_key'), type_='unique')
        batch_op.drop_column('visit_key')
