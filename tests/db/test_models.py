"""Constraints the database itself enforces, whatever the code above it does."""

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from portal.catalogue import services
from portal.catalogue.models import Listing, Location
from portal.extensions import db
from tests.factories import ListingInputFactory, OrganisationInputFactory, make_user


@pytest.fixture
def listing(app):
    member = make_user()
    organisation = services.create_organisation(member, OrganisationInputFactory())
    listing = services.create_listing(member, organisation, ListingInputFactory())
    db.session.commit()
    return listing


@pytest.mark.parametrize("values", [
    {"status": "gepubliceerd"},
    {"min_age": 12, "max_age": 6},
    {"min_age": -3},
])
def test_check_constraints(listing, values):
    with pytest.raises(IntegrityError):
        db.session.execute(update(Listing).where(Listing.id == listing.id).values(**values))
        db.session.flush()
    db.session.rollback()


def test_foreign_keys_are_enforced(listing):
    db.session.add(Location(listing_id=listing.id + 1000, address="Nergensstraat 1", postcode="3600",
                            municipality_code="71016"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_timestamps_come_back_aware_and_lists_round_trip(listing):
    listing_id = listing.id
    db.session.expire_all()
    stored = db.session.get(Listing, listing_id)
    assert stored.created_at.tzinfo is not None
    assert stored.target_groups == ["girls", "everyone"]
    assert stored.regions == ["limburg"]
    assert stored.age_groups == ["primary", "sec1"]
