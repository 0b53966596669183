"""Who may report, moderate and read audit trails. Built on the catalogue's policy, the place that decides."""

from __future__ import annotations

from portal.accounts.models import User
from portal.catalogue import policy
from portal.catalogue.models import Listing


def can_report_listing(user: User | None, listing: Listing) -> bool:
    """Anyone, signed in or not, may report a problem with a public listing."""
    return policy.is_public(listing)


def can_view_audit_trail(user: User | None, listing: Listing) -> bool:
    """A listing's history is for its organisation and the moderators."""
    return policy.can_edit_listing(user, listing)


def can_view_global_log(user: User | None) -> bool:
    return policy.can_moderate(user)
