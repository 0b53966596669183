"""Flask-Login's link from a session cookie to a user."""

from portal.accounts.models import User
from portal.extensions import db, login_manager


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None
