"""Keeping the catalogue true (the rules: portal/catalogue/freshness.py): the scheduled run that reminds, takes
stale listings out of the search and archives, the organisation's confirmation (the reminder's link, the
dashboard), and the moderators' report and reminder. Like every service: the actor explicitly, policy checked,
nothing committed here (the command or the request commits once)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import clock
from portal.accounts import tokens
from portal.accounts.models import User
from portal.catalogue import freshness, policy, vocab
from portal.catalogue import services as catalogue
from portal.catalogue.models import Listing, ListingStatusChange, Organisation
from portal.domain import NotFound, PermissionDenied, ValidationFailed
from portal.extensions import db
from portal.freshness import notifications
from portal.moderation.notifications import members_to_mail
from portal.organisations import history
from portal.organisations import policy as organisation_policy
from portal.pagination import Page, Window
from portal.search import sync
from portal.security_log import events, record
from portal.text import fold

TOKEN_PURPOSE = "freshness"


# The scheduled run

@dataclass
class Notice:
    """What one organisation's members hear after a run, or from a moderator."""

    organisation: Organisation
    reminded: dict[int, list[Listing]] = field(default_factory=lambda: defaultdict(list))  # reminder number -> ...
    stale: list[Listing] = field(default_factory=list)
    archived: list[Listing] = field(default_factory=list)
    details_reminder: int = 0  # the reminder number for the organisation's own details; 0: none
    by_moderator: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.reminded or self.stale or self.archived or self.details_reminder or self.by_moderator)


@dataclass
class RunReport:
    reminded: int = 0  # listings that got a reminder
    stale: int = 0
    archived: int = 0  # unconfirmed for ARCHIVE_MONTHS
    past: int = 0  # dated listings archived PAST_ARCHIVE_DAYS after their last day
    organisations_reminded: int = 0  # organisations reminded to confirm their details
    mails: int = 0


def _in_dutch(message: str, **values) -> str:
    with force_locale("nl"):
        return gettext(message, **values)


def _freshness_entry(listing: Listing, actor: User | None, event: str, reason: str) -> None:
    listing.status_changes.append(ListingStatusChange(actor=actor, at=clock.now(), from_status=listing.status,
                                                      to_status=listing.status, freshness=event, reason=reason))
    sync.listing_changed(listing)  # the row's version changes with it


def run(today: date) -> RunReport:
    """Apply the yearly cycle as of `today`: every step happens once (the reminders sent are counted on the row,
    stale and archived are states), so running it again the same day, or twice a day, sends nothing twice. The
    rows are locked while it runs (PostgreSQL; a command holds SQLite's write lock), so two nodes running it at
    once do not both remind."""
    report, notices = RunReport(), {}

    def notice(organisation: Organisation) -> Notice:
        return notices.setdefault(organisation.id, Notice(organisation))

    listings = db.session.scalars(
        select(Listing).where(policy.reachable_listing_clause()).order_by(Listing.id)
        .options(selectinload(Listing.organisation)).with_for_update(of=Listing)
    ).all()
    for listing in listings:
        if freshness.is_long_past(listing.last_day, today):
            catalogue.scheduled_transition(listing, "archive", _in_dutch(
                "Afgelopen op %(date)s: automatisch gearchiveerd na %(days)s dagen.",
                date=listing.last_day.isoformat(), days=freshness.PAST_ARCHIVE_DAYS))
            report.past += 1
            continue
        if not freshness.needs_yearly_confirmation(listing.schedule):
            continue
        since = freshness.confirmed_on(listing)
        if freshness.is_expired(since, today):
            catalogue.scheduled_transition(listing, "archive", _in_dutch(
                "Sinds %(date)s niet bevestigd (%(months)s maanden): automatisch gearchiveerd.",
                date=since.isoformat(), months=freshness.ARCHIVE_MONTHS))
            notice(listing.organisation).archived.append(listing)
            report.archived += 1
        elif freshness.is_overdue(since, today):
            if policy.is_public(listing):
                catalogue.scheduled_transition(listing, "go_stale", _in_dutch(
                    "Sinds %(date)s niet bevestigd (%(months)s maanden): uit de zoekresultaten.",
                    date=since.isoformat(), months=freshness.STALE_MONTHS))
                notice(listing.organisation).stale.append(listing)
                report.stale += 1
        else:
            due = freshness.reminders_due(since, today)
            if due > listing.reminders_sent:
                listing.reminders_sent = due
                _freshness_entry(listing, None, "reminded", _in_dutch(
                    "Herinnering %(number)s: sinds %(date)s niet bevestigd.", number=due, date=since.isoformat()))
                notice(listing.organisation).reminded[due].append(listing)
                report.reminded += 1

    organisations = db.session.scalars(
        select(Organisation).where(policy.public_organisation_clause()).order_by(Organisation.id)
        .with_for_update(of=Organisation)
    ).all()
    for organisation in organisations:
        due = freshness.reminders_due(freshness.confirmed_on(organisation), today)
        if due > organisation.reminders_sent:
            organisation.reminders_sent = due
            _history(organisation, None, "reminded", _in_dutch("Herinnering %(number)s om de gegevens te bevestigen.",
                                                               number=due))
            notice(organisation).details_reminder = due
            report.organisations_reminded += 1

    for item in notices.values():
        report.mails += _mail(item, today)
    return report


def _history(organisation: Organisation, actor: User | None, action: str, reason: str | None = None) -> None:
    history.record(organisation, actor, action, reason=reason).at = clock.now()


def _mail(notice: Notice, today: date) -> int:
    """Mail each active member of the notice's organisation, with a confirmation link of their own."""
    recipients = members_to_mail(notice.organisation)
    for user in recipients:
        notifications.queue_notice(user, notice, _token(user, notice.organisation), today)
    return len(recipients)


# Confirming

def _token(user: User, organisation: Organisation) -> str:
    return tokens.issue(TOKEN_PURPOSE, user.id, f"organisation:{organisation.id}", str(organisation.id))


def read_link(token: str) -> tuple[User, Organisation]:
    """Who a reminder's confirmation link is for, and for which organisation. It works while that person still
    manages the organisation's listings, until the link expires (tokens.LIFETIMES): confirming twice is harmless,
    so it is not single-use."""
    user_id, state, extra = tokens.read(TOKEN_PURPOSE, token)
    organisation = db.session.get(Organisation, int(extra)) if extra.isdigit() else None
    user = db.session.get(User, user_id)
    if organisation is None or user is None or not policy.can_create_listing(user, organisation):
        raise tokens.TokenRefused(_l("Deze link is ongeldig of werd al gebruikt."))
    tokens.check_state(state, f"organisation:{organisation.id}")
    return user, organisation


@dataclass(frozen=True)
class ListingFreshness:
    listing: Listing
    confirmed_on: date
    state: str | None  # a vocab.FRESHNESS_STATES code; None for a dated listing, which ends by itself
    confirm_by: date | None


def _state(listing: Listing, today: date) -> str:
    """Stale is overdue whatever its date says (a stale listing stays so until confirmed)."""
    return "overdue" if policy.is_stale(listing) else freshness.freshness_state(freshness.confirmed_on(listing), today)


def _reachable(organisation: Organisation) -> list[Listing]:
    """The organisation's published and stale listings, by title."""
    listings = db.session.scalars(select(Listing).where(
        Listing.organisation_id == organisation.id, policy.reachable_listing_clause())).all()
    return sorted(listings, key=lambda item: fold(item.title))


def overview(organisation: Organisation, today: date) -> list[ListingFreshness]:
    """The organisation's published and stale listings with their confirmation, by title."""
    rows = []
    for listing in _reachable(organisation):
        since = freshness.confirmed_on(listing)
        yearly = freshness.needs_yearly_confirmation(listing.schedule)
        rows.append(ListingFreshness(
            listing=listing, confirmed_on=since,
            state=_state(listing, today) if yearly else None,
            confirm_by=freshness.confirm_by(since) if yearly else None))
    return rows


def confirm_organisation(actor: User, organisation: Organisation) -> None:
    """The owner says the organisation's details are still right."""
    if not organisation_policy.can_edit_organisation(actor, organisation):
        raise PermissionDenied(_l("Alleen eigenaars van de organisatie bevestigen haar gegevens."))
    catalogue.mark_confirmed(organisation)
    _history(organisation, actor, "confirmed")


def confirm_all(actor: User, organisation: Organisation) -> int:
    """Confirm every published and stale listing of the organisation, and its details when the actor may edit
    them (the reminder's one click). Returns how many listings were confirmed."""
    if not policy.can_create_listing(actor, organisation):
        raise PermissionDenied(_l("Je kunt alleen aanbod van je eigen organisatie bevestigen."))
    listings = _reachable(organisation)
    for listing in listings:
        catalogue.confirm_listing(actor, listing)
    if organisation_policy.can_edit_organisation(actor, organisation):
        confirm_organisation(actor, organisation)
    return len(listings)


# The moderators' report and reminder

@dataclass
class Counts:
    confirmed: int = 0
    due: int = 0
    overdue: int = 0

    @property
    def total(self) -> int:
        return self.confirmed + self.due + self.overdue

    def add(self, state: str) -> None:
        setattr(self, state, getattr(self, state) + 1)


@dataclass(frozen=True)
class OrganisationRow:
    organisation: Organisation
    counts: Counts
    confirmed_on: date


@dataclass(frozen=True)
class Report:
    organisations: Page[OrganisationRow]  # those with listings to confirm yearly, most overdue first
    provinces: list[tuple[str | None, Counts]]  # by the organisation's province (None: not known)
    total: Counts


def report(actor: User, today: date, page: int | None = None) -> Report:
    """Published and stale permanent and periodic listings (those confirmed yearly): confirmed, due (a reminder
    went out) and overdue (stale), per organisation and per province of the organisation."""
    if not policy.can_moderate(actor):
        raise PermissionDenied(_l("Alleen moderatoren zien het overzicht van de actualiteit."))
    listings = db.session.scalars(select(Listing).where(
        policy.reachable_listing_clause(), Listing.schedule.in_(freshness.YEARLY_SCHEDULES))
        .options(selectinload(Listing.organisation))).all()
    per_organisation: dict[int, Counts] = defaultdict(Counts)
    per_province: dict[str | None, Counts] = defaultdict(Counts)
    total, organisations = Counts(), {}
    for listing in listings:
        state = _state(listing, today)
        organisation = organisations.setdefault(listing.organisation_id, listing.organisation)
        municipality = organisation.municipality
        for counts in (per_organisation[organisation.id], per_province[municipality.region if municipality else None],
                       total):
            counts.add(state)
    rows = sorted((OrganisationRow(organisations[key], counts, freshness.confirmed_on(organisations[key]))
                   for key, counts in per_organisation.items()),
                  key=lambda row: (-row.counts.overdue, -row.counts.due, fold(row.organisation.name)))
    window = Window.of(len(rows), page)
    provinces = [(code, per_province[code]) for code in (*vocab.REGIONS.codes, None) if code in per_province]
    return Report(organisations=window.page_of(rows[window.offset:window.offset + window.size]),
                  provinces=provinces, total=total)


def send_reminder(actor: User, organisation: Organisation, today: date) -> int:
    """A moderator's reminder to an organisation to confirm its listings that are due or overdue, and its details,
    mailed to its members and recorded in its history, the listings' audit trails and the security log. Returns
    how many were mailed."""
    if not policy.can_moderate(actor):
        raise PermissionDenied(_l("Alleen moderatoren sturen een herinnering."))
    if not members_to_mail(organisation):
        raise ValidationFailed({"form": [_l("Deze organisatie heeft geen actieve leden om te mailen.")]})
    notice = Notice(organisation, by_moderator=True)
    for row in overview(organisation, today):
        if row.state in ("due", "overdue"):
            (notice.stale if policy.is_stale(row.listing) else notice.reminded[0]).append(row.listing)
            _freshness_entry(row.listing, actor, "reminded", _in_dutch("Herinnering van een moderator."))
    _history(organisation, actor, "reminded", _in_dutch("Herinnering van een moderator."))
    record(events.FRESHNESS_REMINDER_SENT, actor, target=organisation,
           listings=len(notice.reminded[0]) + len(notice.stale))
    return _mail(notice, today)


def organisation_by_id(organisation_id: int) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(_l("Deze organisatie bestaat niet (meer)."))
    return organisation
