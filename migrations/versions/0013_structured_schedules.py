"""structured schedules

A listing's weekdays, parts of the day, session times and whether it pauses in the school holidays, so that
"op woensdagnamiddag" and "in de krokusvakantie" can be searched. Existing listings start without them
(empty lists, no times, not pausing): their free text "Dagen en uren" stays as it was.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 15:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    # plain ADD COLUMN: SQLite would otherwise rebuild the table, which its foreign keys refuse when rows refer to it
    op.add_column('listings', sa.Column('weekdays', sa.JSON(), nullable=False, server_default='[]'))
    op.add_column('listings', sa.Column('day_parts', sa.JSON(), nullable=False, server_default='[]'))
    op.add_column('listings', sa.Column('start_time', sa.String(length=5), nullable=True))
    op.add_column('listings', sa.Column('end_time', sa.String(length=5), nullable=True))
    op.add_column('listings', sa.Column('school_holidays_off', sa.Boolean(), nullable=False,
                              server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('listings', schema=None) as batch_op:
        for column in ('school_holidays_off', 'end_time', 'start_time', 'day_parts', 'weekdays'):
            batch_op.drop_column(column)
