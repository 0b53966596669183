"""Bulk import of organisations and listings through the catalogue services, as an acting admin.

Two passes. First every record is read and checked against the format and the catalogue's rules without
writing anything, so a file with errors is refused fast and whole. Then the valid records go through the
services in one transaction: created, updated when their external id (or slug) is known and their content
differs, or left alone when unchanged, so importing a file twice changes nothing. The caller commits once;
on any error (unless skip_invalid) or a dry run it rolls back.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.accounts.models import User
from portal.catalogue import policy, services
from portal.catalogue.inputs import (
    ListingInput,
    OrganisationInput,
    listing_errors,
    organisation_errors,
    with_audience,
)
from portal.catalogue.models import Listing, Organisation, listing_details
from portal.catalogue.workflow import CHANGES
from portal.domain import DomainError, PermissionDenied, ValidationFailed
from portal.exchange import reading, records
from portal.extensions import db
from portal.moderation import services as moderation
from portal.organisations import services as organisations
from portal.security_log import events, record
from portal.submissions import services as submissions

MODES = ("publish", "queue")


@dataclass(frozen=True)
class Problem:
    where: str  # file and line or record
    record_id: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        record = f" (id {self.record_id})" if self.record_id else ""
        field_name = f", veld {self.field}" if self.field else ""
        return f"{self.where}{record}{field_name}: {self.message}"


@dataclass
class ImportReport:
    problems: list[Problem] = field(default_factory=list)
    outcomes: Counter = field(default_factory=Counter)  # ("organisation", "created") -> count
    checked: Counter = field(default_factory=Counter)  # "organisation" -> records read

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, where: str, record_id: str | None, problems: dict) -> None:
        for field_name, messages in problems.items():
            for message in messages:
                self.problems.append(Problem(where, record_id, field_name or None, str(message)))


@dataclass
class _Valid:
    raw: reading.RawRecord
    data: OrganisationInput | ListingInput
    organisation_ref: str | None = None  # listings: the external id of their organisation


def _record_id(raw: reading.RawRecord) -> str | None:
    value = raw.data.get("id")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _check(raws: list[reading.RawRecord], report: ImportReport) -> list[_Valid]:
    """Pass one: format and catalogue rules for every record, duplicates, and references; no writes."""
    valid, seen = [], {}
    file_organisations = {_record_id(r) for r in raws if r.kind == "organisation"}
    for raw in raws:
        report.checked[raw.kind] += 1
        record_id = _record_id(raw)
        if raw.problem:
            report.add(raw.where, None, {None: [raw.problem]})
            continue
        fields = records.ORGANISATION_FIELDS if raw.kind == "organisation" else records.LISTING_FIELDS
        values, problems = records.read_fields(raw.data, fields, raw.from_csv)
        key = (raw.kind, values.get("organisation"), record_id)
        if record_id and key in seen:
            problems.add("id", _l("Deze id komt al voor (%(where)s).", where=seen[key]))
        elif record_id:
            seen[key] = raw.where
        if not problems:
            if raw.kind == "organisation":
                data = records.organisation_input(values)
                problems.update(organisation_errors(data))
            else:
                data = records.listing_input(values)
                problems.update(listing_errors(data))
        if problems:
            report.add(raw.where, record_id, problems)
        else:
            valid.append(_Valid(raw, data, values.get("organisation")))
    known = file_organisations | set(db.session.scalars(
        select(Organisation.external_id).where(Organisation.external_id.in_(
            {v.organisation_ref for v in valid if v.organisation_ref} - file_organisations))))
    for item in valid:
        if item.organisation_ref is not None and item.organisation_ref not in known:
            report.add(item.raw.where, item.data.external_id, {"organisation": [
                _l("Onbekende organisatie '%(id)s': niet in dit bestand en niet eerder ingelezen.",
                   id=item.organisation_ref)]})
    failed = {p.where for p in report.problems}
    return [item for item in valid if item.raw.where not in failed]


def _organisation_record(data: OrganisationInput, current: Organisation) -> dict:
    """What organisation_record() would write after an update with `data`: the web name stays, and the charter
    signature too (it changes only through the charter workflow, not by an update)."""
    probe = Organisation(name=data.name.strip(), slug=current.slug, kind=data.kind, website=_clean(data.website),
                         public_email=_clean(data.public_email), description=(data.description or "").strip(),
                         municipality_code=data.municipality_code, charter_signed_on=current.charter_signed_on,
                         charter_commitment=current.charter_commitment,
                         external_id=current.external_id or data.external_id)
    return records.organisation_record(probe)


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


def _listing_state(listing: Listing) -> dict:
    record = records.listing_record(listing)
    record.pop("organisation")
    return record


def _listing_wanted(data: ListingInput, listing: Listing) -> dict:
    """The record the listing would export after an update with `data` (slug and external id kept)."""
    return records.compact({"id": data.external_id or records.record_id(listing), "slug": listing.slug,
                            **records.input_record(with_audience(data))})


class _Importer:
    def __init__(self, actor: User, mode: str, report: ImportReport):
        self.actor, self.mode, self.report = actor, mode, report
        self.organisations: dict[str, Organisation] = {}

    def organisation(self, data: OrganisationInput) -> str:
        organisation = db.session.scalar(select(Organisation).where(Organisation.external_id == data.external_id))
        if organisation is None and data.slug:
            organisation = db.session.scalar(select(Organisation).where(
                Organisation.slug == data.slug, Organisation.external_id.is_(None)))
        if organisation is None:
            organisation = services.create_organisation(self.actor, data)
            outcome = "created"
        elif records.organisation_record(organisation) == _organisation_record(data, organisation):
            outcome = "unchanged"
        else:
            outcome = self._change_organisation(organisation, data)
        if self.mode == "publish" and not organisation.is_verified:
            organisations.verify_organisation(self.actor, organisation)
            outcome = "created" if outcome == "created" else "updated"
        self.organisations[data.external_id] = organisation
        return outcome

    def _change_organisation(self, organisation: Organisation, data: OrganisationInput) -> str:
        """Change an organisation's details the way the portal does: in place before verification; once verified,
        as a revision that waits for moderation (--queue) or that the acting admin approves at once (--publish)."""
        revision = organisations.update_organisation(self.actor, organisation, data)
        if revision is None:
            return "updated"
        if self.mode == "queue":
            return "proposed"
        moderation.approve_organisation_revision(self.actor, revision)  # the acting admin's decision, in the history
        return "updated"

    def _owner(self, reference: str) -> Organisation:
        if reference not in self.organisations:
            self.organisations[reference] = db.session.scalar(
                select(Organisation).where(Organisation.external_id == reference))
        return self.organisations[reference]

    def listing(self, data: ListingInput, reference: str) -> str:
        organisation = self._owner(reference)
        if organisation is None:  # its record in this file was skipped as invalid
            raise ValidationFailed({"organisation": [_l("De organisatie '%(id)s' werd niet ingelezen.", id=reference)]})
        listing = None
        if organisation.id is not None:
            listing = db.session.scalar(select(Listing).options(*listing_details()).where(
                Listing.organisation_id == organisation.id, Listing.external_id == data.external_id))
        if listing is None and data.slug:
            listing = db.session.scalar(select(Listing).options(*listing_details()).where(
                Listing.slug == data.slug, Listing.external_id.is_(None)))
            if listing is not None and listing.organisation_id != organisation.id:
                raise ValidationFailed({"slug": [_l("Deze webnaam is in gebruik bij aanbod van een andere "
                                                    "organisatie.")]})
        if listing is None:
            listing = services.create_listing(self.actor, organisation, data)
            outcome = "created"
        elif not policy.available_actions(self.actor, listing) & (CHANGES | {"withdraw"}):  # archived, for good
            raise ValidationFailed({"id": [_l("Dit aanbod is gearchiveerd en wordt niet meer bijgewerkt.")]})
        elif _listing_state(listing) == _listing_wanted(data, listing):
            outcome = "unchanged"
        else:
            outcome = self._change(listing, data)
        if "submit" in policy.available_actions(self.actor, listing):
            services.submit_listing(self.actor, listing)
        if self.mode == "publish" and "publish" in policy.available_actions(self.actor, listing):
            services.publish_listing(self.actor, listing)
        return outcome

    def _change(self, listing: Listing, data: ListingInput) -> str:
        """Change an existing listing the way the portal does: in place before publication; once published, as a
        revision that waits for moderation (--queue) or that the acting admin approves at once (--publish)."""
        actions = policy.available_actions(self.actor, listing)
        if "propose_change" in actions:
            revision = submissions.propose_revision(self.actor, listing, replace(data, slug=None, external_id=None))
            if revision is None:
                return "updated"  # only the availability changed, which applies at once
            if self.mode == "queue":
                return "proposed"
            moderation.approve_revision(self.actor, revision)  # the acting admin's decision, in the audit trail
            return "updated"
        if "withdraw" in actions:
            services.withdraw_listing(self.actor, listing)  # back to draft, changed, and submitted again below
        services.update_listing(self.actor, listing, data)
        return "updated"


def _apply(valid: list[_Valid], importer: _Importer, report: ImportReport, skip_invalid: bool) -> None:
    """Pass two: the services, organisations first. A record that fails is rolled back to its savepoint."""
    for item in sorted(valid, key=lambda v: v.raw.kind != "organisation"):
        savepoint = db.session.begin_nested() if skip_invalid else None
        try:
            if item.raw.kind == "organisation":
                outcome = importer.organisation(item.data)
            else:
                outcome = importer.listing(item.data, item.organisation_ref)
            if savepoint is not None:
                savepoint.commit()
            report.outcomes[(item.raw.kind, outcome)] += 1
        except (DomainError, IntegrityError) as error:
            if savepoint is not None:
                savepoint.rollback()
            problems = error.errors if isinstance(error, ValidationFailed) else {None: [str(error)]}
            report.add(item.raw.where, item.data.external_id, problems)
            if not skip_invalid:
                return


def _require_room(records: int, limit: int) -> None:
    if limit and records > limit:
        raise ValidationFailed({"file": [_l(
            "%(n)s records (organisaties en aanbod samen) zijn te veel voor één import: hier gaan er hoogstens "
            "%(max)s, zodat de import klaar is voor de webserver de aanvraag afbreekt. Splits het bestand, of "
            "lees grote bestanden in met het commando flask --app wsgi catalogue import BESTAND --as E-MAILADRES "
            "(zonder limiet).", n=records, max=limit)]})


def import_files(actor: User, paths: list[Path], mode: str = "queue", skip_invalid: bool = False,
                 max_records: int | None = None) -> ImportReport:
    """Check and import `paths` as `actor` (an admin). Does not commit: the caller commits when the report
    allows it (no problems, or skip_invalid), and rolls back otherwise or for a dry run. More records than
    `max_records` (default IMPORT_MAX_RECORDS, what a web request finishes in time; 0: no limit) are refused
    whole (ValidationFailed on "file"), before any is checked."""
    if not policy.is_admin(actor):
        raise PermissionDenied(_l("Alleen moderatoren kunnen de catalogus importeren."))
    if mode not in MODES:
        raise ValueError(mode)
    report = ImportReport()
    raws = []
    for path in paths:
        try:
            raws.extend(reading.read(path))
        except reading.FileProblem as error:
            report.problems.append(Problem(path.name, None, None, str(error.args[0])))
    _require_room(len(raws), current_app.config["IMPORT_MAX_RECORDS"] if max_records is None else max_records)
    valid = _check(raws, report)
    if report.problems and not skip_invalid:
        return report
    _apply(valid, _Importer(actor, mode, report), report, skip_invalid)
    # Kept only when the caller commits the import (not for a dry run or a refused file).
    record(events.CATALOGUE_IMPORTED, actor, mode=mode, files=[path.name for path in paths],
           problems=len(report.problems),
           **{f"{kind}_{outcome}": count for (kind, outcome), count in sorted(report.outcomes.items())})
    return report
