"""Who may act for an organisation. Services enforce these; templates only show or hide with them."""

from __future__ import annotations

from portal.accounts.models import User
from portal.catalogue.models import Organisation
from portal.catalogue.policy import (
    EDIT_ORGANISATION,
    MANAGE_API_TOKENS,
    MANAGE_LISTINGS,
    MODERATE,
    SIGN_CHARTER,
    VIEW_ORGANISATION,
    allowed,
    can_manage_members,
    can_view_organisation,
    is_member,
)


def can_view_dashboard(user: User | None, organisation: Organisation) -> bool:
    return allowed(user, VIEW_ORGANISATION, organisation)


def can_edit_organisation(user: User | None, organisation: Organisation) -> bool:
    return allowed(user, EDIT_ORGANISATION, organisation)


def can_request_to_join(user: User | None, organisation: Organisation) -> bool:
    return (user is not None and user.is_authenticated and user.is_active and not is_member(user, organisation)
            and can_view_organisation(user, organisation))


def can_decide_join_request(user: User | None, organisation: Organisation) -> bool:
    return can_manage_members(user, organisation)


def can_invite(user: User | None, organisation: Organisation) -> bool:
    return can_manage_members(user, organisation)


def can_sign_charter(user: User | None, organisation: Organisation) -> bool:
    return allowed(user, SIGN_CHARTER, organisation) and not organisation.has_signed_charter


def can_verify_charter(user: User | None) -> bool:
    return allowed(user, MODERATE)


def can_review_organisations(user: User | None) -> bool:
    return allowed(user, MODERATE)


def can_manage_api_tokens(user: User | None, organisation: Organisation) -> bool:
    """Create and revoke the organisation's API keys: its owners, and admins."""
    return allowed(user, MANAGE_API_TOKENS, organisation)


def can_write_with_api_token(user: User | None, organisation: Organisation) -> bool:
    """A key acts as the member who made it, as long as that account is active and may still manage listings."""
    return allowed(user, MANAGE_LISTINGS, organisation)
