"""Organisation operations: registration, joining, invitations, members, details, charter signing and
verification.
Plain functions that take the acting user, check policy, change the session and queue mail; the request
commits once."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from portal.accounts import tokens
from portal.accounts.models import Membership, User
from portal.catalogue import policy as catalogue_policy
from portal.catalogue import services as catalogue
from portal.catalogue import vocab
from portal.catalogue.inputs import (
    INVALID_EMAIL,
    SLUG_PATTERN,
    ListingInput,
    LocationInput,
    OrganisationInput,
    is_email,
    listing_errors,
    organisation_errors,
)
from portal.catalogue.models import Listing, Organisation
from portal.catalogue.workflow import JOIN_REQUEST, REVISION
from portal.database import utcnow
from portal.domain import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from portal.extensions import db
from portal.mail import queue_mail
from portal.mail.links import absolute_url
from portal.moderation.diff import FieldChange, organisation_diff
from portal.organisations import details, history, policy
from portal.organisations.models import (
    ApiToken,
    CharterSignature,
    Invitation,
    JoinRequest,
    OrganisationChange,
    OrganisationRevision,
)
from portal.pagination import Page, paginate
from portal.search import sync
from portal.security_log import client_address, events, record, seen_from


def organisation_by_slug(slug: str, actor: User | None) -> Organisation:
    """The organisation `actor` may know of: an unverified one is not found by outsiders, so the answer (404,
    never 403) does not tell them which names are taken."""
    organisation = None
    if SLUG_PATTERN.match(slug or ""):
        organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if organisation is None or not catalogue_policy.can_view_organisation(actor, organisation):
        raise NotFound(_l("Deze organisatie bestaat niet (meer)."))
    return organisation


def _mail_members(organisation: Organisation, subject: str, text: str) -> None:
    for membership in organisation.memberships:
        if membership.user.active:
            queue_mail(membership.user.email, subject, text)


# Dashboard

@dataclass
class Dashboard:
    organisation: Organisation
    members: list[Membership]
    join_requests: list[JoinRequest]
    invitations: list[Invitation]
    own_membership: Membership | None = None  # the actor's (admins are no members)
    signatures: list[CharterSignature] = field(default_factory=list)
    api_tokens: list[ApiToken] = field(default_factory=list)
    pending_revision: OrganisationRevision | None = None  # a change of the details waiting for a moderator
    pending_changes: list[FieldChange] = field(default_factory=list)  # its diff against the public details
    history: list[OrganisationChange] = field(default_factory=list)  # for who may see it (policy.can_view_history)


def dashboard(actor: User, slug: str) -> Dashboard:
    organisation = organisation_by_slug(slug, actor)
    if not policy.can_view_dashboard(actor, organisation):
        raise PermissionDenied(_l("Je bent geen lid van deze organisatie."))
    revision = pending_revision(organisation)
    return Dashboard(
        organisation=organisation,
        members=sorted(organisation.memberships, key=lambda m: m.user.display_name.lower()),
        join_requests=db.session.scalars(select(JoinRequest).where(
            JoinRequest.organisation_id == organisation.id, JoinRequest.status == JOIN_REQUEST.initial
        ).order_by(JoinRequest.id)).all(),
        invitations=db.session.scalars(select(Invitation).where(
            Invitation.organisation_id == organisation.id, Invitation.accepted_at.is_(None)
        ).order_by(Invitation.id)).all(),
        signatures=db.session.scalars(select(CharterSignature).where(
            CharterSignature.organisation_id == organisation.id
        ).order_by(CharterSignature.id)).all(),
        api_tokens=api_tokens_of(actor, organisation),
        own_membership=next((m for m in organisation.memberships if m.user_id == actor.id), None),
        pending_revision=revision,
        pending_changes=organisation_diff(details.current(organisation), revision.data) if revision else [],
        history=history.changes_of(organisation) if policy.can_view_history(actor, organisation) else [],
    )


def organisations_of(actor: User) -> list[Organisation]:
    return sorted((m.organisation for m in actor.memberships), key=lambda o: o.name.lower())


# Details

def update_organisation(actor: User, organisation: Organisation,
                        data: OrganisationInput) -> OrganisationRevision | None:
    """Change the details (organisations/details.py), for every caller: the form and the importer. An unverified
    organisation is not public, so its details change at once. A verified organisation's details are its public
    identity: the change waits as a pending revision (one per organisation: editing again updates it) and the
    public page keeps the approved details until a moderator approves it (portal.moderation.services). Every
    change is in the history. Returns the pending revision; None when nothing waits."""
    if not policy.can_edit_organisation(actor, organisation):
        raise PermissionDenied(_l("Je kunt alleen je eigen organisatie bewerken."))
    data = replace(data, slug=None, charter_signed_on=None, charter_commitment=None)  # not editable here
    errors = organisation_errors(data)
    if errors:
        raise ValidationFailed(errors)
    if organisation.is_verified:
        return _propose_revision(actor, organisation, details.stored(data))
    changes = _apply_details(organisation, details.stored(data))
    if changes:
        history.record(organisation, actor, "edited", changes)
    return None


def _apply_details(organisation: Organisation, values: details.Values) -> dict[str, list]:
    """Give the organisation `values`. Its published listings show its name, so a rename re-indexes them. A change
    confirms the details (portal/catalogue/freshness.py)."""
    changes = details.changed(details.current(organisation), values)
    for name, (_old, new) in changes.items():
        setattr(organisation, name, new)
    if changes:
        catalogue.mark_confirmed(organisation)
    if "name" in changes:
        for listing in db.session.scalars(select(Listing).where(
            Listing.organisation_id == organisation.id, catalogue_policy.public_listing_clause()
        )):
            sync.listing_changed(listing)
    return changes


def pending_revision(organisation: Organisation) -> OrganisationRevision | None:
    if organisation.id is None:
        return None
    return db.session.scalar(select(OrganisationRevision).where(
        OrganisationRevision.organisation_id == organisation.id, OrganisationRevision.status == REVISION.initial))


def editable_details(actor: User, organisation: Organisation) -> OrganisationInput:
    """What the edit form starts from: the pending revision when there is one, else the details themselves."""
    if not policy.can_edit_organisation(actor, organisation):
        raise PermissionDenied(_l("Je kunt alleen je eigen organisatie bewerken."))
    revision = pending_revision(organisation)
    return details.as_input(revision.data if revision else details.current(organisation))


def _propose_revision(actor: User, organisation: Organisation,
                      proposed: details.Values) -> OrganisationRevision | None:
    live = details.current(organisation)
    revision = pending_revision(organisation)
    if not details.changed(live, proposed):
        if revision is not None:  # edited back to what is public: nothing waits any more
            close_revision(actor, revision, "withdraw")
        return None
    if revision is None:
        revision = OrganisationRevision(organisation=organisation, author=actor, data=proposed,
                                        status=REVISION.initial)
        db.session.add(revision)
        history.record(organisation, actor, "revision_submitted", details.changed(live, proposed), revision=revision)
    elif proposed != revision.data:
        # A moderator may be reading it right now: its new version (updated_at) makes a decision on the old fail.
        revision.data, revision.author = proposed, actor
        history.record(organisation, actor, "revision_updated", details.changed(live, proposed), revision=revision)
    return revision


def withdraw_revision(actor: User, organisation: Organisation) -> None:
    """The owner takes back the change that waits for a moderator."""
    if not policy.can_edit_organisation(actor, organisation):
        raise PermissionDenied(_l("Je kunt alleen je eigen organisatie bewerken."))
    revision = pending_revision(organisation)
    if revision is None:
        raise InvalidTransition(_l("Er wacht geen wijziging aan de gegevens van %(name)s.", name=organisation.name))
    close_revision(actor, revision, "withdraw")


# What the history records when a revision ends by an action of the REVISION workflow.
REVISION_ENDINGS = {"approve": "revision_approved", "reject": "revision_rejected", "withdraw": "revision_withdrawn"}


def close_revision(actor: User, revision: OrganisationRevision, action: str, reason: str | None = None) -> None:
    """End a pending revision by `action` (approve, reject or withdraw) and record it in the history, with the
    details it changes; an approval gives the organisation those details."""
    status = REVISION.next_state(action, revision.status)
    reason = (reason or "").strip() or None
    organisation = revision.organisation
    changes = (_apply_details(organisation, revision.data) if action == "approve"
               else details.changed(details.current(organisation), revision.data))
    history.record(organisation, actor, REVISION_ENDINGS[action], changes, reason, revision)
    revision.status, revision.reason, revision.decided_at = status, reason, utcnow()


# Joining

def request_to_join(actor: User, organisation: Organisation, message: str = "") -> JoinRequest:
    if not policy.can_request_to_join(actor, organisation):
        raise PermissionDenied(_l("Je kunt geen lid worden van deze organisatie."))
    pending = db.session.scalar(select(JoinRequest.id).where(
        JoinRequest.organisation_id == organisation.id, JoinRequest.user_id == actor.id,
        JoinRequest.status == JOIN_REQUEST.initial))
    if pending is not None:
        raise ValidationFailed({"message": [_l("Je vroeg al om lid te worden; de leden beslissen nog.")]})
    message = (message or "").strip()
    if len(message) > 1000:
        raise ValidationFailed({"message": [_l("Je bericht mag hoogstens 1000 tekens lang zijn.")]})
    join_request = JoinRequest(organisation=organisation, user=actor, message=message,
                               status=JOIN_REQUEST.initial)
    db.session.add(join_request)
    _mail_members(organisation, gettext("%(name)s wil lid worden van %(organisation)s",
                                        name=actor.display_name, organisation=organisation.name), gettext(
        "Hallo,\n\n%(name)s (%(email)s) vraagt om lid te worden van %(organisation)s op STEM-wijzer.\n"
        "Keur het verzoek goed of weiger het op:\n%(link)s\n\nSTEM-wijzer",
        name=actor.display_name, email=actor.email, organisation=organisation.name,
        link=absolute_url("organisations.dashboard", slug=organisation.slug)))
    return join_request


def decide_join_request(actor: User, organisation: Organisation, request_id: int, approve: bool,
                        role: str = catalogue_policy.NEW_MEMBER_ROLE) -> None:
    """Approve (making the requester a member with `role`) or refuse a join request."""
    join_request = db.session.get(JoinRequest, request_id)
    if join_request is None or join_request.organisation_id != organisation.id:
        raise NotFound(_l("Dit verzoek bestaat niet (meer)."))
    if not policy.can_decide_join_request(actor, organisation):
        raise PermissionDenied(_l("Alleen leden van de organisatie beslissen over nieuwe leden."))
    if approve:
        catalogue.check_role(role)
    join_request.status = JOIN_REQUEST.next_state("approve" if approve else "refuse", join_request.status)
    join_request.decided_at, join_request.decided_by_id = utcnow(), actor.id
    record(events.JOIN_REQUEST_DECIDED, actor, target=organisation, member=join_request.user_id,
           request=join_request.id, decision=join_request.status)
    if approve and not catalogue_policy.is_member(join_request.user, organisation):
        db.session.add(Membership(user=join_request.user, organisation=organisation, role=role))
        record(events.MEMBER_ADDED, actor, target=organisation, member=join_request.user_id, role=role,
               by="join_request")
    text = (gettext("Je bent nu lid van %(organisation)s op STEM-wijzer.", organisation=organisation.name)
            if approve else
            gettext("Je verzoek om lid te worden van %(organisation)s werd niet goedgekeurd.",
                    organisation=organisation.name))
    queue_mail(join_request.user.email, gettext("Je verzoek bij %(organisation)s", organisation=organisation.name),
               gettext("Hallo %(name)s,\n\n%(text)s\n\nSTEM-wijzer", name=join_request.user.display_name, text=text))


# Invitations

WRONG_INVITEE = _l("Deze uitnodiging is voor een ander e-mailadres dan dat van je account. Meld je aan met het "
                   "account van het uitgenodigde adres, of vraag de organisatie om een uitnodiging voor je eigen "
                   "adres.")

def _invitation_state(invitation: Invitation) -> str:
    return f"{invitation.email}|{invitation.accepted_at}"


def invite(actor: User, organisation: Organisation, email: str,
           role: str = catalogue_policy.NEW_MEMBER_ROLE) -> Invitation:
    """Mail `email` a link that makes the account with that address a member with `role`."""
    if not policy.can_invite(actor, organisation):
        raise PermissionDenied(_l("Alleen leden van de organisatie kunnen collega's uitnodigen."))
    catalogue.check_role(role)
    email = (email or "").strip().lower()
    if not is_email(email):
        raise ValidationFailed({"email": [INVALID_EMAIL]})
    if any(m.user.email == email for m in organisation.memberships):
        raise ValidationFailed({"email": [_l("Deze persoon is al lid van de organisatie.")]})
    open_invitation = db.session.scalar(select(Invitation.id).where(
        Invitation.organisation_id == organisation.id, Invitation.email == email,
        Invitation.accepted_at.is_(None), Invitation.created_at > utcnow() - tokens.LIFETIMES["invite"]))
    if open_invitation is not None:  # one mail per address until its link expires: no mailing someone over and over
        raise ValidationFailed({"email": [_l("Dit adres kreeg al een uitnodiging van jullie organisatie; de link "
                                             "in die mail blijft 14 dagen geldig.")]})
    if not organisation.is_verified:
        _require_invitations_left_today(organisation)
    invitation = Invitation(organisation=organisation, email=email, role=role, invited_by_id=actor.id)
    db.session.add(invitation)
    db.session.flush()
    link = absolute_url("organisations.invitation", token=tokens.issue("invite", invitation.id,
                                                                       _invitation_state(invitation)))
    record(events.INVITATION_SENT, actor, target=organisation, email=email, role=role, invitation=invitation.id)
    queue_mail(email, *_invitation_mail(actor, organisation, link))
    return invitation


def _require_invitations_left_today(organisation: Organisation) -> None:
    """An unverified organisation is anyone's: it mails few strangers a day (UNVERIFIED_INVITATIONS_PER_DAY)."""
    limit = current_app.config["UNVERIFIED_INVITATIONS_PER_DAY"]
    sent = db.session.scalar(select(func.count(Invitation.id)).where(
        Invitation.organisation_id == organisation.id, Invitation.created_at > utcnow() - timedelta(days=1)))
    if sent >= limit:
        raise ValidationFailed({"email": [_l(
            "Een organisatie die nog niet geverifieerd is, verstuurt hoogstens %(n)s uitnodigingen per dag. "
            "Probeer het morgen opnieuw, of nodig meer collega's uit zodra een moderator jullie organisatie "
            "verifieerde.", n=limit)]})


def _invitation_mail(actor: User, organisation: Organisation, link: str) -> tuple[str, str]:
    """Subject and text of an invitation. Until a moderator verified the organisation, its name and the
    inviter's name are text anyone could have typed (a phishing line to any address, sent by the portal): the
    mail is then fixed text, and the invitee reads who invites them on the portal's own page behind the link."""
    if not organisation.is_verified:
        return gettext("Uitnodiging op STEM-wijzer"), gettext(
            "Hallo,\n\nJe bent uitgenodigd om een organisatie mee te beheren op STEM-wijzer, de Vlaamse "
            "wegwijzer naar STEM-aanbod. De organisatie is nog niet geverifieerd door een moderator van "
            "STEM-wijzer. Wie je uitnodigt, zie je op STEM-wijzer met deze link (14 dagen geldig); je hebt er "
            "een account voor nodig, dat je onderweg kunt aanmaken:\n%(link)s\n\n"
            "Verwachtte je geen uitnodiging? Dan mag je deze mail negeren.\n\nSTEM-wijzer", link=link)
    return gettext("Uitnodiging van %(organisation)s op STEM-wijzer", organisation=organisation.name), gettext(
        "Hallo,\n\n%(name)s nodigt je uit om samen %(organisation)s te beheren op STEM-wijzer, de Vlaamse "
        "wegwijzer naar STEM-aanbod.\nAanvaard de uitnodiging met deze link (14 dagen geldig); je hebt er een "
        "account voor nodig, dat je onderweg kunt aanmaken:\n%(link)s\n\nSTEM-wijzer",
        name=actor.display_name, organisation=organisation.name, link=link)


def invitation_for(token: str) -> Invitation:
    invitation_id, state, _ = tokens.read("invite", token)
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None:
        raise tokens.TokenRefused(_l("Deze link is ongeldig of werd al gebruikt."))
    tokens.check_state(state, _invitation_state(invitation))
    return invitation


def accept_invitation(actor: User, token: str) -> Organisation:
    """The link and the invited address together are the permission: the account with that address, logged in,
    becomes a member (once), with the role the invitation names."""
    invitation = invitation_for(token)
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_l("Meld je aan om de uitnodiging te aanvaarden."))
    if not policy.can_accept_invitation(actor, invitation):
        raise InvalidTransition(WRONG_INVITEE)
    invitation.accepted_at, invitation.accepted_by_id = utcnow(), actor.id
    organisation = invitation.organisation
    record(events.INVITATION_ACCEPTED, actor, target=organisation, invitation=invitation.id)
    if not catalogue_policy.is_member(actor, organisation):
        db.session.add(Membership(user=actor, organisation=organisation, role=invitation.role))
        record(events.MEMBER_ADDED, actor, target=organisation, member=actor.id, role=invitation.role,
               by="invitation")
    return organisation


# Members

OWNERLESS = _l("Dat kan niet: de organisatie zou dan geen eigenaar meer hebben. Maak eerst iemand anders "
               "eigenaar.")


def _membership_in(organisation: Organisation, user_id: int) -> Membership:
    membership = next((m for m in organisation.memberships if m.user_id == user_id), None)
    if membership is None:
        raise InvalidTransition(_l("Deze persoon is geen lid (meer) van de organisatie."))
    return membership


def change_member_role(actor: User, organisation: Organisation, user_id: int, role: str | None) -> Membership:
    """An owner (or an admin) makes a member owner or editor; the organisation keeps an owner."""
    if not policy.can_manage_members(actor, organisation):
        raise PermissionDenied(_l("Alleen eigenaars van de organisatie beheren de leden."))
    catalogue.check_role(role)
    membership = _membership_in(organisation, user_id)
    if membership.role == role:
        return membership
    if not policy.keeps_an_owner(membership, role):
        raise InvalidTransition(OWNERLESS)
    record(events.ROLE_CHANGED, actor, target=organisation, member=user_id, previous=membership.role, role=role)
    membership.role = role
    queue_mail(membership.user.email, gettext("Je rol bij %(organisation)s", organisation=organisation.name), gettext(
        "Hallo %(name)s,\n\n%(actor)s maakte je %(role)s van %(organisation)s op STEM-wijzer.\n\nSTEM-wijzer",
        name=membership.user.display_name, actor=actor.display_name, role=vocab.MEMBERSHIP_ROLES.label(role).lower(),
        organisation=organisation.name))
    return membership


def remove_member(actor: User, organisation: Organisation, user_id: int, revoke_api_tokens: bool = True) -> User:
    """End a membership: an owner (or an admin) removes a member, or a member leaves; the organisation keeps an
    owner. Access ends at once, as the policy reads the memberships on every request and a key works only while
    its maker may manage listings. With `revoke_api_tokens` the member's keys for the organisation are revoked
    as well, so they stay dead should the person ever return. The open invitations they sent go: no way back in
    through a colleague's address. Returns the former member."""
    leaving = actor.id == user_id
    if not (policy.can_manage_members(actor, organisation) or (leaving and policy.can_leave(actor, organisation))):
        raise PermissionDenied(_l("Alleen eigenaars van de organisatie beheren de leden."))
    membership = _membership_in(organisation, user_id)
    if not policy.keeps_an_owner(membership):
        raise InvalidTransition(OWNERLESS)
    member = membership.user
    revoked = []
    if revoke_api_tokens:
        revoked = db.session.scalars(select(ApiToken).where(
            ApiToken.organisation_id == organisation.id, ApiToken.created_by_id == member.id,
            ApiToken.revoked_at.is_(None))).all()
        for token in revoked:
            token.revoked_at, token.revoked_by_id = utcnow(), actor.id
            record(events.API_KEY_REVOKED, actor, target=token, organisation=organisation.id, by="membership_end")
    record(events.MEMBER_LEFT if leaving else events.MEMBER_REMOVED, actor, target=organisation, member=user_id,
           role=membership.role, revoked=len(revoked))
    db.session.execute(delete(Invitation).where(
        Invitation.organisation_id == organisation.id, Invitation.invited_by_id == member.id,
        Invitation.accepted_at.is_(None)))
    db.session.delete(membership)
    db.session.flush()
    db.session.expire(organisation, ["memberships"])  # so the policy sees the change in this session too
    db.session.expire(member, ["memberships"])
    if leaving:  # the owners hear of it
        for owner in organisation.memberships:
            if owner.role == catalogue_policy.OWNER and owner.user.active:
                queue_mail(owner.user.email, gettext("%(name)s verliet %(organisation)s", name=member.display_name,
                                                     organisation=organisation.name), gettext(
                    "Hallo,\n\n%(name)s is geen lid meer van %(organisation)s op STEM-wijzer.\n\nSTEM-wijzer",
                    name=member.display_name, organisation=organisation.name))
        return member
    keys = gettext("\nJe API-sleutels voor deze organisatie zijn ingetrokken.") if revoked else ""
    queue_mail(member.email, gettext("Je bent geen lid meer van %(organisation)s", organisation=organisation.name),
               gettext("Hallo %(name)s,\n\n%(actor)s beëindigde je lidmaatschap van %(organisation)s op "
                       "STEM-wijzer: je kunt de organisatie en haar aanbod niet meer beheren.%(keys)s\n\n"
                       "STEM-wijzer", name=member.display_name, actor=actor.display_name,
                       organisation=organisation.name, keys=keys))
    return member


def forget_user(user: User) -> None:
    """A deleted account's open requests go; decisions and signatures stay (without the person's name)."""
    db.session.execute(delete(JoinRequest).where(JoinRequest.user_id == user.id,
                                                 JoinRequest.status == JOIN_REQUEST.initial))
    db.session.execute(delete(Invitation).where(Invitation.email == user.email, Invitation.accepted_at.is_(None)))


# Verification (admins)

@dataclass
class ReviewQueue:
    organisations: Page[Organisation]
    signatures: Page[CharterSignature]


def review_queue(actor: User, organisations_page: int = 1, signatures_page: int = 1) -> ReviewQueue:
    """Organisations and charter signatures waiting for verification, oldest first, each a page at a time."""
    if not policy.can_review_organisations(actor):
        raise PermissionDenied(_l("Alleen moderatoren verifiëren organisaties."))
    return ReviewQueue(
        organisations=paginate(
            select(Organisation).where(Organisation.verified_at.is_(None))
            .order_by(Organisation.created_at, Organisation.id)
            .options(selectinload(Organisation.memberships).selectinload(Membership.user)), organisations_page),
        signatures=paginate(
            select(CharterSignature).where(CharterSignature.verified_at.is_(None)).order_by(CharterSignature.id)
            .options(selectinload(CharterSignature.organisation)), signatures_page),
    )


def verify_organisation(actor: User, organisation: Organisation) -> None:
    catalogue.verify_organisation(actor, organisation)
    _mail_members(organisation, gettext("%(organisation)s is geverifieerd", organisation=organisation.name),
                  gettext("Hallo,\n\n%(organisation)s is geverifieerd op STEM-wijzer: jullie aanbod kan nu "
                          "gepubliceerd worden.\n\nSTEM-wijzer", organisation=organisation.name))


# STEM-charter

@dataclass
class CharterInput:
    commitment: str
    contact_name: str
    contact_email: str
    web_address: str
    target_groups: list[str] = field(default_factory=list)
    disciplines: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)


def _charter_listing_input(organisation: Organisation, signature: CharterSignature) -> ListingInput:
    commitment = signature.commitment.strip()
    summary = commitment if len(commitment) <= 300 else commitment[:297].rsplit(" ", 1)[0] + "…"
    municipality = organisation.municipality
    locations = []
    if municipality is not None:
        locations = [LocationInput(name=organisation.name, address=municipality.name,
                                   postcode=municipality.postcodes[0], municipality_code=municipality.code)]
    return ListingInput(
        kind="charter_signatory",
        title=f"STEM-charter {organisation.name}"[:200],
        summary=summary,
        description=commitment,
        provider_url=signature.web_address,
        cost="free",
        schedule="permanent",
        target_groups=list(signature.target_groups),
        disciplines=list(signature.disciplines),
        formats=list(signature.formats),
        flanders_wide=municipality is None,
        contact_name=signature.contact_name,
        contact_email=signature.contact_email,
        locations=locations,
    )


def sign_charter(actor: User, organisation: Organisation, data: CharterInput, today: date) -> CharterSignature:
    """Record the organisation's signature, pending until an admin verifies it."""
    if not policy.can_sign_charter(actor, organisation):
        raise PermissionDenied(_l("Alleen leden van de organisatie kunnen het charter ondertekenen."))
    pending = db.session.scalar(select(CharterSignature.id).where(
        CharterSignature.organisation_id == organisation.id, CharterSignature.verified_at.is_(None)))
    if pending is not None:
        raise InvalidTransition(_l("Jullie ondertekening wacht al op verificatie."))
    signature = CharterSignature(
        organisation=organisation, signed_by_id=actor.id, signed_on=today,
        commitment=(data.commitment or "").strip(), contact_name=(data.contact_name or "").strip(),
        contact_email=(data.contact_email or "").strip().lower(), web_address=(data.web_address or "").strip(),
        target_groups=list(dict.fromkeys(data.target_groups)), disciplines=list(dict.fromkeys(data.disciplines)),
        formats=list(dict.fromkeys(data.formats)),
    )
    errors = {}
    if not 30 <= len(signature.commitment) <= 5000:
        errors["commitment"] = [_l("Beschrijf jullie engagement in 30 tot 5000 tekens.")]
    if not 2 <= len(signature.contact_name) <= 120:
        errors["contact_name"] = [_l("Geef de naam van de contactpersoon.")]
    # The listing's own rules (web address, e-mail, vocabularies) are checked once, by the catalogue.
    for name, messages in listing_errors(_charter_listing_input(organisation, signature)).items():
        target = {"provider_url": "web_address", "summary": "commitment", "description": "commitment"}.get(name, name)
        errors.setdefault(target, []).extend(messages)
    if errors:
        raise ValidationFailed(errors)
    db.session.add(signature)
    return signature


def verify_charter(actor: User, signature_id: int) -> Listing:
    """Accept a signature: the organisation carries the badge and a published charter listing appears."""
    signature = db.session.get(CharterSignature, signature_id)
    if signature is None:
        raise NotFound(_l("Deze ondertekening bestaat niet (meer)."))
    if not policy.can_verify_charter(actor):
        raise PermissionDenied(_l("Alleen moderatoren verifiëren charterondertekeningen."))
    if signature.is_verified:
        raise InvalidTransition(_l("Deze ondertekening is al geverifieerd."))
    organisation = signature.organisation
    if not organisation.is_verified:
        raise InvalidTransition(_l("Verifieer eerst de organisatie zelf."))
    listing = catalogue.create_listing(actor, organisation, _charter_listing_input(organisation, signature))
    catalogue.submit_listing(actor, listing)
    catalogue.publish_listing(actor, listing)
    organisation.charter_signed_on = signature.signed_on
    organisation.charter_commitment = signature.commitment
    signature.verified_at, signature.verified_by_id, signature.listing = utcnow(), actor.id, listing
    history.record(organisation, actor, "charter_verified")
    record(events.CHARTER_VERIFIED, actor, target=signature, organisation=organisation.id, listing=listing.id)
    _mail_members(organisation, gettext("Jullie STEM-charter is geverifieerd"), gettext(
        "Hallo,\n\nDe ondertekening van het STEM-charter door %(organisation)s is geverifieerd en staat nu op "
        "STEM-wijzer:\n%(link)s\n\nSTEM-wijzer", organisation=organisation.name,
        link=absolute_url("catalogue.listing", slug=listing.slug)))
    return listing


CHARTER_VOCABULARIES = {"target_groups": vocab.TARGET_GROUPS, "disciplines": vocab.DISCIPLINES,
                        "formats": vocab.FORMATS}


# API keys

API_TOKEN_PREFIX = "stemw_"  # recognisable in logs and by secret scanners


def hash_api_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def api_tokens_of(actor: User, organisation: Organisation) -> list[ApiToken]:
    """The organisation's keys, active ones first, newest first; empty for who may not manage them."""
    if not policy.can_manage_api_tokens(actor, organisation):
        return []
    found = db.session.scalars(select(ApiToken).where(ApiToken.organisation_id == organisation.id)
                               .order_by(ApiToken.id.desc())).all()
    return sorted(found, key=lambda token: not token.is_active)


def create_api_token(actor: User, organisation: Organisation, name: str) -> tuple[ApiToken, str]:
    """A new key for `organisation`. Returns the key row and the key itself, which is never stored."""
    if not policy.can_manage_api_tokens(actor, organisation):
        raise NotFound(_l("Deze organisatie bestaat niet, of je bent er geen lid van."))
    if not policy.can_create_api_token(actor, organisation):
        raise InvalidTransition(_l("API-sleutels zijn er voor geverifieerde organisaties. Zodra een moderator "
                                   "%(name)s verifieerde, kun je hier een sleutel maken.", name=organisation.name))
    name = (name or "").strip()
    if not name:
        raise ValidationFailed({"name": [_l("Geef de sleutel een naam.")]})
    if len(name) > 100:
        raise ValidationFailed({"name": [_l("Gebruik hoogstens 100 tekens.")]})
    raw = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(organisation=organisation, created_by=actor, name=name, token_hash=hash_api_token(raw))
    db.session.add(token)
    record(events.API_KEY_CREATED, actor, target=token, organisation=organisation.id, name=name)
    return token, raw


def revoke_api_token(actor: User, organisation: Organisation, token_id: int) -> ApiToken:
    if not policy.can_manage_api_tokens(actor, organisation):
        raise NotFound(_l("Deze organisatie bestaat niet, of je bent er geen lid van."))
    token = db.session.get(ApiToken, token_id)
    if token is None or token.organisation_id != organisation.id:
        raise NotFound(_l("Deze sleutel bestaat niet."))
    if token.revoked_at is None:
        token.revoked_at, token.revoked_by_id = utcnow(), actor.id
        record(events.API_KEY_REVOKED, actor, target=token, organisation=organisation.id)
    return token


def authenticate_api_token(raw: str | None) -> ApiToken | None:
    """The active key `raw` stands for, with its last use recorded; None for an unknown or revoked key, or one
    whose maker may no longer act for the organisation."""
    if not raw or not raw.startswith(API_TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_api_token(raw)))
    if token is None or not token.is_active or token.created_by is None:
        return None
    if not policy.can_write_with_api_token(token.created_by, token.organisation):
        return None
    token.last_used_at = utcnow()
    # Committed with the request's work: a request refused before it commits nothing, so its new address is
    # recorded by the next request from there that succeeds.
    address = client_address()
    if not seen_from(events.API_KEY_NEW_ADDRESS, token, address):
        record(events.API_KEY_NEW_ADDRESS, token.created_by, target=token, organisation=token.organisation_id)
    return token
