"""The catalogue's services: workflow, audit trail, policy and the search index following commits."""

import pytest
from sqlalchemy import select

from portal.catalogue import policy, services
from portal.catalogue.models import Listing, ListingStatusChange
from portal.domain import InvalidTransition, PermissionDenied, ValidationFailed
from portal.extensions import db
from portal.search.sync import search_index
from search_index import SearchQuery
from tests.factories import ListingInputFactory, OrganisationInputFactory, make_user


@pytest.fixture
def admin(app):
    return make_user("moderator@test.example", is_admin=True)


@pytest.fixture
def member(app):
    return make_user("lid@test.example")


@pytest.fixture
def organisation(admin, member):
    organisation = services.create_organisation(member, OrganisationInputFactory(name="Robotclub Genk"))
    services.verify_organisation(admin, organisation)
    db.session.commit()
    return organisation


def indexed_ids():
    return set(search_index().search(SearchQuery(page_size=1000)).ids)


def test_the_creator_of_an_organisation_becomes_its_member(member, organisation):
    assert [m.user for m in organisation.memberships] == [member]
    assert organisation.slug == "robotclub-genk"
    assert organisation.is_verified


def test_full_workflow_is_recorded_in_the_audit_trail(admin, member, organisation):
    listing = services.create_listing(member, organisation, ListingInputFactory())
    services.submit_listing(member, listing)
    services.reject_listing(admin, listing, "Vermeld de prijs en het adres.")
    services.submit_listing(member, listing)
    services.publish_listing(admin, listing)
    services.archive_listing(member, listing, "Seizoen voorbij")
    db.session.commit()

    changes = db.session.scalars(
        select(ListingStatusChange).where(ListingStatusChange.listing_id == listing.id).order_by(ListingStatusChange.id)
    ).all()
    assert [(c.from_status, c.to_status) for c in changes] == [
        (None, "draft"), ("draft", "pending"), ("pending", "rejected"), ("rejected", "pending"),
        ("pending", "published"), ("published", "archived"),
    ]
    assert [c.actor for c in changes] == [member, member, admin, member, admin, member]
    assert changes[2].reason == "Vermeld de prijs en het adres."
    assert all(c.at.tzinfo is not None for c in changes)
    assert listing.published_at is not None


def test_transitions_that_the_workflow_does_not_allow_are_refused(admin, member, organisation):
    listing = services.create_listing(member, organisation, ListingInputFactory())
    with pytest.raises(InvalidTransition):
        services.publish_listing(admin, listing)  # a draft must be submitted first
    services.submit_listing(member, listing)
    with pytest.raises(ValidationFailed) as refused:
        services.reject_listing(admin, listing, "   ")
    assert "reason" in refused.value.errors
    assert listing.status == "pending"


def test_members_cannot_moderate_and_other_organisations_cannot_touch(admin, member, organisation):
    outsider = make_user("ander@test.example")
    listing = services.create_listing(member, organisation, ListingInputFactory())
    with pytest.raises(PermissionDenied):
        services.create_listing(outsider, organisation, ListingInputFactory())
    with pytest.raises(PermissionDenied):
        services.submit_listing(outsider, listing)
    services.submit_listing(member, listing)
    with pytest.raises(PermissionDenied):
        services.publish_listing(member, listing)
    with pytest.raises(PermissionDenied):
        services.verify_organisation(member, organisation)


def test_listings_of_unverified_organisations_cannot_be_published(admin, member):
    unverified = services.create_organisation(member, OrganisationInputFactory())
    listing = services.create_listing(member, unverified, ListingInputFactory())
    services.submit_listing(member, listing)
    with pytest.raises(InvalidTransition):
        services.publish_listing(admin, listing)


def test_invalid_input_changes_nothing(member, organisation):
    before = db.session.scalar(select(db.func.count()).select_from(Listing))
    with pytest.raises(ValidationFailed) as refused:
        services.create_listing(member, organisation, ListingInputFactory(provider_url="javascript:alert(1)"))
    assert set(refused.value.errors) == {"provider_url"}
    db.session.commit()
    assert db.session.scalar(select(db.func.count()).select_from(Listing)) == before


def test_slugs_stay_unique(member, organisation):
    first = services.create_listing(member, organisation, ListingInputFactory(title="Robotkamp Genk"))
    db.session.flush()
    second = services.create_listing(member, organisation, ListingInputFactory(title="Robotkamp Genk!"))
    assert (first.slug, second.slug) == ("robotkamp-genk", "robotkamp-genk-2")


def test_the_index_follows_commits_and_ignores_rollbacks(admin, member, organisation):
    listing = services.create_listing(member, organisation, ListingInputFactory(title="Zonnewagen bouwen"))
    services.submit_listing(member, listing)
    services.publish_listing(admin, listing)
    db.session.flush()
    assert str(listing.id) not in indexed_ids()  # not before the commit
    db.session.rollback()
    assert indexed_ids() == set()

    listing = services.create_listing(member, organisation, ListingInputFactory(title="Zonnewagen bouwen"))
    services.submit_listing(member, listing)
    services.publish_listing(admin, listing)
    db.session.commit()
    assert indexed_ids() == {str(listing.id)}

    services.archive_listing(admin, listing)
    db.session.commit()
    assert indexed_ids() == set()


def test_withdraw_returns_a_submission_to_draft(member, organisation):
    listing = services.create_listing(member, organisation, ListingInputFactory())
    services.submit_listing(member, listing)
    services.withdraw_listing(member, listing)
    assert listing.status == "draft"
    with pytest.raises(InvalidTransition):
        services.withdraw_listing(member, listing)


def test_add_member_checks_policy_role_and_duplicates(admin, member, organisation):
    colleague = make_user("collega@test.example")
    outsider = make_user("buiten@test.example")
    with pytest.raises(PermissionDenied):
        services.add_member(outsider, organisation, colleague)
    with pytest.raises(ValidationFailed):
        services.add_member(member, organisation, colleague, role="koning")
    services.add_member(member, organisation, colleague)
    db.session.flush()
    with pytest.raises(ValidationFailed):
        services.add_member(admin, organisation, colleague)


def test_who_sees_unpublished_listings_and_unverified_organisations(admin, member, organisation, client):
    outsider = make_user("buiten@test.example")
    draft = services.create_listing(member, organisation, ListingInputFactory())
    unverified = services.create_organisation(member, OrganisationInputFactory(name="Nog niet geverifieerd"))
    db.session.commit()
    assert policy.can_view_listing(member, draft) and policy.can_view_listing(admin, draft)
    assert not policy.can_view_listing(outsider, draft) and not policy.can_view_listing(None, draft)
    assert policy.can_view_organisation(member, unverified) and not policy.can_view_organisation(None, unverified)
    assert client.get(f"/aanbod/{draft.slug}").status_code == 404
    assert client.get(f"/organisaties/{unverified.slug}").status_code == 404
    assert client.get(f"/organisaties/{organisation.slug}").status_code == 200
