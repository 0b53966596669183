"""Who may do what with organisations and listings. The only place that decides access:
services enforce these functions, templates use them to show or hide actions."""

from __future__ import annotations

from sqlalchemy import ColumnElement

from portal.accounts.models import User
from portal.catalogue.models import Listing, Organisation

PUBLIC_STATUS = "published"
MEMBER_ROLES = ("member", "owner")
# Kinds an organisation does not choose itself: a charter signatory listing is what a moderator's verification
# of a signed STEM-charter produces (portal.organisations.services.verify_charter), or a moderator's import.
RESERVED_KINDS = frozenset({"charter_signatory"})


def _known(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_admin(user: User | None) -> bool:
    return _known(user) and user.is_admin


def is_member(user: User | None, organisation: Organisation) -> bool:
    return _known(user) and any(m.organisation_id == organisation.id for m in user.memberships)


def is_public(listing: Listing) -> bool:
    """Published listings are public; every other state only for the organisation and admins."""
    return listing.status == PUBLIC_STATUS


def public_listing_clause() -> ColumnElement[bool]:
    """`is_public` as a query condition."""
    return Listing.status == PUBLIC_STATUS


def can_create_organisation(user: User | None) -> bool:
    return _known(user)


def can_verify_organisation(user: User | None) -> bool:
    return is_admin(user)


def can_create_listing(user: User | None, organisation: Organisation) -> bool:
    return is_admin(user) or is_member(user, organisation)


def can_edit_listing(user: User | None, listing: Listing) -> bool:
    return is_admin(user) or is_member(user, listing.organisation)


def can_use_listing_kind(user: User | None, kind: str, current_kind: str | None = None) -> bool:
    """Whether `user` may give a listing (now of `current_kind`; None for a new listing) the kind `kind`.
    A listing keeps a kind it already has."""
    return kind == current_kind or kind not in RESERVED_KINDS or can_moderate(user)


def can_submit_listing(user: User | None, listing: Listing) -> bool:
    return can_edit_listing(user, listing)


def can_moderate(user: User | None) -> bool:
    return is_admin(user)


def can_view_listing(user: User | None, listing: Listing) -> bool:
    return is_public(listing) or can_edit_listing(user, listing)


def can_view_organisation(user: User | None, organisation: Organisation) -> bool:
    """Verified organisations are public; an unverified one only for its members and admins."""
    return organisation.is_verified or is_admin(user) or is_member(user, organisation)


def public_organisation_clause() -> ColumnElement[bool]:
    """What `can_view_organisation` shows anyone, as a query condition: verified organisations."""
    return Organisation.verified_at.is_not(None)


def can_manage_members(user: User | None, organisation: Organisation) -> bool:
    return is_admin(user) or is_member(user, organisation)


def can_import_catalogue(user: User | None) -> bool:
    """Bulk import of organisations and listings (CLI and /beheer/import): admins only."""
    return is_admin(user)
