"""External ids (an imported file's own ids): unique per organisation, kept when a form's revision is approved."""

import pytest

from portal.catalogue import services
from portal.domain import ValidationFailed
from portal.extensions import db
from portal.moderation import services as moderation
from portal.submissions import services as submissions
from tests.factories import ListingInputFactory, OrganisationInputFactory, make_user


@pytest.fixture
def admin(app):
    return make_user("moderator@test.example", is_admin=True)


def test_external_ids_are_unique_per_organisation(admin):
    first = services.create_organisation(admin, OrganisationInputFactory(external_id="org-1"))
    second = services.create_organisation(admin, OrganisationInputFactory(external_id="org-2"))
    db.session.flush()
    with pytest.raises(ValidationFailed) as error:
        services.create_organisation(admin, OrganisationInputFactory(external_id="org-1"))
    assert "external_id" in error.value.errors
    services.create_listing(admin, first, ListingInputFactory(external_id="a"))
    db.session.flush()
    with pytest.raises(ValidationFailed) as error:
        services.create_listing(admin, first, ListingInputFactory(external_id="a"))
    assert "external_id" in error.value.errors
    services.create_listing(admin, second, ListingInputFactory(external_id="a"))  # another organisation
    db.session.flush()


def test_a_given_slug_is_kept_and_must_be_free(admin):
    organisation = services.create_organisation(admin, OrganisationInputFactory())
    listing = services.create_listing(admin, organisation, ListingInputFactory(slug="robotclub-genk-2027"))
    db.session.flush()
    assert listing.slug == "robotclub-genk-2027"
    with pytest.raises(ValidationFailed) as error:
        services.create_listing(admin, organisation, ListingInputFactory(slug="robotclub-genk-2027"))
    assert "slug" in error.value.errors


def test_an_approved_revision_from_a_form_keeps_the_external_id(admin):
    organisation = services.create_organisation(admin, OrganisationInputFactory())
    services.verify_organisation(admin, organisation)
    listing = services.create_listing(admin, organisation, ListingInputFactory(external_id="kamp-1"))
    services.submit_listing(admin, listing)
    services.publish_listing(admin, listing)
    revision = submissions.propose_revision(admin, listing, ListingInputFactory(title="Een nieuwe titel"))
    moderation.approve_revision(admin, revision)
    db.session.commit()
    assert listing.title == "Een nieuwe titel" and listing.external_id == "kamp-1"
