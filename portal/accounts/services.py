"""Account operations. Registration, confirmation and login follow in the accounts issue."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.accounts.models import User
from portal.accounts.passwords import hash_password
from portal.catalogue.inputs import EMAIL_PATTERN
from portal.database import utcnow
from portal.domain import ValidationFailed
from portal.extensions import db

MIN_PASSWORD_LENGTH = 8


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def create_confirmed_user(email: str, display_name: str, password: str, is_admin: bool = False) -> User:
    """A user whose address counts as confirmed: for the CLI and the demo accounts, not for self-registration."""
    email = normalise_email(email)
    errors = {}
    if not EMAIL_PATTERN.match(email):
        errors["email"] = [_l("Dit is geen geldig e-mailadres.")]
    elif db.session.scalar(select(User.id).where(User.email == email)) is not None:
        errors["email"] = [_l("Er bestaat al een account met dit e-mailadres.")]
    if len(password) < MIN_PASSWORD_LENGTH:
        errors["password"] = [_l("Kies een wachtwoord van minstens %(n)s tekens.", n=MIN_PASSWORD_LENGTH)]
    if errors:
        raise ValidationFailed(errors)
    user = User(
        email=email,
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        is_admin=is_admin,
        active=True,
        email_confirmed_at=utcnow(),
    )
    db.session.add(user)
    return user
