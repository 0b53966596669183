"""Every saved location gets a point: the organisation's, else the postcode's reference point; a point outside
Belgium or half a point is refused."""

import pytest

from portal.catalogue import services
from portal.catalogue.inputs import listing_errors
from portal.domain import ValidationFailed
from portal.extensions import db
from portal.reference import places
from tests.factories import ListingInputFactory, LocationInputFactory, OrganisationInputFactory, make_user


@pytest.fixture
def organisation(app):
    member = make_user("lid@test.example")
    organisation = services.create_organisation(member, OrganisationInputFactory(name="Robotclub Genk"))
    db.session.commit()
    return member, organisation


def test_a_location_without_a_point_gets_its_postcodes_point(organisation):
    member, org = organisation
    listing = services.create_listing(member, org, ListingInputFactory())
    db.session.commit()
    location = listing.locations[0]
    assert location.point_source == "postcode"
    assert (location.latitude, location.longitude) == places.by_postcode("3600").point
    assert location.given_point == (None, None)  # not the organisation's: found again on the next save


def test_the_organisations_point_is_kept_and_marked_as_its_own(organisation):
    member, org = organisation
    data = ListingInputFactory(locations=[LocationInputFactory(latitude=50.9812, longitude=5.4863)])
    listing = services.create_listing(member, org, data)
    db.session.commit()
    location = listing.locations[0]
    assert (location.latitude, location.longitude, location.point_source) == (50.9812, 5.4863, "organisation")
    assert location.given_point == (50.9812, 5.4863)


@pytest.mark.parametrize(("latitude", "longitude"), [(48.85, 2.35), (50.9, None), (None, 5.3), (0.0, 0.0)])
def test_a_point_outside_belgium_or_half_a_point_is_refused(organisation, latitude, longitude):
    member, org = organisation
    data = ListingInputFactory(locations=[LocationInputFactory(latitude=latitude, longitude=longitude)])
    assert "locations-0" in listing_errors(data)
    with pytest.raises(ValidationFailed):
        services.create_listing(member, org, data)
