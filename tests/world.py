"""A small catalogue for workplace tests: organisations A (verified) and B, their members, an admin, and
A's listings in each state. Built through the services, as the application does."""

from __future__ import annotations

from dataclasses import dataclass

from portal.accounts.models import Membership, User
from portal.catalogue import services
from portal.catalogue.models import Listing, Organisation
from portal.extensions import db
from tests.factories import ListingInputFactory, OrganisationInputFactory, make_user
from tests.forms import PASSWORD


@dataclass
class World:
    admin: User
    member_a: User
    member_b: User
    org_a: Organisation
    org_b: Organisation
    draft: Listing
    pending: Listing
    published: Listing
    rejected: Listing


def user(email: str, is_admin: bool = False) -> User:
    """A confirmed user with the tests' password (tests.forms.PASSWORD), who logs in through the login form."""
    return make_user(email, is_admin=is_admin, password=PASSWORD)


def build_world() -> World:
    admin = user("moderator@test.example", is_admin=True)
    member_a, member_b = user("lid.a@test.example"), user("lid.b@test.example")
    org_a = services.create_organisation(admin, OrganisationInputFactory(name="Robotclub Alfa"))
    org_b = services.create_organisation(admin, OrganisationInputFactory(name="Codeclub Beta"))
    db.session.add_all([Membership(user=member_a, organisation=org_a), Membership(user=member_b, organisation=org_b)])
    services.verify_organisation(admin, org_a)
    listings = {}
    for state in ("draft", "pending", "published", "rejected"):
        listing = services.create_listing(member_a, org_a, ListingInputFactory(title=f"Robotles {state}"))
        if state != "draft":
            services.submit_listing(member_a, listing)
        if state == "published":
            services.publish_listing(admin, listing)
        if state == "rejected":
            services.reject_listing(admin, listing, "Vermeld de prijs.")
        listings[state] = listing
    db.session.commit()
    return World(admin=admin, member_a=member_a, member_b=member_b, org_a=org_a, org_b=org_b, **listings)
