"""The schema exists only through Alembic migrations, and they agree with the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from portal.extensions import db
from tests.conftest import make_app

TABLES = {"organisations", "users", "memberships", "listings", "listing_locations", "listing_status_changes",
          "mail_outbox", "organisation_join_requests", "organisation_invitations", "charter_signatures",
          "listing_revisions", "listing_reports", "security_events"}


def test_upgrade_an_empty_database_to_head_matches_the_models(databases, tmp_path):
    app = make_app(databases.fresh("stemwijzer_migrations"), tmp_path / "index")
    with app.app_context():
        assert inspect(db.engine).get_table_names() == []
        upgrade()
        assert TABLES <= set(inspect(db.engine).get_table_names())
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, db.metadata) == []
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert TABLES <= set(inspect(db.engine).get_table_names())
        db.engine.dispose()


def test_the_backend_under_test_is_the_one_asked_for(app, databases):
    assert db.engine.dialect.name == databases.backend
