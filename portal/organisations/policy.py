"""Who may act for an organisation. Services enforce these; templates only show or hide with them."""

from __future__ import annotations

from portal.accounts.models import Membership, User
from portal.catalogue.models import Organisation
from portal.catalogue.policy import (
    EDIT_ORGANISATION,
    MANAGE_API_TOKENS,
    MANAGE_LISTINGS,
    MODERATE,
    OWNER,
    SIGN_CHARTER,
    VIEW_ORGANISATION,
    allowed,
    can_manage_members,
    can_view_organisation,
    is_member,
)
from portal.organisations.models import Invitation


def can_view_dashboard(user: User | None, organisation: Organisation) -> bool:
    return allowed(user, VIEW_ORGANISATION, organisation)


def can_edit_organisation(user: User | None, organisation: Organisation) -> bool:
    return allowed(user, EDIT_ORGANISATION, organisation)


def can_view_history(user: User | None, organisation: Organisation) -> bool:
    """The organisation's history (organisations/history.py): its owners, and the moderators."""
    return allowed(user, EDIT_ORGANISATION, organisation)


def can_request_to_join(user: User | None, organisation: Organisation) -> bool:
    return (user is not None and user.is_authenticated and user.is_active and not is_member(user, organisation)
            and can_view_organisation(user, organisation))


def can_decide_join_request(user: User | None, organisation: Organisation) -> bool:
    return can_manage_members(user, organisation)


def can_invite(user: User | None, organisation: Organisation) -> bool:
    return can_manage_members(user, organisation)


def can_accept_invitation(user: User | None, invitation: Invitation) -> bool:
    """Only the account with the invited address: a forwarded or intercepted link is of no use to anyone else."""
    return (user is not None and user.is_authenticated and user.is_active
            and user.email.lower() == invitation.email)


def can_leave(user: User | None, organisation: Organisation) -> bool:
    """A member ends their own membership (if the organisation keeps an owner: `keeps_an_owner`)."""
    return is_member(user, organisation)


def keeps_an_owner(membership: Membership, new_role: str | None = None) -> bool:
    """Whether the membership's organisation still has an owner once `membership` ends (`new_role` None) or gets
    `new_role`: no change to members may leave an organisation without anyone to manage it."""
    if membership.role != OWNER or new_role == OWNER:
        return True
    return any(other.role == OWNER for other in membership.organisation.memberships if other is not membership)


def can_sign_charter(user: User | None, organisation: Organisation) -> bool:
    return allowed(user, SIGN_CHARTER, organisation) and not organisation.has_signed_charter


def can_verify_charter(user: User | None) -> bool:
    return allowed(user, MODERATE)


def can_review_organisations(user: User | None) -> bool:
    return allowed(user, MODERATE)


def can_manage_api_tokens(user: User | None, organisation: Organisation) -> bool:
    """Create and revoke the organisation's API keys: its owners, and admins."""
    return allowed(user, MANAGE_API_TOKENS, organisation)


def can_create_api_token(user: User | None, organisation: Organisation) -> bool:
    """Keys are for verified organisations only: an unverified one cannot script submissions into the queue."""
    return organisation.is_verified and can_manage_api_tokens(user, organisation)


def can_write_with_api_token(user: User | None, organisation: Organisation) -> bool:
    """A key acts as the member who made it, as long as that account is active and may still manage listings,
    for a verified organisation."""
    return organisation.is_verified and allowed(user, MANAGE_LISTINGS, organisation)
