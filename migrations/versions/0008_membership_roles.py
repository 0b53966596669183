"""membership roles

Roles now grant permissions (portal/catalogue/policy.py). Every membership made before could do everything
an owner does, so the old role "member" becomes "owner".

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 12:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("UPDATE memberships SET role = 'owner' WHERE role = 'member'")


def downgrade():
    pass  # "owner" grants what "member" did: nothing to undo
