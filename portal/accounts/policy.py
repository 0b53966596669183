"""Who may manage accounts. Services enforce these; templates only show or hide with them."""

from __future__ import annotations

from portal.accounts.models import User
from portal.catalogue.policy import MANAGE_USERS, allowed


def can_manage_users(user: User | None) -> bool:
    return allowed(user, MANAGE_USERS)


def can_block_user(actor: User | None, target: User) -> bool:
    """Admins block others, never themselves (nobody could unblock the last admin)."""
    return can_manage_users(actor) and actor.id != target.id and target.deleted_at is None
