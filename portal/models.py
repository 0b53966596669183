"""Every model, imported in one place so that db.metadata (and Alembic) knows all tables."""

from portal.accounts.models import Membership, User
from portal.catalogue.models import Listing, ListingStatusChange, Location, Organisation
from portal.search.models import SearchOutboxEntry

__all__ = ["Listing", "ListingStatusChange", "Location", "Membership", "Organisation", "SearchOutboxEntry", "User"]
