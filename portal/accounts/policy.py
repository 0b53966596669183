"""Who may manage accounts. Services enforce these; templates only show or hide with them."""

from __future__ import annotations

from portal.accounts.models import User
from portal.catalogue.policy import is_admin


def can_manage_users(user: User | None) -> bool:
    return is_admin(user)


def can_block_user(actor: User | None, target: User) -> bool:
    """Admins block others, never themselves (nobody could unblock the last admin)."""
    return is_admin(actor) and actor.id != target.id and target.deleted_at is None
