"""The schema exists only through Alembic migrations, and they agree with the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from portal.extensions import db
from tests.conftest import make_app

TABLES = {"organisations", "users", "memberships", "listings", "listing_locations", "listing_status_changes",
          "mail_outbox", "organisation_join_requests", "organisation_invitations", "charter_signatures",
          "listing_revisions", "listing_reports", "organisation_revisions", "organisation_changes",
          "security_events"}


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


def test_existing_organisations_get_their_registration_and_verification_in_the_history(databases, tmp_path):
    app = make_app(databases.fresh("stemwijzer_migration_0012"), tmp_path / "index")
    with app.app_context():
        upgrade(revision="0010")
        with db.engine.begin() as connection:
            for slug, verified in (("geverifieerd", "2026-01-02 10:00:00+00:00"), ("nieuw", None)):
                connection.execute(text(
                    "INSERT INTO organisations (name, slug, kind, description, verified_at, created_at, updated_at) "
                    "VALUES (:slug, :slug, 'school', '', :verified, '2026-01-01 10:00:00+00:00', "
                    "'2026-01-01 10:00:00+00:00')"), {"slug": slug, "verified": verified})
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT o.slug, c.action, c.actor_id FROM organisation_changes c "
                "JOIN organisations o ON o.id = c.organisation_id ORDER BY o.slug, c.action")).all()
        assert [tuple(row) for row in rows] == [("geverifieerd", "created", None), ("geverifieerd", "verified", None),
                                                ("nieuw", "created", None)]
        db.engine.dispose()
