"""The demo catalogue as `make run` loads it: big, varied, valid and recognisably fictitious."""

from collections import Counter
from datetime import date
from difflib import SequenceMatcher
from itertools import combinations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.accounts.passwords import verify_password
from portal.catalogue import vocab
from portal.catalogue.models import Listing, Organisation
from portal.clock import today
from portal.extensions import db
from seeds import loader

# The commands share the test's database session, so their write lock (portal.transactions.unit_of_work)
# finds its connection already open; harmless here, noisy otherwise.
pytestmark = pytest.mark.filterwarnings("ignore:Connection is already established:sqlalchemy.exc.SAWarning")


@pytest.fixture(scope="module")
def catalogue(demo_app):
    with demo_app.app_context():
        listings = db.session.scalars(
            select(Listing).options(selectinload(Listing.locations), selectinload(Listing.organisation))
        ).all()
        organisations = db.session.scalars(select(Organisation)).all()
        users = db.session.scalars(select(User)).all()
        yield listings, organisations, users


def published(catalogue):
    return [listing for listing in catalogue[0] if listing.status == "published"]


def test_size_and_every_kind(catalogue):
    listings, organisations, _ = catalogue
    assert len(published(catalogue)) >= 250
    assert len(organisations) >= 80
    assert {listing.kind for listing in published(catalogue)} == set(vocab.LISTING_KINDS.codes)
    assert len({listing.organisation_id for listing in published(catalogue)}) >= 80


def test_every_province_and_brussels_over_many_municipalities(catalogue):
    regions = Counter(region for listing in published(catalogue) for location in listing.locations
                      for region in [location.region])
    assert set(regions) == set(vocab.REGIONS.codes)
    assert min(regions.values()) >= 10
    municipalities = {location.municipality_code for listing in published(catalogue) for location in listing.locations}
    assert len(municipalities) >= 100
    assert any(listing.flanders_wide for listing in published(catalogue))
    assert any(listing.online for listing in published(catalogue))


@pytest.mark.parametrize("vocabulary, values", [
    (vocab.TARGET_GROUPS, lambda listing: listing.target_groups),
    (vocab.THEMES, lambda listing: listing.themes),
    (vocab.DISCIPLINES, lambda listing: listing.disciplines),
    (vocab.FORMATS, lambda listing: listing.formats),
    (vocab.COSTS, lambda listing: [listing.cost]),
    (vocab.LISTING_KINDS, lambda listing: [listing.kind]),
    (vocab.AGE_GROUP_VOCABULARY, lambda listing: listing.age_groups),
    (vocab.SCHEDULES, lambda listing: [listing.schedule]),
], ids=lambda v: getattr(v, "name", ""))
def test_every_vocabulary_value_is_used_at_least_three_times(catalogue, vocabulary, values):
    used = Counter(code for listing in published(catalogue) for code in values(listing))
    assert {code: used[code] for code in vocabulary.codes if used[code] < 3} == {}


def test_past_current_and_upcoming_activities(catalogue):
    now = today()
    dated = [listing for listing in published(catalogue) if listing.start_date]
    assert sum(listing.is_past(now) for listing in dated) >= 10
    assert sum(listing.start_date <= now and not listing.is_past(now) for listing in dated) >= 10
    assert sum(listing.start_date > now for listing in dated) >= 30
    assert sum(listing.schedule == "permanent" for listing in published(catalogue)) >= 20


def test_moderation_states_and_audit_trail(catalogue):
    statuses = Counter(listing.status for listing in catalogue[0])
    assert statuses["pending"] >= 3 and statuses["rejected"] >= 3
    for listing in catalogue[0]:
        assert listing.status_changes[-1].to_status == listing.status
        if listing.status == "rejected":
            assert listing.status_changes[-1].reason


def test_descriptions_are_written_not_templated(catalogue):
    descriptions = [listing.description for listing in published(catalogue)]
    assert len(set(descriptions)) == len(descriptions)
    lengths = sorted(len(text) for text in descriptions)
    assert lengths[0] < 300 and lengths[-1] > 900  # short notes and long texts
    # No two descriptions of one organisation are near copies with a few words swapped.
    by_organisation = {}
    for listing in published(catalogue):
        by_organisation.setdefault(listing.organisation_id, []).append(listing.description)
    for texts in by_organisation.values():
        for first, second in combinations(texts, 2):
            assert SequenceMatcher(None, first, second).ratio() < 0.6


def test_invented_organisations_carry_no_real_contact_details(catalogue):
    listings, organisations, users = catalogue
    addresses = [o.public_email for o in organisations] + [item.contact_email for item in listings] + [u.email for u in users]
    assert all(address.endswith(".example") for address in addresses if address)
    websites = [o.website for o in organisations] + [item.provider_url for item in listings]
    assert all(".example" in url for url in websites if url)
    assert not any(listing.contact_phone for listing in listings)


def test_demo_accounts(catalogue):
    users = {user.email: user for user in catalogue[2]}
    for email, _name, password, is_admin, slug in loader.DEMO_ACCOUNTS:
        user = users[email]
        assert user.is_admin == is_admin
        assert verify_password(user.password_hash, password)
        assert not verify_password(user.password_hash, password + "x")
        assert [m.organisation.slug for m in user.memberships] == ([slug] if slug else [])


def test_loading_twice_is_refused_by_if_empty(demo_app):
    result = demo_app.test_cli_runner().invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0
    assert "not empty" in result.output


@pytest.mark.parametrize("day", [date(2026, 11, 22), date(2026, 11, 28), date(2027, 4, 22), date(2027, 7, 21),
                                 date(2028, 2, 29), date(2026, 5, 1)])
def test_dates_move_by_whole_weeks_so_today_sits_where_the_anchor_was(day):
    shift = loader.date_shift(day)
    assert shift.days % 7 == 0  # weekdays stay weekdays
    assert 0 <= (day - (loader.ANCHOR + shift)).days < 7


def test_a_broken_seed_file_is_reported_and_leaves_nothing(app, tmp_path):
    (tmp_path / "broken.toml").write_text('''
[[organisations]]
slug = "kapot"
name = "Kapotte vzw"
kind = "nonprofit"
municipality = "71016"
description = "x"
  [[organisations.listings]]
  kind = "activity"
  title = "Een kamp zonder einde"
  summary = "Een kamp waarvan de einddatum voor de begindatum ligt."
  url = "https://kapot.example"
  target_groups = ["everyone"]
  disciplines = ["science"]
  formats = ["camp"]
  cost = "free"
  schedule = "series"
  start_date = 2027-07-10
  end_date = 2027-07-01
  online = true
''')
    with pytest.raises(loader.SeedError, match="broken.toml: kapot"):
        loader.load(today(), tmp_path)
    db.session.rollback()
    assert db.session.scalar(select(db.func.count()).select_from(Organisation)) == 0
