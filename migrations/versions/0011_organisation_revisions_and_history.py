"""organisation revisions and history

A verified organisation's change of its details waits for a moderator as a revision; every organisation change
is in its history. Existing organisations get the history they can be given: their registration, and their
verification, both without a known actor.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 15:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

ACTIONS = ('created', 'edited', 'revision_submitted', 'revision_updated', 'revision_withdrawn', 'revision_approved',
           'revision_rejected', 'verified', 'charter_verified')


def upgrade():
    op.create_table('organisation_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'approved', 'rejected', 'withdrawn')",
                       name=op.f('ck_organisation_revisions_status')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_organisation_revisions_author_id_users'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                            name=op.f('fk_organisation_revisions_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_revisions'))
    )
    with op.batch_alter_table('organisation_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_revisions_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index('ix_organisation_revisions_one_pending', ['organisation_id'], unique=True,
                              sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))

    op.create_table('organisation_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('revision_id', sa.Integer(), nullable=True),
    sa.CheckConstraint(f"action IN ({', '.join(repr(action) for action in ACTIONS)})",
                       name=op.f('ck_organisation_changes_action')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_organisation_changes_actor_id_users'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                            name=op.f('fk_organisation_changes_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revision_id'], ['organisation_revisions.id'],
                            name=op.f('fk_organisation_changes_revision_id_organisation_revisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_changes'))
    )
    with op.batch_alter_table('organisation_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_changes_organisation_id'), ['organisation_id'], unique=False)

    # PostgreSQL takes the literal as text in an INSERT ... SELECT; SQLite would make a number of a CAST.
    nothing = "CAST('{}' AS JSON)" if op.get_bind().dialect.name == 'postgresql' else "'{}'"
    for action, at in (('created', 'created_at'), ('verified', 'verified_at')):
        op.execute(f"INSERT INTO organisation_changes (organisation_id, at, action, changes) "
                   f"SELECT id, {at}, '{action}', {nothing} FROM organisations WHERE {at} IS NOT NULL ORDER BY id")


def downgrade():
    with op.batch_alter_table('organisation_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_changes_organisation_id'))
    op.drop_table('organisation_changes')
    with op.batch_alter_table('organisation_revisions', schema=None) as batch_op:
        batch_op.drop_index('ix_organisation_revisions_one_pending')
        batch_op.drop_index(batch_op.f('ix_organisation_revisions_organisation_id'))
    op.drop_table('organisation_revisions')
