"""catalogue, organisations and accounts

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-22 06:05:33.795011

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('website', sa.String(length=500), nullable=True),
    sa.Column('public_email', sa.String(length=254), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('municipality_code', sa.String(length=5), nullable=True),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('charter_signed_on', sa.Date(), nullable=True),
    sa.Column('charter_commitment', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations')),
    sa.UniqueConstraint('slug', name=op.f('uq_organisations_slug'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('is_admin', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('email_confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('listings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('slug', sa.String(length=220), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('provider_url', sa.String(length=500), nullable=False),
    sa.Column('min_age', sa.SmallInteger(), nullable=True),
    sa.Column('max_age', sa.SmallInteger(), nullable=True),
    sa.Column('target_groups', sa.JSON(), nullable=False),
    sa.Column('themes', sa.JSON(), nullable=False),
    sa.Column('disciplines', sa.JSON(), nullable=False),
    sa.Column('formats', sa.JSON(), nullable=False),
    sa.Column('cost', sa.String(length=20), nullable=False),
    sa.Column('price_text', sa.String(length=200), nullable=True),
    sa.Column('flanders_wide', sa.Boolean(), nullable=False),
    sa.Column('online', sa.Boolean(), nullable=False),
    sa.Column('schedule', sa.String(length=20), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('schedule_text', sa.String(length=300), nullable=True),
    sa.Column('contact_name', sa.String(length=120), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('contact_phone', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'pending', 'published', 'rejected', 'archived')", name=op.f('ck_listings_status')),
    sa.CheckConstraint('end_date IS NULL OR start_date IS NULL OR start_date <= end_date', name=op.f('ck_listings_date_range')),
    sa.CheckConstraint('min_age IS NULL OR max_age IS NULL OR min_age <= max_age', name=op.f('ck_listings_age_range')),
    sa.CheckConstraint('min_age IS NULL OR min_age >= 0', name=op.f('ck_listings_min_age_not_negative')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_listings_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_listings')),
    sa.UniqueConstraint('slug', name=op.f('uq_listings_slug'))
    )
    with op.batch_alter_table('listings', schema=None) as batch_op:
        batch_op.create_index('ix_listings_organisation_status', ['organisation_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_listings_status'), ['status'], unique=False)

    op.create_table('memberships',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_memberships_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_memberships_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'organisation_id', name=op.f('pk_memberships'))
    )
    op.create_table('listing_locations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('postcode', sa.String(length=4), nullable=False),
    sa.Column('municipality_code', sa.String(length=5), nullable=False),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_listing_locations_listing_id_listings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_listing_locations'))
    )
    with op.batch_alter_table('listing_locations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_listing_locations_listing_id'), ['listing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_listing_locations_municipality_code'), ['municipality_code'], unique=False)

    op.create_table('listing_status_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_listing_status_changes_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_listing_status_changes_listing_id_listings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_listing_status_changes'))
    )
    with op.batch_alter_table('listing_status_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_listing_status_changes_listing_id'), ['listing_id'], unique=False)



def downgrade():
    with op.batch_alter_table('listing_status_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_listing_status_changes_listing_id'))

    op.drop_table('listing_status_changes')
    with op.batch_alter_table('listing_locations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_listing_locations_municipality_code'))
        batch_op.drop_index(batch_op.f('ix_listing_locations_listing_id'))

    op.drop_table('listing_locations')
    op.drop_table('memberships')
    with op.batch_alter_table('listings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_listings_status'))
        batch_op.drop_index('ix_listings_organisation_status')

    op.drop_table('listings')
    op.drop_table('users')
    op.drop_table('organisations')
