"""The catalogue's operations, shared by the HTML views, the API, imports and the CLI.

Every function takes the acting user explicitly, checks policy, changes the session and raises a
DomainError when a rule refuses. None of them commits: the request or CLI command commits once.
"""

from __future__ import annotations

from dataclasses import replace

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from portal import clock, geocoding
from portal.accounts.models import Membership, User
from portal.catalogue import fields, policy, vocab
from portal.catalogue.inputs import (
    ListingInput,
    OrganisationInput,
    availability_errors,
    availability_of,
    listing_errors,
    organisation_errors,
    with_audience,
)
from portal.catalogue.models import Listing, ListingStatusChange, Location, Organisation
from portal.catalogue.workflow import LISTING
from portal.database import utcnow
from portal.domain import InvalidTransition, PermissionDenied, ValidationFailed
from portal.extensions import db
from portal.organisations import details, history
from portal.search import sync
from portal.security_log import events, record
from portal.text import slugify


def _unique_slug(model, text: str) -> str:
    base = slugify(text)
    slug, counter = base, 2
    while db.session.scalar(select(model.id).where(model.slug == slug)) is not None:  # an index lookup each
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _clean(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


# Organisations

def create_organisation(actor: User, data: OrganisationInput) -> Organisation:
    """Register an organisation; a non-admin creator becomes its first member. Unverified until an admin verifies."""
    if not policy.can_create_organisation(actor):
        raise PermissionDenied(_l("Meld je aan om een organisatie te registreren."))
    errors = organisation_errors(data)
    if data.slug and db.session.scalar(select(Organisation.id).where(Organisation.slug == data.slug)):
        errors.setdefault("slug", []).append(_l("Deze webnaam is al in gebruik."))
    if data.external_id and db.session.scalar(
        select(Organisation.id).where(Organisation.external_id == data.external_id)
    ):
        errors.setdefault("external_id", []).append(_l("Deze externe id is al in gebruik."))
    if errors:
        raise ValidationFailed(errors)
    organisation = Organisation(
        external_id=_clean(data.external_id),
        name=data.name.strip(),
        slug=data.slug or _unique_slug(Organisation, data.name),
        kind=data.kind,
        website=_clean(data.website),
        public_email=_clean(data.public_email),
        description=(data.description or "").strip(),
        municipality_code=data.municipality_code,
        charter_signed_on=data.charter_signed_on,
        charter_commitment=_clean(data.charter_commitment),
        confirmed_at=clock.now(),
    )
    db.session.add(organisation)
    if not policy.is_admin(actor):
        db.session.add(Membership(user=actor, organisation=organisation, role=policy.OWNER))
    history.record(organisation, actor, "created", details.changed({}, details.current(organisation)))
    return organisation


def verify_organisation(actor: User, organisation: Organisation) -> None:
    if not policy.can_verify_organisation(actor):
        raise PermissionDenied(_l("Alleen moderatoren kunnen organisaties verifiëren."))
    if organisation.verified_at is None:
        organisation.verified_at = utcnow()
        mark_confirmed(organisation)
        history.record(organisation, actor, "verified")
        record(events.ORGANISATION_VERIFIED, actor, target=organisation)


def check_role(role: str | None) -> None:
    if role not in vocab.MEMBERSHIP_ROLES:
        raise ValidationFailed({"role": [_l("Kies een rol: eigenaar of redacteur.")]})


def add_member(actor: User, organisation: Organisation, user: User, role: str = policy.NEW_MEMBER_ROLE) -> Membership:
    if not policy.can_manage_members(actor, organisation):
        raise PermissionDenied(_l("Alleen leden van de organisatie kunnen collega's toevoegen."))
    check_role(role)
    if policy.is_member(user, organisation):
        raise ValidationFailed({"user": [_l("Deze persoon is al lid van de organisatie.")]})
    membership = Membership(user=user, organisation=organisation, role=role)
    db.session.add(membership)
    record(events.MEMBER_ADDED, actor, target=organisation, member=user.id, role=role)
    return membership


# Listings

def _apply(listing: Listing, data: ListingInput) -> None:
    for spec in fields.LISTING_FIELDS:
        if spec.type != "locations":
            setattr(listing, spec.name, spec.stored(getattr(data, spec.name)))
    listing.audience = with_audience(data).audience
    listing.external_id = _clean(data.external_id) or listing.external_id  # forms carry none; imports keep theirs
    listing.locations = [
        Location(
            name=_clean(location.name),
            address=location.address.strip(),
            postcode=location.postcode,
            municipality_code=location.municipality_code,
            **_point(location),
        )
        for location in data.locations
    ]


def _point(location) -> dict:
    """A location's latitude, longitude and point source: the one given, else the geocoder's."""
    if location.latitude is not None and location.longitude is not None:
        return {"latitude": location.latitude, "longitude": location.longitude, "point_source": "organisation"}
    found = geocoding.locate(location.address, location.postcode, location.municipality_code)
    if found is None:
        return {}
    return {"latitude": found.latitude, "longitude": found.longitude, "point_source": found.source}


def require_listing_kind(actor: User, kind: str, current_kind: str | None = None) -> None:
    """Refuse a kind the actor may not give the listing (a charter signatory listing comes from signing the
    STEM-charter, verified by a moderator)."""
    if not policy.can_use_listing_kind(actor, kind, current_kind):
        raise ValidationFailed({"kind": [_l("Een charterondertekening maak je niet zelf aan: onderteken het "
                                            "STEM-charter op de pagina van je organisatie.")]})


def create_listing(actor: User, organisation: Organisation, data: ListingInput) -> Listing:
    """A new listing of `organisation`, as a draft."""
    if not policy.can_create_listing(actor, organisation):
        raise PermissionDenied(_l("Je kunt alleen aanbod toevoegen voor je eigen organisatie."))
    require_listing_kind(actor, data.kind)
    errors = listing_errors(data)
    if data.slug and db.session.scalar(select(Listing.id).where(Listing.slug == data.slug)):
        errors.setdefault("slug", []).append(_l("Deze webnaam is al in gebruik."))
    if data.external_id and organisation.id is not None and db.session.scalar(select(Listing.id).where(
        Listing.organisation_id == organisation.id, Listing.external_id == data.external_id
    )):
        errors.setdefault("external_id", []).append(_l("Deze externe id is al in gebruik bij deze organisatie."))
    if errors:
        raise ValidationFailed(errors)
    listing = Listing(organisation=organisation, slug=data.slug or _unique_slug(Listing, data.title),
                      status=LISTING.initial)
    _apply(listing, data)
    db.session.add(listing)
    listing.status_changes.append(ListingStatusChange(actor=actor, from_status=None, to_status=LISTING.initial))
    return listing


def _validated(data: ListingInput) -> ListingInput:
    errors = listing_errors(data)
    if errors:
        raise ValidationFailed(errors)
    return data


def update_listing(actor: User, listing: Listing, data: ListingInput) -> None:
    """Change a draft or rejected listing in place."""
    if not policy.can_edit_listing(actor, listing):
        raise PermissionDenied(_l("Je kunt alleen aanbod van je eigen organisatie bewerken."))
    if not LISTING.allows("edit", listing.status):
        raise InvalidTransition(
            _l("Aanbod met status '%(status)s' kun je niet rechtstreeks bewerken.",
               status=vocab.LISTING_STATUSES.label(listing.status))
        )
    require_listing_kind(actor, data.kind, listing.kind)
    _apply(listing, _validated(data))


def apply_approved_revision(actor: User, listing: Listing, data: ListingInput) -> None:
    """A moderator approved a change to a published listing: the live listing and the index take it over."""
    if not policy.can_moderate(actor):
        raise PermissionDenied(_l("Alleen moderatoren kunnen wijzigingen goedkeuren."))
    if not LISTING.allows("propose_change", listing.status):
        raise InvalidTransition(_l("Alleen wijzigingen aan gepubliceerd aanbod worden zo goedgekeurd."))
    # the availability is the organisation's to keep current, and may have changed since the revision was made
    _apply(listing, _validated(replace(data, **availability_of(listing))))
    mark_confirmed(listing)
    sync.listing_changed(listing)


def set_availability(actor: User, listing: Listing, values: dict) -> bool:
    """Set whether places are left, the offer is full (waiting list or not), cancelled or postponed (to a new
    date). Applies at once, on a published listing too, and is recorded in the audit trail: see
    policy.can_set_availability for why it needs no moderator. Returns whether anything changed."""
    if not policy.can_edit_listing(actor, listing):
        raise PermissionDenied(_l("Je kunt alleen aanbod van je eigen organisatie bijwerken."))
    if not policy.can_set_availability(actor, listing):
        raise InvalidTransition(_l("De beschikbaarheid van aanbod dat wacht op goedkeuring of gearchiveerd is, "
                                   "kun je niet wijzigen."))
    errors = availability_errors(values, listing.start_date)
    if errors:
        raise ValidationFailed(errors)
    stored = {spec.name: spec.stored(values[spec.name]) for spec in fields.UNMODERATED}
    if stored == availability_of(listing):
        return False
    for name, value in stored.items():
        setattr(listing, name, value)
    recorded = {**stored, "postponed_to": stored["postponed_to"].isoformat() if stored["postponed_to"] else None}
    listing.status_changes.append(ListingStatusChange(actor=actor, from_status=listing.status,
                                                      to_status=listing.status, availability=recorded))
    confirmed_by_change(actor, listing)
    sync.listing_changed(listing)
    return True


def mark_confirmed(subject: Listing | Organisation) -> None:
    """Its "laatst bevestigd op" is now, and the reminders start again (portal/catalogue/freshness.py)."""
    subject.confirmed_at, subject.reminders_sent = clock.now(), 0


def confirm_listing(actor: User, listing: Listing) -> None:
    """The organisation says a published or stale listing still runs as shown: it counts as confirmed today, and
    a stale listing returns to the search. Recorded in the audit trail."""
    if not policy.can_edit_listing(actor, listing):
        raise PermissionDenied(_l("Je kunt alleen aanbod van je eigen organisatie bevestigen."))
    if not policy.can_confirm_listing(actor, listing):
        raise InvalidTransition(_l("Alleen gepubliceerd aanbod bevestig je als nog actueel."))
    if policy.is_stale(listing):
        _transition(actor, listing, "confirm")
    else:
        listing.status_changes.append(ListingStatusChange(
            actor=actor, at=clock.now(), from_status=listing.status, to_status=listing.status, freshness="confirmed"))
        sync.listing_changed(listing)
    mark_confirmed(listing)


def confirmed_by_change(actor: User, listing: Listing) -> None:
    """A change by the organisation to a published or stale listing shows it is still looked after: it confirms
    the listing (a stale one returns to the search first, so the change applies to a published listing)."""
    if policy.is_stale(listing):
        _transition(actor, listing, "confirm")
    if policy.is_public(listing):
        mark_confirmed(listing)


def scheduled_transition(listing: Listing, action: str, reason: str) -> None:
    """The scheduled freshness run's change of a listing (go stale, archive), by no one: the reason says why."""
    _transition(None, listing, action, reason)


def _transition(actor: User | None, listing: Listing, action: str, reason: str | None = None,
                quality_checks: list[str] | None = None) -> None:
    target = LISTING.next_state(action, listing.status)
    listing.status_changes.append(
        ListingStatusChange(actor=actor, at=clock.now(), from_status=listing.status, to_status=target,
                            reason=_clean(reason), quality_checks=quality_checks)
    )
    listing.status = target
    sync.listing_changed(listing)


def submit_listing(actor: User, listing: Listing) -> None:
    """Send a draft (or a rejected listing, after changes) to the moderators."""
    if not policy.can_submit_listing(actor, listing):
        raise PermissionDenied(_l("Je kunt alleen aanbod van je eigen organisatie indienen."))
    _require_room_in_queue(actor, listing.organisation)
    _transition(actor, listing, "submit")


def _require_room_in_queue(actor: User, organisation: Organisation) -> None:
    if policy.can_moderate(actor):
        return
    waiting = db.session.scalar(select(func.count(Listing.id)).where(
        Listing.organisation_id == organisation.id, Listing.status == LISTING.leads_to("submit")))
    if waiting >= policy.MAX_PENDING_PER_ORGANISATION:
        raise InvalidTransition(_l("Er wacht al %(n)s aanbod van jullie organisatie op een moderator. Dien meer in "
                                   "zodra daarover beslist is.", n=policy.MAX_PENDING_PER_ORGANISATION))


def withdraw_listing(actor: User, listing: Listing) -> None:
    if not policy.can_edit_listing(actor, listing):
        raise PermissionDenied(_l("Je kunt alleen aanbod van je eigen organisatie intrekken."))
    _transition(actor, listing, "withdraw")


def publish_listing(actor: User, listing: Listing, quality_checks: list[str] | None = None) -> None:
    if not policy.can_moderate(actor):
        raise PermissionDenied(_l("Alleen moderatoren kunnen aanbod publiceren."))
    if not listing.organisation.is_verified:
        raise InvalidTransition(_l("De organisatie is nog niet geverifieerd; verifieer ze eerst."))
    _transition(actor, listing, "publish", quality_checks=quality_checks)
    listing.published_at = utcnow()
    mark_confirmed(listing)


def reject_listing(actor: User, listing: Listing, reason: str, quality_checks: list[str] | None = None) -> None:
    if not policy.can_moderate(actor):
        raise PermissionDenied(_l("Alleen moderatoren kunnen aanbod afwijzen."))
    if not (reason or "").strip():
        raise ValidationFailed({"reason": [_l("Geef een reden, zodat de organisatie weet wat ze moet aanpassen.")]})
    _transition(actor, listing, "reject", reason, quality_checks)


def unpublish_listing(actor: User, listing: Listing, reason: str) -> None:
    """Take a published listing offline, back to a draft the organisation can correct and submit again."""
    if not policy.can_moderate(actor):
        raise PermissionDenied(_l("Alleen moderatoren kunnen aanbod offline halen."))
    if not (reason or "").strip():
        raise ValidationFailed({"reason": [_l("Geef een reden, zodat de organisatie weet wat er mis is.")]})
    _transition(actor, listing, "unpublish", reason)


def archive_listing(actor: User, listing: Listing, reason: str | None = None) -> None:
    if not policy.can_edit_listing(actor, listing):
        raise PermissionDenied(_l("Je kunt alleen aanbod van je eigen organisatie archiveren."))
    _transition(actor, listing, "archive", reason)
