"""invitation role

An invitation carries the role the inviting owner chose. Invitations sent before made their holder an owner,
so the open ones keep that role.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 13:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisation_invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('role', sa.String(length=20), nullable=False, server_default='owner'))
    with op.batch_alter_table('organisation_invitations', schema=None) as batch_op:
        batch_op.alter_column('role', server_default=None)


def downgrade():
    with op.batch_alter_table('organisation_invitations', schema=None) as batch_op:
        batch_op.drop_column('role')
