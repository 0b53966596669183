"""revisions and moderation

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 12:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('listing_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'approved', 'rejected', 'withdrawn')", name=op.f('ck_listing_revisions_status')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_listing_revisions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_listing_revisions_listing_id_listings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_listing_revisions'))
    )
    with op.batch_alter_table('listing_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_listing_revisions_listing_id'), ['listing_id'], unique=False)
        batch_op.create_index('ix_listing_revisions_one_pending', ['listing_id'], unique=True,
                              sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))

    op.create_table('listing_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint("status IN ('open', 'resolved', 'dismissed')", name=op.f('ck_listing_reports_status')),
    sa.ForeignKeyConstraint(['handled_by_id'], ['users.id'], name=op.f('fk_listing_reports_handled_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_listing_reports_listing_id_listings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_listing_reports'))
    )
    with op.batch_alter_table('listing_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_listing_reports_listing_id'), ['listing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_listing_reports_status'), ['status'], unique=False)

    with op.batch_alter_table('listing_status_changes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('quality_checks', sa.JSON(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_listing_status_changes_revision_id_listing_revisions'),
                                    'listing_revisions', ['revision_id'], ['id'])


def downgrade():
    with op.batch_alter_table('listing_status_changes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_listing_status_changes_revision_id_listing_revisions'), type_='foreignkey')
        batch_op.drop_column('quality_checks')
        batch_op.drop_column('revision_id')

    with op.batch_alter_table('listing_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_listing_reports_status'))
        batch_op.drop_index(batch_op.f('ix_listing_reports_listing_id'))

    op.drop_table('listing_reports')
    with op.batch_alter_table('listing_revisions', schema=None) as batch_op:
        batch_op.drop_index('ix_listing_revisions_one_pending')
        batch_op.drop_index(batch_op.f('ix_listing_revisions_listing_id'))

    op.drop_table('listing_revisions')
