"""Account operations: registration, confirmation, login, passwords, e-mail address, export and deletion,
blocking. Plain functions: they take the acting user, check policy, change the session, queue mail and
raise domain errors; the request commits once.

Answers never tell whether an address has an account: registration of a known address mails its owner,
a reset request for an unknown address mails a notice (the same work as a reset link), and a failed login
says the same in every case."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.accounts import policy, tokens
from portal.accounts.models import User
from portal.accounts.password_rules import password_problems
from portal.accounts.passwords import hash_password, needs_rehash, verify_password
from portal.catalogue.inputs import INVALID_EMAIL, is_email, single_line_errors
from portal.catalogue.models import ListingStatusChange
from portal.database import utcnow
from portal.domain import DomainError, PermissionDenied, ValidationFailed
from portal.extensions import db
from portal.mail import queue_mail
from portal.mail.links import absolute_url
from portal.mail.reissue import reissuer
from portal.organisations.models import CharterSignature, JoinRequest
from portal.organisations.services import forget_user
from portal.pagination import Page, paginate
from portal.security_log import events, record

DELETED_NAME = "Verwijderde gebruiker"


class LoginRefused(DomainError):
    """Wrong address or password; the message is the same for both."""


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def _email_errors(email: str) -> list:
    if not is_email(email):
        return [INVALID_EMAIL]
    return []


def _display_name_errors(display_name: str) -> list:
    # A name appears in mail subjects ("... wil lid worden van ..."): one line only.
    return single_line_errors(display_name, _l("Je naam")) or (
        [] if 2 <= len(display_name) <= 120 else [_l("Geef een naam van 2 tot 120 tekens.")])


def _check(errors: dict) -> None:
    errors = {name: messages for name, messages in errors.items() if messages}
    if errors:
        raise ValidationFailed(errors)


def _check_password(user: User, password: str, field: str = "password") -> None:
    if not verify_password(user.password_hash, password):
        raise ValidationFailed({field: [_l("Dit wachtwoord klopt niet.")]})


def _set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.rotate_session_token()  # every other session and remember-me cookie ends


def create_confirmed_user(email: str, display_name: str, password: str, is_admin: bool = False) -> User:
    """A user whose address counts as confirmed: for the CLI and the demo accounts, not for self-registration."""
    email, display_name = normalise_email(email), (display_name or "").strip()
    errors = {"email": _email_errors(email)}
    if not errors["email"] and find_user(email) is not None:
        errors["email"] = [_l("Er bestaat al een account met dit e-mailadres.")]
    errors["display_name"] = single_line_errors(display_name, _l("Je naam"))
    errors["password"] = password_problems(password, email, display_name)
    _check(errors)
    user = User(
        email=email,
        display_name=display_name,
        password_hash=hash_password(password),
        is_admin=is_admin,
        active=True,
        email_confirmed_at=utcnow(),
    )
    db.session.add(user)
    return user


# Registration and confirmation

def _confirm_state(user: User) -> str:
    # The password hash is part of the state: a new registration of an unconfirmed address (new password)
    # ends the earlier links, so only the latest registrant's link confirms the account.
    return f"{user.email}|{user.email_confirmed_at}|{user.password_hash}"


def _mail_confirmation(user: User, again: bool = False) -> None:
    link = absolute_url("accounts.confirm", token=tokens.issue("confirm", user.id, _confirm_state(user)))
    text = gettext(
        "Hallo %(name)s,\n\nBevestig je e-mailadres met deze link (48 uur geldig) en meld je daarna aan met het "
        "wachtwoord dat je koos:\n%(link)s\n\nHeb je geen account aangevraagd? Dan mag je deze mail negeren."
        "\n\nSTEM-wijzer", name=user.display_name, link=link)
    if again:
        text += "\n\n" + gettext(
            "Dit adres werd al eerder geregistreerd; het wachtwoord van die eerste registratie blijft gelden. Ben "
            "je het vergeten, of registreerde iemand anders dit adres? Kies dan een nieuw wachtwoord:\n%(link)s",
            link=absolute_url("accounts.forgot_password"))
    queue_mail(user.email, gettext("Bevestig je e-mailadres voor STEM-wijzer"), text,
               kind="confirm_again" if again else "confirm", subject_id=user.id)


def _confirmation_anew(user_id: int, recipient: str, again: bool) -> bool:
    """A confirmation link that waited for the mail server is issued anew (portal/mail/reissue.py)."""
    user = db.session.get(User, user_id)
    if user is None or user.email != recipient or user.email_confirmed_at is not None:
        return False  # confirmed meanwhile, or no longer this account's address: nothing to confirm
    _mail_confirmation(user, again)
    return True


reissuer("confirm", tokens.LIFETIMES["confirm"])(lambda user_id, to: _confirmation_anew(user_id, to, again=False))
reissuer("confirm_again", tokens.LIFETIMES["confirm"])(lambda user_id, to: _confirmation_anew(user_id, to, again=True))


def register(email: str, display_name: str, password: str) -> None:
    """Create an unconfirmed account and mail the confirmation link. For an address that already has an
    account, mail its owner instead; the caller's answer is the same in both cases."""
    email = normalise_email(email)
    display_name = (display_name or "").strip()
    _check({
        "email": _email_errors(email),
        "display_name": _display_name_errors(display_name),
        "password": password_problems(password, email, display_name),
    })
    password_hash = hash_password(password)  # also for a known address: the answer takes as long
    user = find_user(email)
    if user is None:
        user = User(email=email, display_name=display_name, password_hash=password_hash, active=True)
        db.session.add(user)
        db.session.flush()
        _mail_confirmation(user)
        record(events.REGISTERED, user, target=user)
        return
    record(events.REGISTERED, None, outcome=events.FAILURE, target=user,
           reason="unconfirmed" if user.email_confirmed_at is None else "known")
    if user.email_confirmed_at is None:
        # Nobody proved to own this address yet. A registration never replaces an earlier one's password (that
        # would let the latest registrant, perhaps an attacker, set the password its owner then confirms), and
        # the link alone does not confirm either: see `authenticate`.
        _mail_confirmation(user, again=True)
    else:
        queue_mail(user.email, gettext("Je hebt al een account bij STEM-wijzer"), gettext(
            "Hallo %(name)s,\n\nIemand (misschien jij) probeerde een account te maken met dit e-mailadres, "
            "maar je hebt er al een. Wachtwoord vergeten? Vraag een nieuw aan:\n%(link)s\n\n"
            "Was jij dit niet? Dan hoef je niets te doen.\n\nSTEM-wijzer",
            name=user.display_name, link=absolute_url("accounts.forgot_password")))


def user_to_confirm(token: str) -> User:
    """The account a confirmation link is for, while it is valid. Opening the link confirms nothing yet: the
    address is confirmed when its holder then logs in with the account's password (`authenticate`), so the
    address owner never activates a password somebody else chose."""
    user_id, state, _ = tokens.read("confirm", token)
    user = db.session.get(User, user_id)
    if user is None:
        raise tokens.TokenRefused(_l("Deze link is ongeldig of werd al gebruikt."))
    tokens.check_state(state, _confirm_state(user))
    return user


def _confirms(user: User, token: str | None) -> bool:
    try:
        return token is not None and user_to_confirm(token) is user
    except tokens.TokenRefused:
        return False


# Login and logout

def authenticate(email: str, password: str, confirmation: str | None = None) -> User:
    """The user with this address and password; upgrades an outdated password hash on the way. An unconfirmed
    account logs in only with its `confirmation` link's token, which confirms its address."""
    user = find_user(email)
    known = user is not None and user.deleted_at is None
    # A failed login is recorded like any other event, in the caller's unit of work: the login view catches
    # the refusal INSIDE its unit of work, so that unit commits the failure's security event (and an upgraded
    # hash) although the login itself is refused. A caller that let the refusal roll its work back would lose
    # the event: login() in portal/accounts/views.py is the only caller, and tests/security/test_security_log.py
    # holds it to this.
    # An unknown address is checked against a dummy hash (verify_password(None, ...)): a failed login
    # takes as long whether or not the address has an account.
    if not verify_password(user.password_hash if known else None, password) or not known:
        record(events.LOGIN_FAILED, None, outcome=events.FAILURE, target=user if known else None, email=email,
               reason="wrong_password" if known else "unknown_address")
        raise LoginRefused(_l("Dit e-mailadres en wachtwoord horen niet bij elkaar. Probeer opnieuw."))
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    if not user.active:
        record(events.LOGIN_FAILED, None, outcome=events.DENIED, target=user, reason="blocked")
        raise PermissionDenied(_l("Dit account is geblokkeerd. Neem contact op met de beheerders."))
    if user.email_confirmed_at is None and _confirms(user, confirmation):
        user.email_confirmed_at = utcnow()
        record(events.CONFIRMED, user, target=user)
    if user.email_confirmed_at is None:
        record(events.LOGIN_FAILED, None, outcome=events.DENIED, target=user, reason="unconfirmed")
        raise PermissionDenied(_l("Bevestig eerst je e-mailadres met de link die we je mailden. "
                                  "Geen mail gekregen? Registreer opnieuw met hetzelfde adres."))
    record(events.LOGIN, user, target=user)
    return user


def warn_of_failed_logins(email: str) -> None:
    """Tell the owner of `email`'s account that its password was tried wrongly again and again (the login
    throttle, portal/accounts/throttle.py, asks once per window); an unknown address mails nobody."""
    user = find_user(email)
    if user is None or user.deleted_at is not None:
        return
    current_app.logger.warning("repeated failed logins on account %s; its owner is mailed", user.id)
    queue_mail(user.email, gettext("Mislukte aanmeldpogingen op je STEM-wijzer-account"), gettext(
        "Hallo %(name)s,\n\nIemand probeerde de voorbije tijd vaak zonder succes aan te melden op je account "
        "bij STEM-wijzer, met een verkeerd wachtwoord.\n\n"
        "Was jij dit niet? Kies dan voor de zekerheid een nieuw, sterk wachtwoord dat je nergens anders "
        "gebruikt:\n%(link)s\n\nJe kunt gewoon blijven aanmelden; de pogingen van anderen houden je niet "
        "buiten.\n\nSTEM-wijzer", name=user.display_name, link=absolute_url("accounts.forgot_password")))


def logout(user: User) -> None:
    """End every session of `user`, on every device, remember-me cookies included."""
    user.rotate_session_token()
    record(events.LOGOUT, user, target=user)


# Passwords

def _reset_state(user: User) -> str:
    return f"{user.email}|{user.password_hash}"


def request_password_reset(email: str) -> None:
    """Mail a reset link when the address has an account, and otherwise a notice that it has none: both paths
    look the user up and queue one mail, delivered later by the mail worker (portal/mail/outbox.py), so neither the
    answer nor its timing tells whether the address has an account. The notice is fixed text: nothing typed by
    the requester goes into it."""
    _check({"email": _email_errors(email)})  # one address, strictly parsed, before anything is mailed to it
    user = find_user(email)
    if user is None or user.deleted_at is not None:
        record(events.RESET_REQUESTED, None, outcome=events.FAILURE, email=email, reason="unknown_address")
        if user is None:  # a deleted account's address is a placeholder nobody receives mail at
            queue_mail(normalise_email(email), gettext("Nieuw wachtwoord voor STEM-wijzer"), gettext(
                "Hallo,\n\nIemand vroeg een nieuw wachtwoord aan voor dit e-mailadres bij STEM-wijzer, maar er is "
                "geen account met dit adres. Misschien gebruikte je een ander adres om je te registreren.\n\n"
                "Vroeg je dit niet aan? Dan mag je deze mail negeren.\n\nSTEM-wijzer"))
        return
    record(events.RESET_REQUESTED, None, target=user, email=email)
    _mail_reset_link(user)


def _mail_reset_link(user: User) -> None:
    link = absolute_url("accounts.reset_password", token=tokens.issue("reset", user.id, _reset_state(user)))
    queue_mail(user.email, gettext("Nieuw wachtwoord voor STEM-wijzer"), gettext(
        "Hallo %(name)s,\n\nKies een nieuw wachtwoord met deze link (1 uur geldig, één keer te gebruiken):\n"
        "%(link)s\n\nVroeg je dit niet aan? Dan mag je deze mail negeren; je wachtwoord blijft hetzelfde.\n\n"
        "STEM-wijzer", name=user.display_name, link=link), kind="reset", subject_id=user.id)


@reissuer("reset", tokens.LIFETIMES["reset"])
def _reset_link_anew(user_id: int, recipient: str) -> bool:
    """A reset link that waited for the mail server is issued anew (one hour from now), never lengthened."""
    user = db.session.get(User, user_id)
    if user is None or user.deleted_at is not None or user.email != recipient:
        return False
    _mail_reset_link(user)
    return True


def user_for_reset(token: str) -> User:
    """The user a reset link belongs to, if it is still valid (to show the form before it is used)."""
    user_id, state, _ = tokens.read("reset", token)
    user = db.session.get(User, user_id)
    if user is None or user.deleted_at is not None:
        raise tokens.TokenRefused(_l("Deze link is ongeldig of werd al gebruikt."))
    tokens.check_state(state, _reset_state(user))
    return user


def reset_password(token: str, password: str) -> User:
    user = user_for_reset(token)
    _check({"password": password_problems(password, user.email, user.display_name)})
    _set_password(user, password)
    record(events.PASSWORD_RESET, user, target=user)
    if user.email_confirmed_at is None:  # the link reached the inbox: the address is confirmed too
        user.email_confirmed_at = utcnow()
        record(events.CONFIRMED, user, target=user, by="password_reset")
    return user


def change_password(actor: User, current_password: str, new_password: str) -> None:
    _check_password(actor, current_password, "current_password")
    _check({"new_password": password_problems(new_password, actor.email, actor.display_name)})
    _set_password(actor, new_password)
    record(events.PASSWORD_CHANGED, actor, target=actor)
    queue_mail(actor.email, gettext("Je wachtwoord voor STEM-wijzer werd gewijzigd"), gettext(
        "Hallo %(name)s,\n\nJe wachtwoord werd zonet gewijzigd; je bent op je andere toestellen afgemeld.\n"
        "Was jij dit niet? Vraag dan meteen een nieuw wachtwoord aan:\n%(link)s\n\nSTEM-wijzer",
        name=actor.display_name, link=absolute_url("accounts.forgot_password")))


# E-mail address

def _email_state(user: User) -> str:
    return f"{user.email}|{user.password_hash}"


def request_email_change(actor: User, password: str, new_email: str) -> None:
    """Mail a confirmation link to the new address; the address changes only when that link is used."""
    new_email = normalise_email(new_email)
    _check_password(actor, password, "password")
    errors = _email_errors(new_email)
    if not errors and new_email == actor.email:
        errors = [_l("Dit is al je e-mailadres.")]
    _check({"new_email": errors})
    record(events.EMAIL_CHANGE_REQUESTED, actor, target=actor, email=new_email)
    _mail_email_change_link(actor, new_email)


def _mail_email_change_link(user: User, new_email: str) -> None:
    token = tokens.issue("email", user.id, _email_state(user), extra=new_email)
    queue_mail(new_email, gettext("Bevestig je nieuwe e-mailadres voor STEM-wijzer"), gettext(
        "Hallo %(name)s,\n\nBevestig met deze link (24 uur geldig) dat je STEM-wijzer voortaan met dit adres "
        "gebruikt:\n%(link)s\n\nVroeg je dit niet aan? Dan mag je deze mail negeren.\n\nSTEM-wijzer",
        name=user.display_name, link=absolute_url("accounts.confirm_email_change", token=token)),
        kind="email", subject_id=user.id)


@reissuer("email", tokens.LIFETIMES["email"])
def _email_change_link_anew(user_id: int, new_email: str) -> bool:
    user = db.session.get(User, user_id)
    if user is None or user.deleted_at is not None or find_user(new_email) is not None:
        return False
    _mail_email_change_link(user, new_email)
    return True


def confirm_email_change(token: str) -> User:
    user_id, state, new_email = tokens.read("email", token)
    user = db.session.get(User, user_id)
    if user is None or user.deleted_at is not None:
        raise tokens.TokenRefused(_l("Deze link is ongeldig of werd al gebruikt."))
    tokens.check_state(state, _email_state(user))
    if find_user(new_email) is not None:
        raise ValidationFailed({"new_email": [_l("Dit e-mailadres hoort al bij een ander account.")]})
    old_email = user.email
    user.email, user.email_confirmed_at = new_email, utcnow()
    record(events.EMAIL_CHANGED, user, target=user, email=new_email, previous=old_email)  # both masked
    queue_mail(old_email, gettext("Je e-mailadres bij STEM-wijzer werd gewijzigd"), gettext(
        "Hallo %(name)s,\n\nJe account bij STEM-wijzer gebruikt voortaan %(email)s. Was jij dit niet? "
        "Antwoord dan op deze mail.\n\nSTEM-wijzer", name=user.display_name, email=new_email))
    return user


# Own data (GDPR)

def export_data(actor: User) -> dict:
    """Everything the portal keeps about `actor`, as JSON-ready data."""
    changes = db.session.scalars(
        select(ListingStatusChange).where(ListingStatusChange.actor_id == actor.id).order_by(ListingStatusChange.id)
    ).all()
    return {
        "account": {
            "email": actor.email,
            "display_name": actor.display_name,
            "created_at": actor.created_at.isoformat(),
            "email_confirmed_at": actor.email_confirmed_at.isoformat() if actor.email_confirmed_at else None,
            "is_admin": actor.is_admin,
        },
        "memberships": [
            {"organisation": m.organisation.name, "slug": m.organisation.slug, "role": m.role,
             "since": m.created_at.isoformat()}
            for m in actor.memberships
        ],
        "join_requests": [
            {"organisation": request.organisation.name, "message": request.message, "status": request.status,
             "at": request.created_at.isoformat()}
            for request in db.session.scalars(select(JoinRequest).where(JoinRequest.user_id == actor.id))
        ],
        "charter_signatures": [
            {"organisation": signature.organisation.name, "signed_on": signature.signed_on.isoformat(),
             "contact_name": signature.contact_name, "contact_email": signature.contact_email}
            for signature in db.session.scalars(
                select(CharterSignature).where(CharterSignature.signed_by_id == actor.id))
        ],
        "listing_status_changes": [
            {"listing": change.listing.slug, "at": change.at.isoformat(), "from": change.from_status,
             "to": change.to_status, "reason": change.reason}
            for change in changes
        ],
    }


def delete_account(actor: User, password: str) -> None:
    """Remove the personal data; the row stays, anonymised, so the audit trail keeps a (nameless) actor."""
    _check_password(actor, password, "password")
    record(events.ACCOUNT_DELETED, actor, target=actor)
    forget_user(actor)
    actor.memberships.clear()
    actor.email = f"verwijderd-{actor.id}@verwijderd.invalid"
    actor.display_name = DELETED_NAME
    actor.password_hash = None
    actor.active = False
    actor.is_admin = False
    actor.deleted_at = utcnow()
    actor.rotate_session_token()


# Administration

def users_for_admin(actor: User, page: int = 1) -> Page[User]:
    """Every account but deleted ones, by e-mail address (unique: a stable order), a page at a time."""
    if not policy.can_manage_users(actor):
        raise PermissionDenied(_l("Alleen beheerders zien de gebruikers."))
    return paginate(select(User).where(User.deleted_at.is_(None)).order_by(User.email), page)


def set_blocked(actor: User, target: User, blocked: bool) -> None:
    if not policy.can_block_user(actor, target):
        raise PermissionDenied(_l("Je kunt deze gebruiker niet blokkeren."))
    target.active = not blocked
    if blocked:
        target.rotate_session_token()
    record(events.USER_BLOCKED if blocked else events.USER_UNBLOCKED, actor, target=target)
