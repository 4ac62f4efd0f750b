"""the day itself: cancelled items, delay announcements, the demo conference, content in English,
starred items on the ticket

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 00:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

BUILTIN_DEMO_SLUG = 'levekar-og-mangfold-2016'

# (table, column, type): optional English versions, empty meaning "show the Norwegian".
ENGLISH = [
    ('programme_items', 'title_en', sa.String(length=300)),
    ('programme_items', 'description_en', sa.Text()),
    ('speakers', 'role_en', sa.String(length=200)),
    ('speakers', 'bio_en', sa.Text()),
    ('events', 'title_en', sa.String(length=300)),
    ('events', 'foreword_en', sa.Text()),
    ('stands', 'short_text_en', sa.Text()),
    ('locations', 'name_en', sa.String(length=200)),
]


def upgrade():
    for table, column, type_ in ENGLISH:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(column, type_, nullable=False, server_default=''))
    with op.batch_alter_table('programme_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('cancel_note', sa.String(length=300), nullable=False, server_default=''))
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_demo', sa.Boolean(), nullable=False, server_default=sa.false()))
    # The built-in 2016 conference was loaded by `make run` to try the toolkit: it is the demo.
    op.execute(sa.text("UPDATE events SET is_demo = :yes WHERE slug = :slug")
               .bindparams(yes=True, slug=BUILTIN_DEMO_SLUG))
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('starred_items', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('agenda_token', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_registrations_agenda_token'), ['agenda_token'])
    op.create_table('programme_delays',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('from_time', sa.DateTime(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_programme_delays_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_delays'))
    )
    with op.batch_alter_table('programme_delays', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_delays_event_id'), ['event_id'], unique=False)


def downgrade():
    with op.batch_alter_table('programme_delays', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_delays_event_id'))
    op.drop_table('programme_delays')
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_registrations_agenda_token'), type_='unique')
        batch_op.drop_column('agenda_token')
        batch_op.drop_column('starred_items')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('is_demo')
    with op.batch_alter_table('programme_items', schema=None) as batch_op:
        batch_op.drop_column('cancel_note')
        batch_op.drop_column('cancelled')
    for table, column, _type in reversed(ENGLISH):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(column)
