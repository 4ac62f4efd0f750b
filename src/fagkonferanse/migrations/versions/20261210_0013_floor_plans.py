"""floor plans: floors with a plan, places with a shape, stands with a position, logos

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-10 09:00:00.000000

Every floor that a location is on gets its row, so the organisers' plan pages list the floors
the venue already has; places keep their names and kinds and simply have no shape yet.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'uploaded_images',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('content_type', sa.String(length=40), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('uploaded_at', sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_uploaded_images')),
    )
    op.create_table(
        'floors',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('building', sa.String(length=100), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.Column('image_id', sa.Integer(), nullable=True),
        sa.Column('schematic', sa.Boolean(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('note_en', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_floors_event_id_events'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['image_id'], ['uploaded_images.id'], name=op.f('fk_floors_image_id_uploaded_images'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_floors')),
        sa.UniqueConstraint('event_id', 'building', 'number', name=op.f('uq_floors_event_id')),
    )
    with op.batch_alter_table('floors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_floors_event_id'), ['event_id'], unique=False)
    with op.batch_alter_table('locations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outline', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('stands', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plan_x', sa.Double(), nullable=True))
        batch_op.add_column(sa.Column('plan_y', sa.Double(), nullable=True))
        batch_op.add_column(sa.Column('accent_colour', sa.String(length=7), nullable=False, server_default=''))
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('logo_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_organisations_logo_id_uploaded_images'), 'uploaded_images',
                                    ['logo_id'], ['id'], ondelete='SET NULL')
    op.get_bind().execute(sa.text(
        "INSERT INTO floors (event_id, building, number, width, height, schematic, note, note_en)"
        " SELECT DISTINCT event_id, building, floor, 1000, 600, :no, '', '' FROM locations"), {"no": False})


def downgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_organisations_logo_id_uploaded_images'), type_='foreignkey')
        batch_op.drop_column('logo_id')
    with op.batch_alter_table('stands', schema=None) as batch_op:
        batch_op.drop_column('accent_colour')
        batch_op.drop_column('plan_y')
        batch_op.drop_column('plan_x')
    with op.batch_alter_table('locations', schema=None) as batch_op:
        batch_op.drop_column('outline')
    with op.batch_alter_table('floors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_floors_event_id'))
    op.drop_table('floors')
    op.drop_table('uploaded_images')
