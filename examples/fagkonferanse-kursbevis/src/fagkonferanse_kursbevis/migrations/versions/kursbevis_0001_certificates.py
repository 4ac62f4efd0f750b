"""kursbevis: the certificates table

The plugin's own branch (label "kursbevis"), depending on the core revision 0003 that made the
registrations table its rows point to.

Revision ID: kursbevis_0001
Revises:
Depends on: 0003
"""
from alembic import op
import sqlalchemy as sa


revision = "kursbevis_0001"
down_revision = None
branch_labels = ("kursbevis",)
depends_on = "0003"


def upgrade():
    op.create_table(
        "kursbevis_certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("mailed_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_kursbevis_certificates_event_id_events"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["registration_id"], ["registrations.id"],
                                name=op.f("fk_kursbevis_certificates_registration_id_registrations"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kursbevis_certificates")),
        sa.UniqueConstraint("registration_id", name=op.f("uq_kursbevis_certificates_registration_id")),
        sa.UniqueConstraint("token", name=op.f("uq_kursbevis_certificates_token")),
    )
    with op.batch_alter_table("kursbevis_certificates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kursbevis_certificates_event_id"), ["event_id"], unique=False)


def downgrade():
    with op.batch_alter_table("kursbevis_certificates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kursbevis_certificates_event_id"))
    op.drop_table("kursbevis_certificates")
