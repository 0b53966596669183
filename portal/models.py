"""Every model, imported in one place so that db.metadata (and Alembic) knows all tables."""

from portal.accounts.models import Membership, User
from portal.catalogue.models import Listing, ListingStatusChange, Location, Organisation
from portal.mail.models import OutboxMail
from portal.moderation.models import ListingReport
from portal.organisations.models import ApiToken, CharterSignature, Invitation, JoinRequest
from portal.search.models import ListingChange, ListingChangeCounter
from portal.security_log.models import SecurityEvent
from portal.submissions.models import ListingRevision

__all__ = ["ApiToken", "CharterSignature", "Invitation", "JoinRequest", "Listing", "ListingChange",
           "ListingChangeCounter", "ListingReport", "ListingRevision", "ListingStatusChange", "Location", "Membership",
           "Organisation", "OutboxMail", "SecurityEvent", "User"]
