"""Organisations, their listings with locations, and the audit trail of listing state changes."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from portal.catalogue import vocab
from portal.catalogue.workflow import LISTING, REVISION
from portal.database import UTCDateTime, utcnow
from portal.extensions import db
from portal.reference import municipalities

# Formats of a dated offer that is joined from its first day: see Listing.enrolment_closes_at_start.
CLOSED_AT_START_FORMATS = frozenset({"camp", "course"})


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(40))  # vocab.ORGANISATION_KINDS
    website: Mapped[str | None] = mapped_column(String(500))
    public_email: Mapped[str | None] = mapped_column(String(254))
    description: Mapped[str] = mapped_column(Text, default="")
    municipality_code: Mapped[str | None] = mapped_column(String(5))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    charter_signed_on: Mapped[date | None] = mapped_column(Date)
    charter_commitment: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(String(200), unique=True)  # its id in an imported file
    # "laatst bevestigd op" and the reminders sent since (portal/catalogue/freshness.py)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminders_sent: Mapped[int] = mapped_column(SmallInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    listings: Mapped[list[Listing]] = relationship(back_populates="organisation")
    memberships: Mapped[list[Membership]] = relationship(  # noqa: F821
        back_populates="organisation", cascade="all, delete-orphan"
    )

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def has_signed_charter(self) -> bool:
        return self.charter_signed_on is not None

    @property
    def municipality(self) -> municipalities.Municipality | None:
        return municipalities.get(self.municipality_code) if self.municipality_code else None

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"


class Listing(db.Model):
    __tablename__ = "listings"
    __table_args__ = (
        CheckConstraint(f"status IN ({', '.join(repr(c) for c in vocab.LISTING_STATUSES.codes)})", name="status"),
        CheckConstraint("min_age IS NULL OR min_age >= 0", name="min_age_not_negative"),
        CheckConstraint("min_age IS NULL OR max_age IS NULL OR min_age <= max_age", name="age_range"),
        CheckConstraint("end_date IS NULL OR start_date IS NULL OR start_date <= end_date", name="date_range"),
        Index("ix_listings_organisation_status", "organisation_id", "status"),
        UniqueConstraint("organisation_id", "external_id", name="uq_listings_organisation_external_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    kind: Mapped[str] = mapped_column(String(40))  # vocab.LISTING_KINDS
    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(220), unique=True)
    summary: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    provider_url: Mapped[str] = mapped_column(String(500))
    min_age: Mapped[int | None] = mapped_column(SmallInteger)
    max_age: Mapped[int | None] = mapped_column(SmallInteger)
    # Multi-valued facets as lists of vocabulary codes; services replace the whole list on change.
    target_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    disciplines: Mapped[list[str]] = mapped_column(JSON, default=list)
    formats: Mapped[list[str]] = mapped_column(JSON, default=list)
    what_to_bring: Mapped[str | None] = mapped_column(String(500))
    cost: Mapped[str] = mapped_column(String(20))  # vocab.COSTS
    price_text: Mapped[str | None] = mapped_column(String(200))
    flanders_wide: Mapped[bool] = mapped_column(Boolean, default=False)
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    schedule: Mapped[str] = mapped_column(String(20))  # vocab.SCHEDULES
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    # The structured schedule (portal/catalogue/schedules.py): weekday and day-part codes, times as HH:MM.
    weekdays: Mapped[list[str]] = mapped_column(JSON, default=list)
    day_parts: Mapped[list[str]] = mapped_column(JSON, default=list)
    start_time: Mapped[str | None] = mapped_column(String(5))
    end_time: Mapped[str | None] = mapped_column(String(5))
    school_holidays_off: Mapped[bool] = mapped_column(Boolean, default=False)
    schedule_text: Mapped[str | None] = mapped_column(String(300))
    audience: Mapped[str] = mapped_column(String(20), default=vocab.YOUTH)  # vocab.AUDIENCES
    # Kept up to date by the organisation, without moderation (catalogue.services.set_availability).
    availability: Mapped[str] = mapped_column(String(20), default=vocab.AVAILABLE)  # vocab.AVAILABILITY
    waiting_list: Mapped[bool] = mapped_column(Boolean, default=False)
    remaining_places: Mapped[int | None] = mapped_column(Integer)
    postponed_to: Mapped[date | None] = mapped_column(Date)
    contact_name: Mapped[str | None] = mapped_column(String(120))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default=LISTING.initial, index=True)
    external_id: Mapped[str | None] = mapped_column(String(200))  # its id in an imported file, per organisation
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # "laatst bevestigd op": set on publication, re-confirmation and every change of the organisation
    # (portal/catalogue/freshness.py); the reminders sent since then
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminders_sent: Mapped[int] = mapped_column(SmallInteger, default=0)

    organisation: Mapped[Organisation] = relationship(back_populates="listings")
    locations: Mapped[list[Location]] = relationship(
        back_populates="listing", cascade="all, delete-orphan", order_by="Location.id"
    )
    status_changes: Mapped[list[ListingStatusChange]] = relationship(
        back_populates="listing", order_by="ListingStatusChange.id"
    )

    @property
    def age_groups(self) -> list[str]:
        return vocab.age_groups_for(self.min_age, self.max_age)

    @property
    def regions(self) -> list[str]:
        """Region codes where this listing is offered; a Flanders-wide listing is offered everywhere."""
        if self.flanders_wide:
            return list(vocab.REGIONS.codes)
        found = {location.region for location in self.locations if location.region}
        return [code for code in vocab.REGIONS.codes if code in found]

    @property
    def is_for_youth(self) -> bool:
        return self.audience == vocab.YOUTH

    @property
    def is_postponed(self) -> bool:
        return self.availability == "postponed"

    @property
    def first_day(self) -> date | None:
        """The first day as it now stands: a listing postponed to a new date starts then."""
        if self.schedule == "permanent":
            return None
        return self.postponed_to if self.is_postponed and self.postponed_to else self.start_date

    @property
    def last_day(self) -> date | None:
        """The day after which the listing is over; None while it runs on (permanent or open-ended, or postponed
        to a date not yet known). A postponed listing keeps its length from its new date."""
        if self.schedule == "permanent" or (self.is_postponed and self.postponed_to is None):
            return None
        last = self.end_date or (self.start_date if self.schedule == "once" else None)
        if last is not None and self.is_postponed and self.start_date:
            last += self.postponed_to - self.start_date
        return last

    @property
    def enrolment_closes_at_start(self) -> bool:
        """A camp or a course (a single one of several days, or a series) is joined from its first day: once
        begun, nobody can still enrol. A periodic club can be joined any week."""
        return self.schedule in ("once", "series") and bool(CLOSED_AT_START_FORMATS & set(self.formats))

    @property
    def last_day_to_join(self) -> date | None:
        """The last day a visitor can still take part: the day before a camp or course series starts, else the
        last day. Search leaves a listing out of the upcoming offers after this day."""
        if self.enrolment_closes_at_start and self.first_day is not None:
            return self.first_day - timedelta(days=1)
        return self.last_day

    def is_past(self, today: date) -> bool:
        return self.last_day is not None and self.last_day < today

    def has_begun_closed(self, today: date) -> bool:
        """It runs, but can no longer be joined (a camp that started)."""
        joinable = self.last_day_to_join
        return not self.is_past(today) and joinable is not None and joinable < today

    def __repr__(self) -> str:
        return f"<Listing {self.slug} {self.status}>"


class Location(db.Model):
    __tablename__ = "listing_locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(4))
    municipality_code: Mapped[str] = mapped_column(String(5), index=True)
    # WGS84; set by the services on every save (reference.places.POINT_SOURCES says how it was found)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    point_source: Mapped[str | None] = mapped_column(String(20))

    listing: Mapped[Listing] = relationship(back_populates="locations")

    @property
    def given_point(self) -> tuple[float | None, float | None]:
        """The point as input carries it: only one the organisation gave; the others are found again on save,
        from the address as it is then."""
        if self.point_source == "organisation":
            return self.latitude, self.longitude
        return None, None

    @property
    def municipality(self) -> municipalities.Municipality | None:
        return municipalities.get(self.municipality_code)

    @property
    def region(self) -> str | None:
        municipality = self.municipality
        return municipality.region if municipality else None


class ListingStatusChange(db.Model):
    """One state change of a listing: who, when, from, to and why. Never updated or deleted."""

    __tablename__ = "listing_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    from_status: Mapped[str | None] = mapped_column(String(20))  # None when the listing was created
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    # Set when the change is a revision's (from/to are then vocab.REVISION_STATUSES codes).
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("listing_revisions.id"))
    # The quality principles (vocab.QUALITY_PRINCIPLES codes) a moderator ticked with the decision.
    quality_checks: Mapped[list[str] | None] = mapped_column(JSON)
    # Set when the organisation changed the availability (from/to are then the listing's unchanged status):
    # {"availability", "waiting_list", "remaining_places", "postponed_to"} as it became.
    availability: Mapped[dict | None] = mapped_column(JSON)
    # Set for a freshness event (vocab.FRESHNESS_EVENTS: confirmed, reminded) that left the status as it was.
    freshness: Mapped[str | None] = mapped_column(String(20))

    listing: Mapped[Listing] = relationship(back_populates="status_changes")
    actor: Mapped[User | None] = relationship()  # noqa: F821
    revision: Mapped[ListingRevision | None] = relationship()  # noqa: F821

    @property
    def is_revision_update(self) -> bool:
        """The organisation changed its pending revision again (no change of state, but a new version)."""
        return self.revision_id is not None and self.from_status == self.to_status == REVISION.initial


def listing_details() -> tuple:
    """Loader options for showing listings: locations and organisation, in one extra query each."""
    return selectinload(Listing.locations), selectinload(Listing.organisation)
