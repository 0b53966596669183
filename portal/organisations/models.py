"""How people come to act for an organisation (join requests, invitations), charter signatures, API keys, the
proposed changes to a verified organisation's details (revisions) and every organisation's history."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.catalogue import vocab
from portal.catalogue.models import Listing, Organisation
from portal.catalogue.workflow import JOIN_REQUEST, REVISION
from portal.database import UTCDateTime, utcnow
from portal.extensions import db


class JoinRequest(db.Model):
    """A user asks to become a member; a member (or an admin) approves or refuses."""

    __tablename__ = "organisation_join_requests"
    __table_args__ = (CheckConstraint("status IN ('pending', 'approved', 'refused')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=JOIN_REQUEST.initial)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class Invitation(db.Model):
    """An owner invites a colleague by e-mail; the mailed link (tokens.py) makes the account with that address a
    member with the role the owner chose."""

    __tablename__ = "organisation_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(20))  # a code of vocab.MEMBERSHIP_ROLES
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])


class CharterSignature(db.Model):
    """A signature of the STEM-charter, pending until an admin verifies it and publishes its listing."""

    __tablename__ = "charter_signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    signed_on: Mapped[date] = mapped_column(Date)
    commitment: Mapped[str] = mapped_column(Text)
    contact_name: Mapped[str] = mapped_column(String(120))
    contact_email: Mapped[str] = mapped_column(String(254))
    web_address: Mapped[str] = mapped_column(String(500))
    target_groups: Mapped[list[str]] = mapped_column(db.JSON, default=list)
    disciplines: Mapped[list[str]] = mapped_column(db.JSON, default=list)
    formats: Mapped[list[str]] = mapped_column(db.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    listing_id: Mapped[int | None] = mapped_column(ForeignKey("listings.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship()
    listing: Mapped[Listing | None] = relationship()

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class ApiToken(db.Model):
    """A key with which an organisation's own software writes its listings through /api/v1. Only the sha256
    of the key is stored; the key itself is shown once, when it is made. It acts as the member who made it."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


PENDING_ONLY = text("status = 'pending'")


def _one_of(vocabulary: vocab.Vocabulary, column: str) -> CheckConstraint:
    return CheckConstraint(f"{column} IN ({', '.join(repr(c) for c in vocabulary.codes)})", name=column)


class OrganisationRevision(db.Model):
    """A proposed change to a verified organisation's details (organisations/details.py), waiting for a
    moderator while the public page keeps the approved details. It follows the REVISION workflow, as a proposed
    change to a published listing does."""

    __tablename__ = "organisation_revisions"
    __table_args__ = (
        _one_of(vocab.REVISION_STATUSES, "status"),
        # At most one pending revision per organisation: editing again updates it.
        Index("ix_organisation_revisions_one_pending", "organisation_id", unique=True,
              sqlite_where=PENDING_ONLY, postgresql_where=PENDING_ONLY),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    data: Mapped[dict] = mapped_column(JSON)  # the proposed details: details.Values
    status: Mapped[str] = mapped_column(String(20), default=REVISION.initial)
    reason: Mapped[str | None] = mapped_column(Text)  # why a moderator rejected it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship()
    author: Mapped[User | None] = relationship()


class OrganisationChange(db.Model):
    """One change of an organisation: who, when, what (vocab.ORGANISATION_CHANGES) and the details it changed,
    old -> new. Never updated or deleted; a deleted account stays as an anonymised row, so its changes keep a
    nameless actor."""

    __tablename__ = "organisation_changes"
    __table_args__ = (_one_of(vocab.ORGANISATION_CHANGES, "action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    action: Mapped[str] = mapped_column(String(30))
    changes: Mapped[dict] = mapped_column(JSON, default=dict)  # detail name -> [old, new] (details.changed)
    reason: Mapped[str | None] = mapped_column(Text)
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("organisation_revisions.id"))

    organisation: Mapped[Organisation] = relationship()
    actor: Mapped[User | None] = relationship()
    revision: Mapped[OrganisationRevision | None] = relationship()
