"""Who may read the security log. Services enforce it; templates only show or hide the link with it."""

from __future__ import annotations

from portal.accounts.models import User
from portal.catalogue.policy import VIEW_SECURITY_LOG, allowed


def can_view_security_log(user: User | None) -> bool:
    return allowed(user, VIEW_SECURITY_LOG)
