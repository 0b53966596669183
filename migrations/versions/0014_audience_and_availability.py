"""audience and availability

A listing's audience (children and young people, or teachers, schools and other professionals) and its
availability as the organisation keeps it up to date (places left, full with or without a waiting list,
cancelled, postponed to a new date), and the audit trail's record of an availability change.

Existing listings get the audience of vocab.default_audience (repeated here: a migration does not change when
the application does): professionals for learning networks, charter signatories and offers only for teachers,
otherwise youth; and every existing listing has places available.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 16:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

PROFESSIONAL_KINDS = ('learning_network', 'charter_signatory')


def _is_for_professionals(kind, target_groups) -> bool:
    return kind in PROFESSIONAL_KINDS or bool(target_groups) and set(target_groups) <= {'teachers'}


def upgrade():
    # plain ADD COLUMN: SQLite would otherwise rebuild the table, which its foreign keys refuse when rows refer to it
    op.add_column('listings', sa.Column('audience', sa.String(length=20), nullable=False, server_default='youth'))
    op.add_column('listings', sa.Column('availability', sa.String(length=20), nullable=False,
                              server_default='available'))
    op.add_column('listings', sa.Column('waiting_list', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('listings', sa.Column('remaining_places', sa.Integer(), nullable=True))
    op.add_column('listings', sa.Column('postponed_to', sa.Date(), nullable=True))
    op.add_column('listing_status_changes', sa.Column('availability', sa.JSON(), nullable=True))

    listings = sa.table('listings', sa.column('id', sa.Integer), sa.column('kind', sa.String),
                        sa.column('target_groups', sa.JSON), sa.column('audience', sa.String))
    connection = op.get_bind()
    professional = [row.id for row in connection.execute(sa.select(listings.c.id, listings.c.kind,
                                                                   listings.c.target_groups))
                    if _is_for_professionals(row.kind, row.target_groups)]
    if professional:
        connection.execute(listings.update().where(listings.c.id.in_(professional))
                           .values(audience='professionals'))


def downgrade():
    with op.batch_alter_table('listing_status_changes', schema=None) as batch_op:
        batch_op.drop_column('availability')
    with op.batch_alter_table('listings', schema=None) as batch_op:
        batch_op.drop_column('postponed_to')
        batch_op.drop_column('remaining_places')
        batch_op.drop_column('waiting_list')
        batch_op.drop_column('availability')
        batch_op.drop_column('audience')
