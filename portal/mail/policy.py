"""Who may see the outbox's troubles and resend mail. Services enforce it; templates only show or hide links."""

from __future__ import annotations

from portal.accounts.models import User
from portal.catalogue.policy import MANAGE_MAIL, allowed


def can_manage_mail(user: User | None) -> bool:
    return allowed(user, MANAGE_MAIL)
