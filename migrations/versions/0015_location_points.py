"""location points

Every location gets a point (WGS84 latitude and longitude) and where it came from (`point_source`: postcode,
municipality, geocoder or organisation). Existing locations get their postcode's reference point, or their
municipality's, from portal/reference/data/places.json.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 15:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

from portal.reference import places


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('listing_locations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('latitude', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('longitude', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('point_source', sa.String(length=20), nullable=True))
    locations = sa.table('listing_locations', sa.column('id', sa.Integer), sa.column('postcode', sa.String),
                         sa.column('municipality_code', sa.String), sa.column('latitude', sa.Float),
                         sa.column('longitude', sa.Float), sa.column('point_source', sa.String))
    connection = op.get_bind()
    rows = connection.execute(sa.select(locations.c.id, locations.c.postcode, locations.c.municipality_code)).all()
    for row in rows:
        found = places.reference_point(row.postcode, row.municipality_code)
        if found is not None:
            (latitude, longitude), source = found
            connection.execute(locations.update().where(locations.c.id == row.id).values(
                latitude=latitude, longitude=longitude, point_source=source))


def downgrade():
    with op.batch_alter_table('listing_locations', schema=None) as batch_op:
        batch_op.drop_column('point_source')
        batch_op.drop_column('longitude')
        batch_op.drop_column('latitude')
