"""door codes: a short code with a check character on every ticket, for typing at the door

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 01:30:00.000000

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

# A copy of registration/tokens.py's rule as it is today: migrations must not change meaning
# when the application's code does.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _door_code() -> str:
    body = [secrets.choice(ALPHABET) for _ in range(7)]
    partial = sum(position * ALPHABET.index(char) for position, char in enumerate(body, start=1))
    return "".join(body) + ALPHABET[(-partial * pow(8, -1, 31)) % 31]


def upgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('door_code', sa.String(length=8), nullable=True))
    connection = op.get_bind()
    ids = [row[0] for row in connection.execute(sa.text("SELECT id FROM registrations"))]
    used: set[str] = set()
    for registration_id in ids:
        code = _door_code()
        while code in used:
            code = _door_code()
        used.add(code)
        connection.execute(sa.text("UPDATE registrations SET door_code = :code WHERE id = :id"),
                           {"code": code, "id": registration_id})
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.alter_column('door_code', existing_type=sa.String(length=8), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_registrations_door_code'), ['door_code'])


def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_registrations_door_code'), type_='unique')
        batch_op.drop_column('door_code')
