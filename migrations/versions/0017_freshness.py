"""freshness: yearly re-confirmation

Every listing and organisation gets "laatst bevestigd op" (`confirmed_at`) and the count of reminders sent since
(`reminders_sent`); the audit trail records confirmations and reminders (`freshness`); a listing may be `stale`
and an organisation's history may say `confirmed` and `reminded`. Existing published listings count as confirmed
on their last change (or publication), and organisations on theirs, so an upgrade does not make the catalogue
stale at once.

The two CHECK constraints are widened in place. On SQLite that means editing the table's stored definition (the
procedure of SQLite's "ALTER TABLE: making other kinds of table schema changes" for constraints every row still
meets): a rebuilt table would be refused under foreign keys once rows refer to it.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 19:30:00.000000

"""
import re

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

STATUSES = ('draft', 'pending', 'published', 'rejected', 'archived')
ACTIONS = ('created', 'edited', 'revision_submitted', 'revision_updated', 'revision_withdrawn', 'revision_approved',
           'revision_rejected', 'verified', 'charter_verified')
CHECKS = {  # table -> (constraint, column, values before, values after)
    'listings': ('ck_listings_status', 'status', STATUSES, STATUSES + ('stale',)),
    'organisation_changes': ('ck_organisation_changes_action', 'action', ACTIONS, ACTIONS + ('confirmed', 'reminded')),
}


def _condition(column: str, values: tuple) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


def _set_check(table: str, values: tuple) -> None:
    name, column, _, _ = CHECKS[table]
    connection = op.get_bind()
    if connection.dialect.name != 'sqlite':
        op.drop_constraint(op.f(name), table, type_='check')
        op.create_check_constraint(op.f(name), table, _condition(column, values))
        return
    sql = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).scalar_one()
    pattern = re.compile(rf"(CONSTRAINT {name} CHECK \(){re.escape(column)} IN \([^)]*\)(\))")
    if not pattern.search(sql):
        raise RuntimeError(f'{name} not found in the definition of {table}')
    version = connection.exec_driver_sql('PRAGMA schema_version').scalar_one()
    connection.exec_driver_sql('PRAGMA writable_schema = ON')
    connection.exec_driver_sql("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
                               (pattern.sub(lambda m: m.group(1) + _condition(column, values) + m.group(2), sql),
                                table))
    connection.exec_driver_sql(f'PRAGMA schema_version = {version + 1}')  # every connection reads the schema again
    connection.exec_driver_sql('PRAGMA writable_schema = OFF')


def upgrade():
    # plain ADD COLUMN: SQLite would otherwise rebuild the table, which its foreign keys refuse when rows refer to it
    for table in ('listings', 'organisations'):
        op.add_column(table, sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True))
        op.add_column(table, sa.Column('reminders_sent', sa.SmallInteger(), nullable=False, server_default='0'))
    op.add_column('listing_status_changes', sa.Column('freshness', sa.String(length=20), nullable=True))
    for table, (_, _, _, after) in CHECKS.items():
        _set_check(table, after)

    listings = sa.table('listings', sa.column('status', sa.String), sa.column('confirmed_at', sa.DateTime),
                        sa.column('updated_at', sa.DateTime), sa.column('published_at', sa.DateTime))
    organisations = sa.table('organisations', sa.column('confirmed_at', sa.DateTime),
                             sa.column('updated_at', sa.DateTime), sa.column('created_at', sa.DateTime))
    connection = op.get_bind()
    connection.execute(listings.update().where(listings.c.status == 'published').values(
        confirmed_at=sa.func.coalesce(listings.c.updated_at, listings.c.published_at)))
    connection.execute(organisations.update().values(
        confirmed_at=sa.func.coalesce(organisations.c.updated_at, organisations.c.created_at)))


def downgrade():
    connection = op.get_bind()
    connection.execute(sa.text("UPDATE listings SET status = 'published' WHERE status = 'stale'"))
    connection.execute(sa.text("DELETE FROM organisation_changes WHERE action IN ('confirmed', 'reminded')"))
    for table, (_, _, before, _) in CHECKS.items():
        _set_check(table, before)
    # plain DROP COLUMN (SQLite 3.35+), for the same reason as the ADD COLUMN above
    op.drop_column('listing_status_changes', 'freshness')
    for table in ('organisations', 'listings'):
        op.drop_column(table, 'reminders_sent')
        op.drop_column(table, 'confirmed_at')
