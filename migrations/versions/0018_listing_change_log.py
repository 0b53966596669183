"""listing change log

The consumed search outbox becomes an append-only log every node follows (portal/search/changelog.py): each
change has a position, and a counter row holds the last one. Rows still waiting in the outbox are carried over
as the log's first positions, in their order; an index generation written before generations recorded a
position counts as having applied position 0, so every node applies them once.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 19:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('listing_changes',
    sa.Column('position', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('position', name=op.f('pk_listing_changes'))
    )
    op.create_index(op.f('ix_listing_changes_listing_id'), 'listing_changes', ['listing_id'], unique=False)
    op.create_index(op.f('ix_listing_changes_changed_at'), 'listing_changes', ['changed_at'], unique=False)
    op.create_table('listing_change_counter',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_listing_change_counter'))
    )
    connection = op.get_bind()
    outbox = sa.table('search_outbox', sa.column('id', sa.Integer), sa.column('listing_id', sa.Integer),
                      sa.column('created_at', sa.DateTime(timezone=True)))
    pending = connection.execute(sa.select(outbox.c.listing_id, outbox.c.created_at).order_by(outbox.c.id)).all()
    changes = sa.table('listing_changes', sa.column('position', sa.Integer), sa.column('listing_id', sa.Integer),
                       sa.column('changed_at', sa.DateTime(timezone=True)))
    if pending:
        connection.execute(changes.insert(), [
            {"position": number, "listing_id": row.listing_id, "changed_at": row.created_at}
            for number, row in enumerate(pending, start=1)
        ])
    counter = sa.table('listing_change_counter', sa.column('id', sa.Integer), sa.column('last', sa.Integer))
    connection.execute(counter.insert().values(id=1, last=len(pending)))
    op.drop_index(op.f('ix_search_outbox_listing_id'), table_name='search_outbox')
    op.drop_table('search_outbox')


def downgrade():
    op.create_table('search_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_search_outbox_listing_id_listings'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_outbox'))
    )
    op.create_index(op.f('ix_search_outbox_listing_id'), 'search_outbox', ['listing_id'], unique=False)
    op.drop_table('listing_change_counter')
    op.drop_index(op.f('ix_listing_changes_changed_at'), table_name='listing_changes')
    op.drop_index(op.f('ix_listing_changes_listing_id'), table_name='listing_changes')
    op.drop_table('listing_changes')
