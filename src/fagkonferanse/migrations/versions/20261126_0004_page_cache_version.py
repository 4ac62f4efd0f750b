"""page cache version: one row whose number rises with every change public pages show

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 11:07:43.791671

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    site_state = op.create_table('site_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('content_version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site_state'))
    )
    op.bulk_insert(site_state, [{"id": 1, "content_version": 1}])


def downgrade():
    op.drop_table('site_state')
