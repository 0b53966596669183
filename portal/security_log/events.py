"""Every security event the portal records, with its Dutch label for the admins' page. Services name events
through these constants; `record` refuses a name that is not here, so the page's filter knows them all."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Authentication
LOGIN = "login"
LOGIN_FAILED = "login.failed"
LOGOUT = "logout"
THROTTLED = "throttled"
ACCESS_DENIED = "access.denied"
# Account lifecycle
REGISTERED = "account.registered"
CONFIRMED = "account.confirmed"
RESET_REQUESTED = "password.reset_requested"
PASSWORD_RESET = "password.reset"
PASSWORD_CHANGED = "password.changed"
EMAIL_CHANGE_REQUESTED = "email.change_requested"
EMAIL_CHANGED = "email.changed"
ACCOUNT_DELETED = "account.deleted"
USER_BLOCKED = "user.blocked"
USER_UNBLOCKED = "user.unblocked"
# Organisations
MEMBER_ADDED = "membership.added"
MEMBER_REMOVED = "membership.removed"
MEMBER_LEFT = "membership.left"
ROLE_CHANGED = "membership.role_changed"
INVITATION_SENT = "invitation.sent"
INVITATION_ACCEPTED = "invitation.accepted"
JOIN_REQUEST_DECIDED = "join_request.decided"
API_KEY_CREATED = "api_key.created"
API_KEY_NEW_ADDRESS = "api_key.new_address"
API_KEY_REVOKED = "api_key.revoked"
# Admin actions
ORGANISATION_VERIFIED = "organisation.verified"
CHARTER_VERIFIED = "charter.verified"
MODERATION_DECISION = "moderation.decision"
REPORT_HANDLED = "report.handled"
CATALOGUE_IMPORTED = "catalogue.imported"
FRESHNESS_REMINDER_SENT = "freshness.reminder_sent"
LOG_PRUNED = "security_log.pruned"
MAIL_RESENT = "mail.resent"

LABELS = {
    LOGIN: _l("Aangemeld"),
    LOGIN_FAILED: _l("Aanmelden mislukt"),
    LOGOUT: _l("Afgemeld"),
    THROTTLED: _l("Te veel pogingen (429)"),
    ACCESS_DENIED: _l("Toegang geweigerd"),
    REGISTERED: _l("Registratie"),
    CONFIRMED: _l("E-mailadres bevestigd"),
    RESET_REQUESTED: _l("Nieuw wachtwoord aangevraagd"),
    PASSWORD_RESET: _l("Wachtwoord hersteld"),
    PASSWORD_CHANGED: _l("Wachtwoord gewijzigd"),
    EMAIL_CHANGE_REQUESTED: _l("Wijziging e-mailadres aangevraagd"),
    EMAIL_CHANGED: _l("E-mailadres gewijzigd"),
    ACCOUNT_DELETED: _l("Account verwijderd"),
    USER_BLOCKED: _l("Gebruiker geblokkeerd"),
    USER_UNBLOCKED: _l("Gebruiker gedeblokkeerd"),
    MEMBER_ADDED: _l("Lid toegevoegd"),
    MEMBER_REMOVED: _l("Lid verwijderd"),
    MEMBER_LEFT: _l("Lid vertrokken"),
    ROLE_CHANGED: _l("Rol van een lid gewijzigd"),
    INVITATION_SENT: _l("Uitnodiging verstuurd"),
    INVITATION_ACCEPTED: _l("Uitnodiging aanvaard"),
    JOIN_REQUEST_DECIDED: _l("Beslissing over lidmaatschapsverzoek"),
    API_KEY_CREATED: _l("API-sleutel gemaakt"),
    API_KEY_NEW_ADDRESS: _l("API-sleutel gebruikt vanaf een nieuw adres"),
    API_KEY_REVOKED: _l("API-sleutel ingetrokken"),
    ORGANISATION_VERIFIED: _l("Organisatie geverifieerd"),
    CHARTER_VERIFIED: _l("Charterondertekening geverifieerd"),
    MODERATION_DECISION: _l("Moderatiebeslissing"),
    REPORT_HANDLED: _l("Melding behandeld"),
    CATALOGUE_IMPORTED: _l("Catalogus geïmporteerd"),
    FRESHNESS_REMINDER_SENT: _l("Herinnering om aanbod te bevestigen verstuurd"),
    LOG_PRUNED: _l("Oude beveiligingsgebeurtenissen gewist"),
    MAIL_RESENT: _l("Niet bezorgde mail opnieuw verstuurd"),
}

# What an event is about (`SecurityEvent.target_type`).
TARGET_LABELS = {
    "user": _l("gebruiker"), "organisation": _l("organisatie"), "api_key": _l("API-sleutel"),
    "listing": _l("aanbod"), "revision": _l("wijziging"), "report": _l("melding"),
    "charter": _l("charterondertekening"), "organisation_revision": _l("wijziging van een organisatie"),
    "outbox_mail": _l("mail"),
}

SUCCESS, FAILURE, DENIED = "success", "failure", "denied"
OUTCOME_LABELS = {SUCCESS: _l("gelukt"), FAILURE: _l("mislukt"), DENIED: _l("geweigerd")}
