"""An organisation member's work on listings: create, edit (in place or as a revision), submit, withdraw.

Every function takes the acting user explicitly, checks policy and never commits. A listing the actor may
not edit is reported as NotFound, so ids of other organisations' listings reveal nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.catalogue import policy
from portal.catalogue import services as catalogue
from portal.catalogue.inputs import ListingInput, LocationInput, availability_of, listing_errors, with_audience
from portal.catalogue.models import Listing, ListingStatusChange, Organisation, listing_details
from portal.catalogue.workflow import CHANGES, LISTING, REVISION
from portal.database import utcnow
from portal.domain import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from portal.extensions import db
from portal.submissions import codec, places
from portal.submissions.models import ListingRevision
from portal.text import fold


@dataclass
class PlaceInput:
    """A location as typed: the place is "gemeente of postcode", resolved by `resolve_places`."""

    address: str
    place: str
    name: str | None = None
    latitude: float | None = None  # the point the organisation corrected, else found by the services
    longitude: float | None = None


def resolve_places(data: ListingInput, typed: list[PlaceInput]) -> ListingInput:
    """`data` with its locations resolved from the typed places; errors are keyed `locations-<i>-place`."""
    errors, locations = {}, []
    for index, location in enumerate(typed):
        try:
            postcode, municipality = places.resolve(location.place)
        except places.PlaceNotResolved as problem:
            errors[f"locations-{index}-place"] = [problem.message]
            postcode, municipality = "", None
        locations.append(LocationInput(address=location.address, postcode=postcode,
                                       municipality_code=municipality.code if municipality else "",
                                       name=location.name, latitude=location.latitude,
                                       longitude=location.longitude))
    if errors:
        rule_errors = listing_errors(replace(data, locations=[]))  # report the other fields' problems too
        rule_errors.pop("locations", None)
        raise ValidationFailed({**rule_errors, **errors})
    return replace(data, locations=locations)


def input_errors(data: ListingInput, typed: list[PlaceInput]) -> dict[str, list]:
    """Every rule the input breaks, without saving: lets a form show all its problems at once."""
    try:
        return listing_errors(resolve_places(data, typed))
    except ValidationFailed as failure:
        return failure.errors


def typed_places(data: ListingInput) -> list[PlaceInput]:
    """The locations of `data` as the form shows them."""
    return [PlaceInput(address=location.address, place=places.describe(location.postcode, location.municipality_code),
                       name=location.name, latitude=location.latitude, longitude=location.longitude)
            for location in data.locations]


# Reading

def member_organisations(actor: User) -> list[Organisation]:
    organisations = [membership.organisation for membership in actor.memberships]
    return sorted(organisations, key=lambda organisation: fold(organisation.name))


def organisation_for_new_listing(actor: User, slug: str | None) -> Organisation | None:
    """The organisation a new listing is for; None when the actor must still choose among several."""
    if slug:
        organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
        if organisation is None or not policy.can_create_listing(actor, organisation):
            raise NotFound(_l("Deze organisatie bestaat niet, of je bent er geen lid van."))
        return organisation
    mine = member_organisations(actor)
    if not mine and not policy.is_admin(actor):
        raise PermissionDenied(_l("Je bent nog geen lid van een organisatie."))
    return mine[0] if len(mine) == 1 else None


def listings_of_member(actor: User) -> list[tuple[Organisation, list[Listing]]]:
    """The actor's organisations with all their listings (every state), newest change first."""
    result = []
    for organisation in member_organisations(actor):
        listings = db.session.scalars(
            select(Listing).where(Listing.organisation_id == organisation.id).order_by(Listing.updated_at.desc())
        ).all()
        result.append((organisation, listings))
    return result


def listing_for_editor(actor: User, listing_id: int) -> Listing:
    listing = db.session.scalar(
        select(Listing).where(Listing.id == listing_id)
        .options(*listing_details(), selectinload(Listing.status_changes).selectinload(ListingStatusChange.actor))
    )
    if listing is None or not policy.can_edit_listing(actor, listing):
        raise NotFound(_l("Dit aanbod bestaat niet, of het hoort niet bij jouw organisatie."))
    return listing


def pending_revision(listing: Listing) -> ListingRevision | None:
    return db.session.scalar(
        select(ListingRevision).where(ListingRevision.listing_id == listing.id,
                                     ListingRevision.status == REVISION.initial)
    )


def pending_revision_ids(listing_ids: list[int]) -> set[int]:
    """Which of these listings have a pending revision (one query for a whole list)."""
    if not listing_ids:
        return set()
    return set(db.session.scalars(
        select(ListingRevision.listing_id)
        .where(ListingRevision.listing_id.in_(listing_ids), ListingRevision.status == REVISION.initial)
    ))


def editable_input(actor: User, listing: Listing) -> ListingInput:
    """What the edit form starts from: the pending revision when there is one, else the listing itself."""
    if not policy.can_edit_listing(actor, listing):
        raise NotFound(_l("Dit aanbod bestaat niet, of het hoort niet bij jouw organisatie."))
    revision = pending_revision(listing)
    if revision is None:
        return codec.from_listing(listing)
    return replace(codec.from_json(revision.data), **availability_of(listing))  # the live availability


# Changing

def create_listing(actor: User, organisation: Organisation, data: ListingInput, submit: bool) -> Listing:
    listing = catalogue.create_listing(actor, organisation, data)
    if submit:
        catalogue.submit_listing(actor, listing)
    return listing


def require_changeable(actor: User, listing: Listing) -> None:
    """Refuse to change what waits for a moderator or is archived: the edit page and the write API ask this."""
    if not CHANGES & policy.available_actions(actor, listing):
        raise InvalidTransition(_l("Aanbod dat wacht op goedkeuring of gearchiveerd is, kun je niet bewerken. "
                                   "Trek het eerst in om het aan te passen."))


def save_listing(actor: User, listing: Listing, data: ListingInput, submit: bool) -> ListingRevision | None:
    """Edit a listing as its organisation may: a draft or rejected listing changes in place (and is submitted
    when asked); a published one gets a pending revision (one per listing: editing again updates it, and
    records that in the audit trail) and stays live, unchanged, until a moderator approves it; only its
    availability changes at once. Returns the revision, if one was made."""
    if not policy.can_edit_listing(actor, listing):
        raise NotFound(_l("Dit aanbod bestaat niet, of het hoort niet bij jouw organisatie."))
    require_changeable(actor, listing)
    if "propose_change" in policy.available_actions(actor, listing):
        return propose_revision(actor, listing, data)
    catalogue.update_listing(actor, listing, data)
    if submit:
        catalogue.submit_listing(actor, listing)
    return None


def propose_revision(actor: User, listing: Listing, data: ListingInput) -> ListingRevision | None:
    """A published listing's change: its availability applies at once (catalogue.set_availability), the rest
    waits for a moderator as a revision. Returns the revision; None when only the availability changed."""
    if not policy.can_edit_listing(actor, listing):
        raise NotFound(_l("Dit aanbod bestaat niet, of het hoort niet bij jouw organisatie."))
    if not LISTING.allows("propose_change", listing.status):
        raise InvalidTransition(_l("Alleen voor gepubliceerd aanbod stel je een wijziging voor."))
    catalogue.require_listing_kind(actor, data.kind, listing.kind)
    errors = listing_errors(data)
    if errors:
        raise ValidationFailed(errors)
    catalogue.confirmed_by_change(actor, listing)
    availability_changed = catalogue.set_availability(actor, listing, availability_of(data))
    data = replace(with_audience(data), **availability_of(listing))
    revision = pending_revision(listing)
    if revision is None and codec.to_json(data) == codec.to_json(codec.from_listing(listing)):
        if availability_changed:
            return None
        raise ValidationFailed({"form": [_l("Je wijzigde niets aan de gepubliceerde versie.")]})
    if revision is None:
        revision = ListingRevision(listing=listing, author=actor, data=codec.to_json(data),
                                   status=REVISION.initial)
        db.session.add(revision)
        listing.status_changes.append(
            ListingStatusChange(actor=actor, from_status=None, to_status=revision.status, revision=revision)
        )
    elif codec.to_json(data) != revision.data:
        # A moderator may be reading the revision right now: the trail shows that it changed after it was
        # proposed, and its new version (updated_at) makes a decision on the old one fail.
        revision.data, revision.author = codec.to_json(data), actor
        listing.status_changes.append(
            ListingStatusChange(actor=actor, from_status=revision.status, to_status=revision.status,
                                revision=revision)
        )
    return revision


def submit(actor: User, listing: Listing) -> None:
    if not policy.can_submit_listing(actor, listing):
        raise NotFound(_l("Dit aanbod bestaat niet, of het hoort niet bij jouw organisatie."))
    catalogue.submit_listing(actor, listing)


def withdraw(actor: User, listing: Listing) -> None:
    """Take back what waits for a moderator: a pending listing returns to draft, a pending revision is dropped."""
    if not policy.can_edit_listing(actor, listing):
        raise NotFound(_l("Dit aanbod bestaat niet, of het hoort niet bij jouw organisatie."))
    revision = pending_revision(listing)
    if revision is not None:
        close_revision(actor, revision, "withdraw")
    else:
        catalogue.withdraw_listing(actor, listing)


def close_revision(actor: User, revision: ListingRevision, action: str, reason: str | None = None,
                   quality_checks: list[str] | None = None) -> None:
    """End a pending revision by `action` (approve, reject or withdraw) and record it in the listing's audit
    trail."""
    status = REVISION.next_state(action, revision.status)
    revision.listing.status_changes.append(ListingStatusChange(
        actor=actor, from_status=revision.status, to_status=status, reason=(reason or "").strip() or None,
        revision=revision, quality_checks=quality_checks,
    ))
    revision.status, revision.reason = status, (reason or "").strip() or None
    revision.decided_at = utcnow()
