"""mail retries and dead letters

The outbox keeps a state per mail (waiting or dead), when it is due next, until when it is retried, the last
attempt and its error, and for mails with an expiring link what they are for (so they can be issued anew).
mail_outbox is referred to by no other table, so SQLite's batch rebuild of it is safe.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 19:00:00.000000

"""
from datetime import UTC, datetime, timedelta

from alembic import op
import sqlalchemy as sa

from portal.database import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=10), nullable=False, server_default='waiting'))
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('retry_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_attempt_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_error', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('kind', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('subject_id', sa.Integer(), nullable=True))
    # Mails waiting from before are due now and get a full retry window from now.
    now = datetime.now(UTC)
    outbox = sa.table('mail_outbox', sa.column('next_attempt_at', UTCDateTime()),
                      sa.column('retry_until', UTCDateTime()))
    op.execute(outbox.update().values(next_attempt_at=now, retry_until=now + timedelta(hours=48)))
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.alter_column('next_attempt_at', existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.alter_column('retry_until', existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.create_index('ix_mail_outbox_due', ['status', 'next_attempt_at'], unique=False)


def downgrade():
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_mail_outbox_due')
        for column in ('subject_id', 'kind', 'last_error', 'last_attempt_at', 'retry_until', 'next_attempt_at',
                       'status'):
            batch_op.drop_column(column)
