"""Load the demo catalogue (seeds/catalogue/*.toml, format in seeds/FORMAT.md) through the services.

Everything goes through the same service functions as the application, acting as the demo admin,
so the demo data passes the same validation and leaves the same audit trail as real submissions.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.catalogue import policy
from portal.catalogue import services as catalogue
from portal.catalogue.fields import LISTING_FIELDS, ListingField
from portal.catalogue.inputs import ListingInput, LocationInput, OrganisationInput
from portal.catalogue.models import Listing, Organisation
from portal.domain import DomainError
from portal.extensions import db
from seeds import dates

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogue"
# The day the seed files' dates were written for (see FORMAT.md).
ANCHOR = date(2026, 11, 22)

# For local use only: the README names these. (email, display name, password, admin?, organisation slug)
DEMO_ACCOUNTS = (
    ("admin@stem-wijzer.example", "Demo-moderator", "demo-admin-wachtwoord", True, None),
    ("lid.genk@stem-wijzer.example", "Demo-lid Robotclub Schachtwiel", "demo-lid-wachtwoord", False,
     "lim-robotclub-schachtwiel-genk"),
    ("lid.antwerpen@stem-wijzer.example", "Demo-lid Robotclub De Tandwielen", "demo-lid-wachtwoord", False,
     "ant-robotclub-de-tandwielen"),
)


class SeedError(Exception):
    """A seed file breaks the format or the catalogue's rules."""


@dataclass
class LoadReport:
    organisations: int = 0
    statuses: Counter = field(default_factory=Counter)
    accounts: int = 0


def date_shift(today: date) -> timedelta:
    """The whole weeks between the anchor and today: today sits where the anchor day was, so the mix of past,
    current and upcoming offers is the one the seeds were written for, and weekdays stay weekdays."""
    return timedelta(weeks=(today - ANCHOR).days // 7)


# The texts whose dates move with the listing's (seeds/dates.py), so that they keep agreeing with them.
DATED_TEXTS = ("summary", "description", "schedule_text")


def _shifted(value: date | None, shift: timedelta) -> date | None:
    return value + shift if value else None


def _seed_value(spec: ListingField, value, shift: timedelta, span: tuple[date, date] | None):
    if spec.type == "date":
        return _shifted(value, shift)
    if spec.name in DATED_TEXTS and span is not None:
        return dates.shift_text(value, shift, span)
    if spec.type == "locations":
        return [LocationInput(name=location.get("name"), address=location["address"], postcode=location["postcode"],
                              municipality_code=str(location["municipality"])) for location in value]
    return value


def _listing_input(raw: dict, shift: timedelta) -> ListingInput:
    """The listing of a seed file, field by field of the registry; a field the file leaves out takes the
    input's default. Its dates, and those its texts name, move by the listing's shift (seeds/dates.py)."""
    first, last = raw.get("start_date"), raw.get("end_date")
    shift = dates.listing_shift(first, last, shift, ANCHOR)
    span = (first, last or first) if first else None
    return ListingInput(**{spec.name: _seed_value(spec, raw[spec.seed], shift, span) for spec in LISTING_FIELDS
                           if spec.must_be_given or spec.seed in raw})


def _organisation_input(raw: dict) -> OrganisationInput:
    return OrganisationInput(
        name=raw["name"],
        slug=raw["slug"],  # stable slugs, so links and the README's demo accounts stay valid
        kind=raw["kind"],
        municipality_code=str(raw["municipality"]),
        website=raw.get("website"),
        public_email=raw.get("email"),
        description=raw.get("description", ""),
        charter_signed_on=raw.get("charter_signed"),  # a signature date is history: not shifted
        charter_commitment=raw.get("charter_commitment"),
    )


def catalogue_is_empty() -> bool:
    return not db.session.scalar(select(func.count()).select_from(Organisation))


def load(today: date, directory: Path = CATALOGUE_DIR) -> LoadReport:
    """Create the demo accounts and every organisation and listing in `directory`. Does not commit."""
    report = LoadReport()
    shift = date_shift(today)
    try:
        admin = accounts.create_confirmed_user(*DEMO_ACCOUNTS[0][:4])
        members = {}
        for email, name, password, is_admin, slug in DEMO_ACCOUNTS[1:]:
            members[email] = (accounts.create_confirmed_user(email, name, password, is_admin), slug)
    except DomainError as error:
        raise SeedError(f"demo accounts: {error} (is the demo catalogue loaded already?)") from error
    report.accounts = len(DEMO_ACCOUNTS)

    files = sorted(directory.glob("*.toml"))
    if not files:
        raise SeedError(f"no seed files in {directory}")
    for path in files:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        for raw_organisation in data.get("organisations", []):
            where = f"{path.name}: {raw_organisation.get('slug')}"
            try:
                organisation = catalogue.create_organisation(admin, _organisation_input(raw_organisation))
                if raw_organisation.get("verified", True):
                    catalogue.verify_organisation(admin, organisation)
                report.organisations += 1
                for raw_listing in raw_organisation.get("listings", []):
                    _load_listing(admin, organisation, raw_listing, shift)
                    report.statuses[raw_listing.get("status", "published")] += 1
            except (DomainError, KeyError, TypeError) as error:
                raise SeedError(f"{where}: {error}") from error

    for user, slug in members.values():
        organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
        if organisation is None:
            raise SeedError(f"demo account {user.email}: no organisation {slug!r}")
        catalogue.add_member(admin, organisation, user, role=policy.OWNER)  # a demo member shows everything
    return report


def _load_listing(admin: User, organisation: Organisation, raw: dict, shift: timedelta) -> Listing:
    listing = catalogue.create_listing(admin, organisation, _listing_input(raw, shift))
    status = raw.get("status", "published")
    if status not in ("published", "pending", "rejected"):
        raise SeedError(f"{raw.get('title')}: unknown status {status!r}")
    catalogue.submit_listing(admin, listing)
    if status == "published":
        catalogue.publish_listing(admin, listing)
    elif status == "rejected":
        catalogue.reject_listing(admin, listing, raw.get("rejection_reason", ""))
    return listing
