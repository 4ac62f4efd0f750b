"""attendee retention: how long a conference keeps its attendees' data, and when it let go

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-13 12:00:00.000000

Every event gets ``attendee_retention_days`` (365 for the events already there: a year after
the conference, then the attendees are anonymised, see events/retention.py) and
``attendees_anonymised_at`` (empty: not yet). Nothing else changes.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attendee_retention_days', sa.Integer(), server_default='365', nullable=False))
        batch_op.add_column(sa.Column('attendees_anonymised_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('attendees_anonymised_at')
        batch_op.drop_column('attendee_retention_days')
