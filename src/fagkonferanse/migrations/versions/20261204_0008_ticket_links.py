"""ticket links: the registering browser's own link, retired links (410) and the link-mail limit

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 22:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('browser_secret', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('address_confirmed_at', sa.DateTime(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_registrations_browser_secret'), ['browser_secret'])
    op.create_table('retired_ticket_links',
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('retired_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('secret_hash', name=op.f('pk_retired_ticket_links'))
    )
    op.create_table('ticket_link_mails',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('address_key', sa.String(length=64), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_link_mails'))
    )
    with op.batch_alter_table('ticket_link_mails', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_link_mails_address_key'), ['address_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_ticket_link_mails_sent_at'), ['sent_at'], unique=False)


def downgrade():
    with op.batch_alter_table('ticket_link_mails', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_link_mails_sent_at'))
        batch_op.drop_index(batch_op.f('ix_ticket_link_mails_address_key'))
    op.drop_table('ticket_link_mails')
    op.drop_table('retired_ticket_links')
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_registrations_browser_secret'), type_='unique')
        batch_op.drop_column('address_confirmed_at')
        batch_op.drop_column('browser_secret')
