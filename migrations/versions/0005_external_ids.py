"""external ids of imported organisations and listings

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 13:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_id', sa.String(length=200), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_organisations_external_id'), ['external_id'])

    with op.batch_alter_table('listings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_id', sa.String(length=200), nullable=True))
        batch_op.create_unique_constraint('uq_listings_organisation_external_id', ['organisation_id', 'external_id'])


def downgrade():
    with op.batch_alter_table('listings', schema=None) as batch_op:
        batch_op.drop_constraint('uq_listings_organisation_external_id', type_='unique')
        batch_op.drop_column('external_id')

    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_organisations_external_id'), type_='unique')
        batch_op.drop_column('external_id')
