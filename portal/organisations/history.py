"""An organisation's history: every change of it, one `OrganisationChange` each, appended by the service that
makes the change (in its transaction) and read by the organisation's owners and the moderators."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.catalogue.models import Organisation
from portal.extensions import db
from portal.organisations.models import OrganisationChange, OrganisationRevision


def record(organisation: Organisation, actor: User | None, action: str, changes: dict | None = None,
           reason: str | None = None, revision: OrganisationRevision | None = None) -> OrganisationChange:
    """Append `action` (a code of vocab.ORGANISATION_CHANGES) with the details it changed (details.changed)."""
    change = OrganisationChange(organisation=organisation, actor=actor, action=action, changes=changes or {},
                                reason=reason, revision=revision)
    db.session.add(change)
    return change


def changes_of(organisation: Organisation) -> list[OrganisationChange]:
    """The organisation's history, newest first."""
    if organisation.id is None:
        return []
    return list(db.session.scalars(
        select(OrganisationChange).where(OrganisationChange.organisation_id == organisation.id)
        .options(selectinload(OrganisationChange.actor))
        .order_by(OrganisationChange.at.desc(), OrganisationChange.id.desc())
    ))
