"""mail subject as text

A mail's subject holds names and titles of up to 200 characters each (e.g. a rejected listing's title):
String(200) refused them on PostgreSQL and the whole decision failed.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.alter_column('subject', existing_type=sa.String(length=200), type_=sa.Text(),
                              existing_nullable=False)


def downgrade():
    # Subjects longer than the old column are cut, so the downgrade cannot fail on existing mails.
    op.execute(sa.text("UPDATE mail_outbox SET subject = substr(subject, 1, 200) WHERE length(subject) > 200"))
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.alter_column('subject', existing_type=sa.Text(), type_=sa.String(length=200),
                              existing_nullable=False)
