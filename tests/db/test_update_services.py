"""Updating organisations and listings in place (used by the import): policy, rules, and the index following."""

import pytest

from portal.catalogue import services
from portal.domain import PermissionDenied, ValidationFailed
from portal.extensions import db
from portal.search.sync import search_index
from search_index import SearchQuery
from tests.factories import ListingInputFactory, OrganisationInputFactory, make_user


@pytest.fixture
def people(app):
    return make_user("moderator@test.example", is_admin=True), make_user("lid@test.example"), make_user("ander@test.example")


@pytest.fixture
def published(people):
    admin, member, _ = people
    organisation = services.create_organisation(member, OrganisationInputFactory(name="Robotclub Genk"))
    services.verify_organisation(admin, organisation)
    listing = services.create_listing(member, organisation, ListingInputFactory(title="Robotclub op woensdag"))
    services.submit_listing(member, listing)
    services.publish_listing(admin, listing)
    db.session.commit()
    return listing


def test_a_member_may_not_change_a_published_listing_in_place(people, published):
    _, member, stranger = people
    with pytest.raises(PermissionDenied):
        services.update_listing(member, published, ListingInputFactory(title="Stiekem anders"))
    with pytest.raises(PermissionDenied):
        services.update_listing(stranger, published, ListingInputFactory(title="Stiekem anders"))


def test_an_admin_update_keeps_the_slug_and_reaches_the_index(people, published):
    admin, _, _ = people
    services.update_listing(admin, published, ListingInputFactory(title="Robotclub op zaterdag", slug="genegeerd"))
    db.session.commit()
    assert published.slug == "robotclub-op-woensdag" and published.title == "Robotclub op zaterdag"
    assert search_index().search(SearchQuery(text="zaterdag")).ids == [str(published.id)]


def test_an_update_follows_the_same_rules_as_a_new_listing(people, published):
    admin, _, _ = people
    with pytest.raises(ValidationFailed) as error:
        services.update_listing(admin, published, ListingInputFactory(min_age=12, max_age=9))
    assert "max_age" in error.value.errors


def test_renaming_an_organisation_updates_its_listings_in_the_index(people, published):
    admin, member, stranger = people
    data = OrganisationInputFactory(name="Robotclub Genk vzw")
    with pytest.raises(PermissionDenied):
        services.update_organisation(stranger, published.organisation, data)
    services.update_organisation(member, published.organisation, data)
    db.session.commit()
    assert search_index().search(SearchQuery(text="robotclub")).hits[0].display["organisation"] == "Robotclub Genk vzw"


def test_external_ids_are_unique(people, published):
    admin, member, _ = people
    first = services.create_organisation(admin, OrganisationInputFactory(external_id="org-1"))
    db.session.flush()
    with pytest.raises(ValidationFailed):
        services.create_organisation(admin, OrganisationInputFactory(external_id="org-1"))
    services.create_listing(admin, first, ListingInputFactory(external_id="a"))
    db.session.flush()
    with pytest.raises(ValidationFailed):
        services.create_listing(admin, first, ListingInputFactory(external_id="a"))
    services.create_listing(admin, published.organisation, ListingInputFactory(external_id="a"))  # per organisation
