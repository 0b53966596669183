"""The moderators' operations: the queue, decisions on listings and revisions, reports and the audit log.

Every function takes the acting user explicitly, checks policy and never commits (the request does).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, String, Subquery, func, literal_column, or_, select, type_coerce, union_all
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.catalogue import policy, vocab
from portal.catalogue import services as catalogue
from portal.catalogue.inputs import INVALID_EMAIL, is_email
from portal.catalogue.models import Listing, ListingStatusChange, Location, Organisation, listing_details
from portal.catalogue.workflow import LISTING, REPORT, REVISION
from portal.database import UTCDateTime, utcnow
from portal.domain import DomainError, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from portal.extensions import db
from portal.moderation import notifications
from portal.moderation import policy as moderation_policy
from portal.moderation.diff import FieldChange, listing_diff, organisation_diff
from portal.moderation.models import ListingReport
from portal.organisations import details, history
from portal.organisations import services as organisations
from portal.organisations.models import CharterSignature, OrganisationChange, OrganisationRevision
from portal.pagination import Page, Window, paginate
from portal.reference import municipalities
from portal.security_log import events, record
from portal.submissions import codec
from portal.submissions.models import ListingRevision
from portal.submissions.services import close_revision, pending_revision
from portal.text import whole_number

WAITING_CHOICES = (1, 3, 7, 14, 30)  # "waiting at least N days" in the queue filter
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _require_moderator(actor: User | None) -> None:
    if not policy.can_moderate(actor):
        raise PermissionDenied(_l("Alleen moderatoren hebben hier toegang."))


def _quality(codes: list[str] | None) -> list[str] | None:
    if codes is None:
        return None
    unknown = [code for code in codes if code not in vocab.QUALITY_PRINCIPLES]
    if unknown:
        raise ValidationFailed({"quality_checks": [_l("Onbekend kwaliteitscriterium.")]})
    return [code for code in vocab.QUALITY_PRINCIPLES.codes if code in codes]


def version_of(subject: Listing | ListingRevision | OrganisationRevision) -> str:
    """The version of a pending listing or revision that a moderator reviews: it changes with every change the
    organisation makes (withdraw, edit and submit again; edit a revision again). Its updated_at in microseconds."""
    return str((subject.updated_at - EPOCH) // timedelta(microseconds=1))


def _require_version(subject: Listing | ListingRevision | OrganisationRevision, seen_version: str | None) -> None:
    """Refuse a decision on another version than the one the moderator saw. None: the caller showed no version
    (a script); the review pages and the queue always send one."""
    if seen_version is not None and seen_version != version_of(subject):
        raise InvalidTransition(_l("Dit werd intussen gewijzigd; bekijk de nieuwe versie."))


def _required_reason(reason: str | None, message) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": [message]})
    return reason


# The queue

SECTIONS = {  # what waits for a moderator: a section of the queue each, counted in this order
    "listing": _l("Nieuw aanbod"),
    "revision": _l("Wijziging"),
    "organisation": _l("Organisatie"),
    "organisation_revision": _l("Wijziging organisatie"),  # of a verified organisation's details
    "charter": _l("Charterondertekening"),
    "report": _l("Melding"),
}


@dataclass(frozen=True)
class QueueItem:
    type: str  # a key of SECTIONS; "charter" is a signature to verify
    id: int
    title: str
    organisation: str
    kind: str | None  # listing kind; None for organisations
    since: datetime
    verified: bool = True  # whether the organisation is verified (a listing cannot be published before)
    version: str | None = None  # of a listing or revision: what a bulk approval checks (see version_of)

    @property
    def ref(self) -> str:
        """What the bulk-approval form posts for this item."""
        return f"{self.type}-{self.id}"

    @property
    def bulk_value(self) -> str:
        """What the bulk-approval checkbox posts: the reference and the version the moderator saw."""
        return f"{self.ref}@{self.version}" if self.version else self.ref

    @property
    def approvable_in_bulk(self) -> bool:
        return self.type in ("listing", "revision")


@dataclass(frozen=True)
class Queue:
    page: Page[QueueItem]  # of the chosen section, or of all of them, oldest first
    counts: dict[str, int]  # per section (SECTIONS order), with the filters but whichever section is chosen


def _waiting_row(section: str, id_column, since):
    """What the queue knows of a waiting item before it is shown: its section, id and waiting time."""
    return select(literal_column(f"'{section}'", String).label("section"), id_column.label("id"),
                  type_coerce(since, UTCDateTime).label("since"))


def _on_listing(kind: str | None, region: str | None) -> list:
    conditions = [Listing.kind == kind] if kind else []
    if region:  # a Flanders-wide listing is offered in every province
        conditions.append(or_(Listing.flanders_wide, select(Location.id).where(
            Location.listing_id == Listing.id, Location.municipality_code.in_(municipalities.codes_in(region))
        ).exists()))
    return conditions


def _waiting(kind: str | None, region: str | None) -> dict[str, Select]:
    """Per section, the select of what waits there: rows only (section, id, since), filtered in SQL."""
    submitted = LISTING.leads_to("submit")
    submitted_at = select(func.max(ListingStatusChange.at)).where(
        ListingStatusChange.listing_id == Listing.id, ListingStatusChange.to_status == submitted,
        ListingStatusChange.revision_id.is_(None)).scalar_subquery()
    on_listing = _on_listing(kind, region)
    on_organisation = [Organisation.municipality_code.in_(municipalities.codes_in(region))] if region else []
    found = {
        "listing": _waiting_row("listing", Listing.id, func.coalesce(submitted_at, Listing.updated_at))
        .where(Listing.status.in_(LISTING.states_allowing("publish")), *on_listing),
        "revision": _waiting_row("revision", ListingRevision.id, ListingRevision.created_at)
        .join(ListingRevision.listing).where(ListingRevision.status == REVISION.initial, *on_listing),
    }
    if kind is None:  # organisations have no listing kind
        found["organisation"] = _waiting_row("organisation", Organisation.id, Organisation.created_at).where(
            Organisation.verified_at.is_(None), *on_organisation)
        found["organisation_revision"] = _waiting_row(
            "organisation_revision", OrganisationRevision.id, OrganisationRevision.created_at).join(
            OrganisationRevision.organisation).where(OrganisationRevision.status == REVISION.initial, *on_organisation)
    if kind in (None, "charter_signatory"):  # verifying a signature publishes a charter signatory listing
        found["charter"] = _waiting_row("charter", CharterSignature.id, CharterSignature.created_at).join(
            CharterSignature.organisation).where(CharterSignature.verified_at.is_(None), *on_organisation)
    found["report"] = _waiting_row("report", ListingReport.id, ListingReport.created_at).join(
        ListingReport.listing).where(ListingReport.status == REPORT.initial, *on_listing)
    return found


def _shown(section: str, rows: dict[int, datetime]) -> list[QueueItem]:
    """The page's items of one section, loaded in one query and one per relation, however long the queue."""
    ids = list(rows)
    if section == "listing":
        return [QueueItem("listing", listing.id, listing.title, listing.organisation.name, listing.kind,
                          rows[listing.id], listing.organisation.is_verified, version_of(listing))
                for listing in db.session.scalars(select(Listing).where(Listing.id.in_(ids))
                                                  .options(selectinload(Listing.organisation)))]
    if section == "revision":
        return [QueueItem("revision", revision.id, revision.listing.title, revision.listing.organisation.name,
                          revision.listing.kind, rows[revision.id], version=version_of(revision))
                for revision in db.session.scalars(
                    select(ListingRevision).where(ListingRevision.id.in_(ids))
                    .options(selectinload(ListingRevision.listing).selectinload(Listing.organisation)))]
    if section == "organisation":
        return [QueueItem("organisation", org.id, org.name, org.name, None, rows[org.id], False)
                for org in db.session.scalars(select(Organisation).where(Organisation.id.in_(ids)))]
    if section == "organisation_revision":
        return [QueueItem("organisation_revision", revision.id, revision.organisation.name, revision.organisation.name,
                          None, rows[revision.id], version=version_of(revision))
                for revision in db.session.scalars(
                    select(OrganisationRevision).where(OrganisationRevision.id.in_(ids))
                    .options(selectinload(OrganisationRevision.organisation)))]
    if section == "charter":
        return [QueueItem("charter", signature.id, signature.organisation.name, signature.organisation.name,
                          "charter_signatory", rows[signature.id], signature.organisation.is_verified)
                for signature in db.session.scalars(
                    select(CharterSignature).where(CharterSignature.id.in_(ids))
                    .options(selectinload(CharterSignature.organisation)))]
    return [QueueItem("report", report.id, report.listing.title, report.listing.organisation.name,
                      report.listing.kind, rows[report.id])
            for report in db.session.scalars(
                select(ListingReport).where(ListingReport.id.in_(ids))
                .options(selectinload(ListingReport.listing).selectinload(Listing.organisation)))]


def queue(actor: User, kind: str | None = None, region: str | None = None, min_days: int | None = None,
          section: str | None = None, page: int | None = 1, now: datetime | None = None) -> Queue:
    """Everything waiting for a moderator, oldest first, a page at a time, filtered by listing kind, province,
    waiting time and section. A constant number of statements whatever the queue holds: the counts per
    section, the page's rows (section, id, since), and then only the page's items with their relations."""
    _require_moderator(actor)
    cutoff = (now or utcnow()) - timedelta(days=min_days) if min_days is not None else None
    selects = _waiting(kind, region)

    def waiting(sections) -> Subquery:
        rows = union_all(*(selects[name] for name in sections)).subquery("waiting")
        return select(rows).where(rows.c.since <= cutoff).subquery("shown") if cutoff is not None else rows

    everything = waiting(selects)
    found = dict(db.session.execute(select(everything.c.section, func.count()).group_by(everything.c.section))
                 .all())
    counts = {name: found.get(name, 0) for name in SECTIONS}
    chosen = [section] if section in selects else list(selects)
    shown = waiting(chosen) if section in selects else everything
    window = Window.of(sum(counts[name] for name in chosen), page)
    rows = db.session.execute(select(shown.c.section, shown.c.id, shown.c.since)
                              .order_by(shown.c.since, shown.c.section, shown.c.id)
                              .offset(window.offset).limit(window.size)).all()
    by_section: dict[str, dict[int, datetime]] = {}
    for name, item_id, since in rows:
        by_section.setdefault(name, {})[item_id] = since
    items = [item for name, found_rows in by_section.items() for item in _shown(name, found_rows)]
    return Queue(page=window.page_of(sorted(items, key=lambda item: (item.since, item.type, item.id))),
                 counts=counts)


# Listings

def listing_for_review(actor: User, listing_id: int) -> Listing:
    _require_moderator(actor)
    listing = db.session.scalar(
        select(Listing).where(Listing.id == listing_id)
        .options(*listing_details(), selectinload(Listing.status_changes).selectinload(ListingStatusChange.actor))
    )
    if listing is None:
        raise NotFound(_l("Dit aanbod bestaat niet."))
    return listing


def approve_listing(actor: User, listing: Listing, quality_checks: list[str] | None = None,
                    seen_version: str | None = None) -> None:
    _require_moderator(actor)
    _require_version(listing, seen_version)
    catalogue.publish_listing(actor, listing, _quality(quality_checks))
    record(events.MODERATION_DECISION, actor, target=listing, decision="approve")


def reject_listing(actor: User, listing: Listing, reason: str, quality_checks: list[str] | None = None,
                   seen_version: str | None = None) -> None:
    _require_moderator(actor)
    _require_version(listing, seen_version)
    reason = _required_reason(reason, _l("Geef een reden, zodat de organisatie weet wat ze moet aanpassen."))
    catalogue.reject_listing(actor, listing, reason, _quality(quality_checks))
    record(events.MODERATION_DECISION, actor, target=listing, decision="reject")
    notifications.notify_rejection(listing, reason)


def _end_pending_revision(actor: User, listing: Listing, why) -> None:
    revision = pending_revision(listing)
    if revision is not None:
        close_revision(actor, revision, "withdraw", str(why))


def unpublish_listing(actor: User, listing: Listing, reason: str) -> None:
    """Published -> draft, out of the search index; a pending revision lapses with it."""
    _require_moderator(actor)
    catalogue.unpublish_listing(actor, listing, reason)
    record(events.MODERATION_DECISION, actor, target=listing, decision="unpublish")
    _end_pending_revision(actor, listing, _l("Het aanbod werd offline gehaald."))


def archive_listing(actor: User, listing: Listing, reason: str | None = None) -> None:
    _require_moderator(actor)
    catalogue.archive_listing(actor, listing, reason)
    record(events.MODERATION_DECISION, actor, target=listing, decision="archive")
    _end_pending_revision(actor, listing, _l("Het aanbod werd gearchiveerd."))


# Revisions

def revision_for_review(actor: User, revision_id: int) -> tuple[ListingRevision, list[FieldChange]]:
    """The revision and its changes against the live listing."""
    _require_moderator(actor)
    revision = db.session.scalar(
        select(ListingRevision).where(ListingRevision.id == revision_id)
        .options(selectinload(ListingRevision.listing).options(*listing_details()))
    )
    if revision is None:
        raise NotFound(_l("Deze wijziging bestaat niet."))
    return revision, listing_diff(codec.from_listing(revision.listing), codec.from_json(revision.data))


def _require_pending(revision: ListingRevision | OrganisationRevision, action: str) -> None:
    """Refuse a decision on a revision that was already decided, before anything else is checked or applied."""
    REVISION.next_state(action, revision.status)


def approve_revision(actor: User, revision: ListingRevision, quality_checks: list[str] | None = None,
                     seen_version: str | None = None) -> None:
    """The live listing takes the revision's data (and the search index follows)."""
    _require_moderator(actor)
    _require_pending(revision, "approve")
    _require_version(revision, seen_version)
    checks = _quality(quality_checks)
    catalogue.apply_approved_revision(actor, revision.listing, codec.from_json(revision.data))
    close_revision(actor, revision, "approve", quality_checks=checks)
    record(events.MODERATION_DECISION, actor, target=revision, decision="approve", listing=revision.listing_id)


def reject_revision(actor: User, revision: ListingRevision, reason: str,
                    quality_checks: list[str] | None = None, seen_version: str | None = None) -> None:
    _require_moderator(actor)
    _require_pending(revision, "reject")
    _require_version(revision, seen_version)
    reason = _required_reason(reason, _l("Geef een reden, zodat de organisatie weet wat ze moet aanpassen."))
    close_revision(actor, revision, "reject", reason, _quality(quality_checks))
    record(events.MODERATION_DECISION, actor, target=revision, decision="reject", listing=revision.listing_id)
    notifications.notify_rejection(revision.listing, reason, what="revision")


@dataclass
class BulkResult:
    approved: list[str]  # titles
    failed: list[tuple[str, str]]  # (title or reference, Dutch reason)


def approve_many(actor: User, refs: list[str]) -> BulkResult:
    """Approve several pending listings and revisions ("listing-<id>", "revision-<id>", each optionally with
    "@<version>", the version the moderator saw: see version_of) in one go. Each in its own savepoint: one that
    cannot be approved (e.g. an unverified organisation, or changed since) leaves the others approved."""
    _require_moderator(actor)
    result = BulkResult(approved=[], failed=[])
    for value in dict.fromkeys(refs):
        ref, _, seen_version = value.partition("@")
        kind, _, raw_id = ref.partition("-")
        subject, subject_id = None, whole_number(raw_id)
        if subject_id is not None and kind == "listing":
            subject = db.session.get(Listing, subject_id)
        elif subject_id is not None and kind == "revision":
            subject = db.session.get(ListingRevision, subject_id)
        if subject is None:
            result.failed.append((ref, str(_l("Niet gevonden."))))
            continue
        title = subject.title if kind == "listing" else subject.listing.title
        savepoint = db.session.begin_nested()
        try:
            if kind == "listing":
                approve_listing(actor, subject, seen_version=seen_version or None)
            else:
                approve_revision(actor, subject, seen_version=seen_version or None)
            savepoint.commit()
            result.approved.append(title)
        except DomainError as error:
            savepoint.rollback()
            result.failed.append((title, str(error)))
    return result


# Organisations

def verify_organisation(actor: User, organisation_id: int) -> Organisation:
    _require_moderator(actor)
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(_l("Deze organisatie bestaat niet."))
    organisations.verify_organisation(actor, organisation)  # the same operation as on /beheer/organisaties
    return organisation


# Changes of verified organisations' details

def organisation_revision_for_review(actor: User, revision_id: int) -> tuple[OrganisationRevision, list[FieldChange]]:
    """The revision and its changes against the organisation's public details."""
    _require_moderator(actor)
    revision = db.session.get(OrganisationRevision, revision_id)
    if revision is None:
        raise NotFound(_l("Deze wijziging bestaat niet."))
    return revision, organisation_diff(details.current(revision.organisation), revision.data)


def approve_organisation_revision(actor: User, revision: OrganisationRevision,
                                  seen_version: str | None = None) -> None:
    """The public page takes the revision's details (and the search index follows a new name)."""
    _require_moderator(actor)
    _require_pending(revision, "approve")
    _require_version(revision, seen_version)
    organisations.close_revision(actor, revision, "approve")
    record(events.MODERATION_DECISION, actor, target=revision, decision="approve",
           organisation=revision.organisation_id)


def reject_organisation_revision(actor: User, revision: OrganisationRevision, reason: str,
                                 seen_version: str | None = None) -> None:
    """The public details stay; the owners get the reason by mail."""
    _require_moderator(actor)
    _require_pending(revision, "reject")
    _require_version(revision, seen_version)
    reason = _required_reason(reason, _l("Geef een reden, zodat de organisatie weet wat ze moet aanpassen."))
    organisations.close_revision(actor, revision, "reject", reason)
    record(events.MODERATION_DECISION, actor, target=revision, decision="reject",
           organisation=revision.organisation_id)
    notifications.notify_organisation_rejection(revision.organisation, reason)


def organisation_history(actor: User, organisation_id: int) -> tuple[Organisation, list[OrganisationChange]]:
    _require_moderator(actor)
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(_l("Deze organisatie bestaat niet."))
    return organisation, history.changes_of(organisation)


# Reports

def report_problem(actor: User | None, listing: Listing, message: str, email: str | None) -> ListingReport:
    """A visitor (signed in or not) reports what is wrong with a public listing."""
    if not moderation_policy.can_report_listing(actor, listing):
        raise NotFound(_l("Dit aanbod bestaat niet (meer)."))
    errors = {}
    message = (message or "").strip()
    if len(message) < 5:
        errors["message"] = [_l("Beschrijf kort wat er niet klopt.")]
    elif len(message) > 2000:
        errors["message"] = [_l("Beschrijf het in hoogstens 2000 tekens.")]
    email = (email or "").strip() or None
    if email and not is_email(email):
        errors["email"] = [INVALID_EMAIL]
    if errors:
        raise ValidationFailed(errors)
    report = ListingReport(listing=listing, message=message, email=email, status=REPORT.initial)
    db.session.add(report)
    return report


def report_for_review(actor: User, report_id: int) -> ListingReport:
    _require_moderator(actor)
    report = db.session.get(ListingReport, report_id)
    if report is None:
        raise NotFound(_l("Deze melding bestaat niet."))
    return report


def handle_report(actor: User, report: ListingReport, outcome: str, note: str | None) -> None:
    """Close an open report as resolved or dismissed, with what was done about it."""
    _require_moderator(actor)
    action = REPORT.action_to(outcome)
    if action is None:
        raise ValidationFailed({"outcome": [_l("Kies of de melding opgelost is of niet weerhouden wordt.")]})
    report.status, report.note = REPORT.next_state(action, report.status), (note or "").strip() or None
    report.handled_by, report.handled_at = actor, utcnow()
    record(events.REPORT_HANDLED, actor, target=report, result=report.status, listing=report.listing_id)


# Audit trail

def listing_history(actor: User | None, listing: Listing) -> list[ListingStatusChange]:
    if not moderation_policy.can_view_audit_trail(actor, listing):
        raise NotFound(_l("Dit aanbod bestaat niet."))
    return list(listing.status_changes)


def audit_log(actor: User, page: int = 1) -> Page[ListingStatusChange]:
    """Every state change of every listing, newest first, a page at a time."""
    if not moderation_policy.can_view_global_log(actor):
        raise PermissionDenied(_l("Alleen moderatoren hebben hier toegang."))
    return paginate(
        select(ListingStatusChange).order_by(ListingStatusChange.at.desc(), ListingStatusChange.id.desc())
        .options(selectinload(ListingStatusChange.listing), selectinload(ListingStatusChange.actor)), page)
