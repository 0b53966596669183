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


def test_migration_0014_gives_existing_listings_an_audience_and_places_available(databases, tmp_path):
    """Rows from before the audience: learning networks, charter signatories and teacher-only offers become
    offers for professionals; everything else stays for children and young people."""
    from datetime import date, datetime

    from sqlalchemy import MetaData, select

    app = make_app(databases.fresh("stemwijzer_migration_0014"), tmp_path / "index")
    with app.app_context():
        upgrade(revision="0010")
        tables = MetaData()
        tables.reflect(db.engine, only=["organisations", "listings"])
        organisations, listings = tables.tables["organisations"], tables.tables["listings"]
        now = datetime(2026, 12, 1)
        rows = {"net": ("learning_network", ["teachers"]), "charter": ("charter_signatory", ["girls", "teachers"]),
                "course": ("activity", ["teachers"]), "club": ("activity", ["teachers", "girls"]),
                "project": ("school_project", ["tso_bso"])}
        with db.engine.begin() as connection:
            connection.execute(organisations.insert().values(id=1, name="Org", slug="org", kind="nonprofit",
                                                              description="", created_at=now, updated_at=now))
            for number, (slug, (kind, groups)) in enumerate(rows.items(), start=1):
                connection.execute(listings.insert().values(
                    id=number, organisation_id=1, kind=kind, title=slug, slug=slug, summary="Een samenvatting.",
                    description="", provider_url="https://x.example", target_groups=groups, themes=[],
                    disciplines=["science"], formats=["club"], cost="free", flanders_wide=True, online=False,
                    schedule="once", start_date=date(2027, 1, 1), status="published", created_at=now,
                    updated_at=now))
        upgrade()
        tables = MetaData()
        tables.reflect(db.engine, only=["listings"])
        listings = tables.tables["listings"]
        with db.engine.connect() as connection:
            found = {row.slug: (row.audience, row.availability, row.waiting_list) for row in
                     connection.execute(select(listings.c.slug, listings.c.audience, listings.c.availability,
                                               listings.c.waiting_list))}
        assert found == {"net": ("professionals", "available", False), "charter": ("professionals", "available", False),
                         "course": ("professionals", "available", False), "club": ("youth", "available", False),
                         "project": ("youth", "available", False)}
        db.engine.dispose()


def test_a_populated_database_of_stop_19_upgrades_to_head(databases, tmp_path):
    """Rows that refer to a listing (its history, its locations) must not stop the migrations that add listing
    columns: SQLite refuses a rebuilt table under foreign keys, so those migrations add columns in place."""
    from datetime import date, datetime

    from sqlalchemy import MetaData, select

    app = make_app(databases.fresh("stemwijzer_migration_populated"), tmp_path / "index")
    with app.app_context():
        upgrade(revision="0010")
        tables = MetaData()
        tables.reflect(db.engine, only=["organisations", "listings", "listing_locations", "listing_status_changes"])
        now = datetime(2026, 12, 1)
        with db.engine.begin() as connection:
            connection.execute(tables.tables["organisations"].insert().values(
                id=1, name="Org", slug="org", kind="nonprofit", description="", created_at=now, updated_at=now))
            connection.execute(tables.tables["listings"].insert().values(
                id=1, organisation_id=1, kind="activity", title="Club", slug="club", summary="Een samenvatting.",
                description="", provider_url="https://x.example", target_groups=[], themes=[],
                disciplines=["science"], formats=["club"], cost="free", flanders_wide=False, online=False,
                schedule="once", start_date=date(2027, 1, 1), status="published", created_at=now, updated_at=now))
            connection.execute(tables.tables["listing_locations"].insert().values(
                id=1, listing_id=1, address="Kattevennen 19", postcode="3600", municipality_code="71016"))
            connection.execute(tables.tables["listing_status_changes"].insert().values(
                id=1, listing_id=1, at=now, from_status=None, to_status="published"))
        upgrade()
        tables = MetaData()
        tables.reflect(db.engine, only=["listings", "listing_locations"])
        with db.engine.connect() as connection:
            listing = connection.execute(select(tables.tables["listings"])).one()
            location = connection.execute(select(tables.tables["listing_locations"])).one()
        assert (listing.audience, listing.availability, listing.weekdays) == ("youth", "available", [])
        assert location.point_source and 50.9 < location.latitude < 51.0
        db.engine.dispose()


def test_migration_0017_counts_published_listings_as_confirmed_on_their_last_change(databases, tmp_path):
    """An upgrade must not make the catalogue stale at once: published listings count as confirmed on their last
    change, organisations on theirs; the widened checks take `stale` and the new history actions, and still
    refuse an unknown status (SQLite's table definition is edited in place, with rows referring to it)."""
    from datetime import UTC, date, datetime

    import pytest
    from sqlalchemy import MetaData, select
    from sqlalchemy.exc import IntegrityError

    app = make_app(databases.fresh("stemwijzer_migration_0017"), tmp_path / "index")
    with app.app_context():
        upgrade(revision="0015")
        tables = MetaData()
        tables.reflect(db.engine, only=["organisations", "listings", "listing_status_changes"])
        organisations, listings = tables.tables["organisations"], tables.tables["listings"]
        created, changed = datetime(2025, 9, 1, tzinfo=UTC), datetime(2026, 3, 5, 12, tzinfo=UTC)
        with db.engine.begin() as connection:
            connection.execute(organisations.insert().values(id=1, name="Org", slug="org", kind="nonprofit",
                                                              description="", created_at=created, updated_at=changed))
            for number, status in enumerate(("published", "draft"), start=1):
                connection.execute(listings.insert().values(
                    id=number, organisation_id=1, kind="activity", title=status, slug=status,
                    summary="Een samenvatting.", description="", provider_url="https://x.example", target_groups=[],
                    themes=[], disciplines=["science"], formats=["club"], cost="free", flanders_wide=True,
                    online=False, schedule="permanent", start_date=date(2025, 9, 1), status=status,
                    created_at=created, updated_at=changed, published_at=created if status == "published" else None))
            connection.execute(tables.tables["listing_status_changes"].insert().values(
                id=1, listing_id=1, at=created, from_status=None, to_status="published"))
        upgrade()
        tables = MetaData()
        tables.reflect(db.engine, only=["organisations", "listings", "organisation_changes"])
        listings, organisations = tables.tables["listings"], tables.tables["organisations"]
        with db.engine.connect() as connection:
            found = {row.slug: (row.confirmed_at, row.reminders_sent) for row in connection.execute(select(listings))}
            organisation = connection.execute(select(organisations)).one()
        as_utc = lambda moment: moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment  # noqa: E731
        assert as_utc(found["published"][0]) == changed and found["published"][1] == 0
        assert found["draft"] == (None, 0)
        assert as_utc(organisation.confirmed_at) == changed
        with db.engine.begin() as connection:
            connection.execute(listings.update().where(listings.c.id == 1).values(status="stale"))
            connection.execute(tables.tables["organisation_changes"].insert().values(
                organisation_id=1, at=changed, action="reminded", changes={}))
        with pytest.raises(IntegrityError), db.engine.begin() as connection:
            connection.execute(listings.update().where(listings.c.id == 1).values(status="bogus"))
        downgrade(revision="0015")
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT status FROM listings WHERE id = 1")).scalar_one() == "published"
        db.engine.dispose()


def test_migration_0018_carries_the_waiting_outbox_rows_over_into_the_change_log(databases, tmp_path):
    """Changes still waiting in the outbox become the log's first positions; an index written before generations
    recorded a position counts as having applied none of them, so it applies them once."""
    from datetime import date, datetime

    from sqlalchemy import MetaData
    from whoosh import index as whoosh_index

    from portal.search import sync
    from search_index.schema import build_schema

    app = make_app(databases.fresh("stemwijzer_migration_0018"), tmp_path / "index")
    with app.app_context():
        upgrade(revision="0015")
        tables = MetaData()
        tables.reflect(db.engine, only=["organisations", "listings", "search_outbox"])
        now = datetime(2026, 12, 1)
        with db.engine.begin() as connection:
            connection.execute(tables.tables["organisations"].insert().values(
                id=1, name="Org", slug="org", kind="nonprofit", description="", created_at=now, updated_at=now,
                verified_at=now))
            connection.execute(tables.tables["listings"].insert().values(
                id=1, organisation_id=1, kind="activity", title="Robotclub", slug="club", summary="Een samenvatting.",
                description="", provider_url="https://x.example", target_groups=[], themes=[],
                disciplines=["science"], formats=["club"], cost="free", flanders_wide=True, online=False,
                schedule="once", start_date=date(2027, 1, 1), status="published", created_at=now, updated_at=now,
                published_at=now, audience="youth", availability="available"))
            for number in (1, 2):
                connection.execute(tables.tables["search_outbox"].insert().values(id=number, listing_id=1,
                                                                                   created_at=now))
        legacy = tmp_path / "index" / "gen-000001"  # an index of before: no STATE, and it missed the listing
        legacy.mkdir(parents=True)
        whoosh_index.create_in(legacy, build_schema())
        (tmp_path / "index" / "CURRENT").write_text("gen-000001")
        upgrade()
        with db.engine.connect() as connection:
            changes = connection.execute(text("SELECT position, listing_id FROM listing_changes ORDER BY position"))
            assert [tuple(row) for row in changes] == [(1, 1), (2, 1)]
            assert connection.scalar(text("SELECT last FROM listing_change_counter")) == 2
            assert "search_outbox" not in inspect(db.engine).get_table_names()
        index = sync.search_index()
        assert index.position() == 0
        assert sync.follow(index, 5.0) == 2
        assert index.document_ids() == {"1"} and index.position() == 2
        downgrade(revision="0015")
        assert "search_outbox" in inspect(db.engine).get_table_names()
        upgrade()
        db.session.remove()
        db.engine.dispose()
