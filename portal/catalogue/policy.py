"""Who may do what with organisations and listings. The only place that decides access:
services enforce these functions, templates use them to show or hide actions, and `available_actions`
tells every caller what a user may do with an object of one of the four workflows (catalogue/workflow.py)."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import ColumnElement

from portal.accounts.models import User
from portal.catalogue import vocab, workflow
from portal.catalogue.models import Listing, Organisation
from portal.moderation.models import ListingReport
from portal.organisations.models import JoinRequest, OrganisationRevision
from portal.submissions.models import ListingRevision

# Permissions within one organisation.
VIEW_ORGANISATION = "organisation.view"
MANAGE_LISTINGS = "listings.manage"
EDIT_ORGANISATION = "organisation.edit"
MANAGE_MEMBERS = "members.manage"
MANAGE_API_TOKENS = "api_tokens.manage"
SIGN_CHARTER = "charter.sign"
# Site-wide permissions.
MODERATE = "moderate"
MANAGE_USERS = "users.manage"
IMPORT_CATALOGUE = "catalogue.import"
VIEW_SECURITY_LOG = "security_log.view"
MANAGE_MAIL = "mail.manage"  # the outbox's dead letters and retries, and resending them
# Taken by no role: what only the scheduled freshness run does (portal/freshness/services.py).
SCHEDULED = "scheduled"

OWNER, EDITOR = vocab.MEMBERSHIP_ROLES.codes
ADMIN = "admin"  # not a membership: the site role of `User.is_admin`
# The role an owner's invitation or approval of a join request gives unless the owner chooses another: the
# least privilege.
NEW_MEMBER_ROLE = EDITOR

_EDITOR_PERMISSIONS = frozenset({VIEW_ORGANISATION, MANAGE_LISTINGS})
_OWNER_PERMISSIONS = _EDITOR_PERMISSIONS | {EDIT_ORGANISATION, MANAGE_MEMBERS, MANAGE_API_TOKENS, SIGN_CHARTER}
# The one table that decides. Admins override every organisation's permissions but one: signing the charter
# is the organisation's own declaration.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    EDITOR: _EDITOR_PERMISSIONS,
    OWNER: _OWNER_PERMISSIONS,
    ADMIN: (_OWNER_PERMISSIONS - {SIGN_CHARTER})
    | {MODERATE, MANAGE_USERS, IMPORT_CATALOGUE, VIEW_SECURITY_LOG, MANAGE_MAIL},
}
# How many listings an organisation may have waiting for a moderator at once: a script with a stolen API key,
# or an unverified organisation, cannot flood the queue. Moderators (importing, say) are not counted against it.
MAX_PENDING_PER_ORGANISATION = 50
# Kinds an organisation does not choose itself: a charter signatory listing is what a moderator's verification
# of a signed STEM-charter produces (portal.organisations.services.verify_charter), or a moderator's import.
RESERVED_KINDS = frozenset({"charter_signatory"})


def _known(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_admin(user: User | None) -> bool:
    return _known(user) and user.is_admin


def roles_of(user: User | None, organisation: Organisation | None = None) -> list[str]:
    """The roles `user` holds: the site's admin role, and their role in `organisation` if given."""
    if not _known(user):
        return []
    roles = [ADMIN] if user.is_admin else []
    if organisation is not None:
        roles += [m.role for m in user.memberships if m.organisation_id == organisation.id]
    return roles


def allowed(user: User | None, permission: str, organisation: Organisation | None = None) -> bool:
    """Whether any role of `user` (in `organisation`, for an organisation's permission) grants `permission`."""
    return any(permission in ROLE_PERMISSIONS.get(role, ()) for role in roles_of(user, organisation))


def is_member(user: User | None, organisation: Organisation) -> bool:
    return _known(user) and any(m.organisation_id == organisation.id for m in user.memberships)


def is_public(listing: Listing) -> bool:
    """Published listings are public; every other state only for the organisation and admins."""
    return listing.status == workflow.PUBLIC_STATE


def public_listing_clause() -> ColumnElement[bool]:
    """`is_public` as a query condition."""
    return Listing.status == workflow.PUBLIC_STATE


def is_stale(listing: Listing) -> bool:
    """Out of the search because its organisation did not re-confirm it in time; its page is still reachable."""
    return listing.status in workflow.REACHABLE_STATES and not is_public(listing)


def reachable_listing_clause() -> ColumnElement[bool]:
    """Listings whose page anyone may open: published ones and stale ones."""
    return Listing.status.in_(workflow.REACHABLE_STATES)


def can_create_organisation(user: User | None) -> bool:
    return _known(user)


def can_verify_organisation(user: User | None) -> bool:
    return allowed(user, MODERATE)


def can_create_listing(user: User | None, organisation: Organisation) -> bool:
    return allowed(user, MANAGE_LISTINGS, organisation)


def can_edit_listing(user: User | None, listing: Listing) -> bool:
    return allowed(user, MANAGE_LISTINGS, listing.organisation)


def can_use_listing_kind(user: User | None, kind: str, current_kind: str | None = None) -> bool:
    """Whether `user` may give a listing (now of `current_kind`; None for a new listing) the kind `kind`.
    A listing keeps a kind it already has."""
    return kind == current_kind or kind not in RESERVED_KINDS or can_moderate(user)


def can_set_availability(user: User | None, listing: Listing) -> bool:
    """Whether `user` may change the listing's availability now. Whoever manages the organisation's listings may,
    on a published listing too, without a moderator: whether an offer is full, cancelled or postponed is a
    fact the organisation knows first, and parents need it at once; a moderator reviews what is offered, not
    how many places are left. Every such change is in the listing's audit trail."""
    return "set_availability" in available_actions(user, listing)


def can_submit_listing(user: User | None, listing: Listing) -> bool:
    return can_edit_listing(user, listing)


def can_moderate(user: User | None) -> bool:
    return allowed(user, MODERATE)


def can_view_listing(user: User | None, listing: Listing) -> bool:
    return listing.status in workflow.REACHABLE_STATES or can_edit_listing(user, listing)


def can_confirm_listing(user: User | None, listing: Listing) -> bool:
    """Whoever manages the organisation's listings says a published or stale listing is still current."""
    return "confirm" in available_actions(user, listing)


def can_view_organisation(user: User | None, organisation: Organisation) -> bool:
    """Verified organisations are public; an unverified one only for its members and admins."""
    return organisation.is_verified or allowed(user, VIEW_ORGANISATION, organisation)


def public_organisation_clause() -> ColumnElement[bool]:
    """What `can_view_organisation` shows anyone, as a query condition: verified organisations."""
    return Organisation.verified_at.is_not(None)


def can_manage_members(user: User | None, organisation: Organisation) -> bool:
    return allowed(user, MANAGE_MEMBERS, organisation)


def can_import_catalogue(user: User | None) -> bool:
    """Bulk import of organisations and listings (CLI and /beheer/import): admins only."""
    return allowed(user, IMPORT_CATALOGUE)


class _Actions(NamedTuple):
    workflow: workflow.Workflow
    organisation: object  # obj -> the organisation whose roles count (None: only site roles)
    permissions: dict[str, str]  # action -> the permission it takes


_MODERATION = {"publish": MODERATE, "reject": MODERATE, "unpublish": MODERATE, "archive": MODERATE,
               "go_stale": SCHEDULED}
_ACTIONS: dict[type, _Actions] = {
    Listing: _Actions(workflow.LISTING, lambda listing: listing.organisation, {
        **dict.fromkeys(("edit", "propose_change", "set_availability", "submit", "withdraw", "confirm"),
                        MANAGE_LISTINGS),
        **_MODERATION}),
    ListingRevision: _Actions(workflow.REVISION, lambda revision: revision.listing.organisation, {
        "approve": MODERATE, "reject": MODERATE, "withdraw": MANAGE_LISTINGS}),
    # A proposed change to a verified organisation's details: the REVISION workflow, as for a listing.
    OrganisationRevision: _Actions(workflow.REVISION, lambda revision: revision.organisation, {
        "approve": MODERATE, "reject": MODERATE, "withdraw": EDIT_ORGANISATION}),
    ListingReport: _Actions(workflow.REPORT, lambda report: None, {"resolve": MODERATE, "dismiss": MODERATE}),
    JoinRequest: _Actions(workflow.JOIN_REQUEST, lambda join_request: join_request.organisation, {
        "approve": MANAGE_MEMBERS, "refuse": MANAGE_MEMBERS}),
}


def available_actions(user: User | None, obj: Listing | ListingRevision | OrganisationRevision | ListingReport
                      | JoinRequest) -> frozenset[str]:
    """What `user` may do with `obj` now: the actions its state allows (its workflow) that `user`'s roles grant."""
    actions = _ACTIONS[type(obj)]
    organisation = actions.organisation(obj)
    return frozenset(action for action in actions.workflow.actions_from(obj.status)
                     if allowed(user, actions.permissions[action], organisation))
