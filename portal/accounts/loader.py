"""Flask-Login's link from a session or remember-me cookie to a user.

The cookie holds "<id>:<session token>" (User.get_id); a token that no longer matches the user's, because
they logged out, changed their password or were blocked, finds nobody, so every old cookie is refused."""

import hmac

from portal.accounts.models import User
from portal.extensions import db, login_manager


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    id_part, _, token = user_id.partition(":")
    if not id_part.isdigit() or not token:
        return None
    user = db.session.get(User, int(id_part))
    if user is None or user.deleted_at is not None or not hmac.compare_digest(user.session_token, token):
        return None
    return user
