"""security events

The security event log (portal/security_log/): one row per login, refusal, account, membership, API key and
admin event, without secrets or full e-mail addresses.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 15:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'security_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('event', sa.String(length=40), nullable=False),
        sa.Column('outcome', sa.String(length=20), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('target_type', sa.String(length=30), nullable=True),
        sa.Column('target_id', sa.Integer(), nullable=True),
        sa.Column('client_address', sa.String(length=45), nullable=True),
        sa.Column('request_id', sa.String(length=64), nullable=True),
        sa.Column('user_agent', sa.String(length=200), nullable=True),
        sa.Column('email_hash', sa.String(length=32), nullable=True),
        sa.Column('details', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_security_events_actor_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_security_events')),
    )
    with op.batch_alter_table('security_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_security_events_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_security_events_event'), ['event'], unique=False)
        batch_op.create_index(batch_op.f('ix_security_events_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_security_events_client_address'), ['client_address'], unique=False)
        batch_op.create_index(batch_op.f('ix_security_events_email_hash'), ['email_hash'], unique=False)
        batch_op.create_index('ix_security_events_target', ['target_type', 'target_id'], unique=False)


def downgrade():
    with op.batch_alter_table('security_events', schema=None) as batch_op:
        batch_op.drop_index('ix_security_events_target')
        batch_op.drop_index(batch_op.f('ix_security_events_email_hash'))
        batch_op.drop_index(batch_op.f('ix_security_events_client_address'))
        batch_op.drop_index(batch_op.f('ix_security_events_actor_id'))
        batch_op.drop_index(batch_op.f('ix_security_events_event'))
        batch_op.drop_index(batch_op.f('ix_security_events_at'))
    op.drop_table('security_events')
