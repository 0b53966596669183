"""Revisions, moderation decisions, reports and the audit trail, on the real database and the real index."""

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.catalogue import services as catalogue
from portal.catalogue.models import Listing, ListingStatusChange
from portal.domain import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from portal.extensions import db
from portal.moderation import services as moderation
from portal.pagination import PAGE_SIZE
from portal.search.sync import search_index
from portal.submissions import codec
from portal.submissions import services as submissions
from portal.submissions.models import ListingRevision
from search_index import SearchQuery
from tests.factories import ListingInputFactory
from tests.world import build_world


def waiting(actor, **filters):
    """The first page of the queue (every test here fits on one)."""
    return moderation.queue(actor, **filters).page.items


@pytest.fixture
def world(app):
    return build_world()


def found_ids(text: str) -> set[str]:
    return set(search_index().search(SearchQuery(text=text, page_size=100)).ids)


def trail(listing) -> list[tuple]:
    changes = db.session.scalars(
        select(ListingStatusChange).where(ListingStatusChange.listing_id == listing.id).order_by(ListingStatusChange.id)
    ).all()
    return [(c.from_status, c.to_status, c.revision_id is not None) for c in changes]


def edited(listing, **changes):
    return replace(codec.from_listing(listing), **changes)


def test_editing_a_published_listing_keeps_the_live_version_in_the_index_until_approval(world):
    live = world.published
    assert found_ids("robotles") == {str(live.id)}
    revision = submissions.save_listing(world.member_a, live, edited(live, title="Sterrenkijkavond voor gezinnen"),
                                        submit=False)
    db.session.commit()
    assert revision.status == "pending" and live.status == "published"
    assert db.session.get(Listing, live.id).title == "Robotles published"
    assert found_ids("sterrenkijkavond") == set()
    assert found_ids("published") == {str(live.id)}  # a word only the live title has

    moderation.approve_revision(world.admin, revision, ["societal_relevance", "inclusion"])
    db.session.commit()
    assert live.title == "Sterrenkijkavond voor gezinnen" and revision.status == "approved"
    assert found_ids("sterrenkijkavond") == {str(live.id)}
    assert found_ids("published") == set()
    last = live.status_changes[-1]
    assert (last.from_status, last.to_status, last.revision_id, last.actor) == ("pending", "approved", revision.id,
                                                                               world.admin)
    assert last.quality_checks == ["societal_relevance", "inclusion"]


def test_editing_again_updates_the_one_pending_revision(world):
    live = world.published
    first = submissions.save_listing(world.member_a, live, edited(live, summary="Een eerste nieuwe korte tekst."), False)
    second = submissions.save_listing(world.member_a, live, edited(live, summary="Een tweede nieuwe korte tekst."), False)
    db.session.commit()
    assert first is second
    assert db.session.scalars(select(ListingRevision)).all() == [first]
    assert codec.from_json(first.data).summary == "Een tweede nieuwe korte tekst."
    assert submissions.editable_input(world.member_a, live).summary == "Een tweede nieuwe korte tekst."
    # the database itself refuses a second pending revision
    db.session.add(ListingRevision(listing=live, data=first.data, status="pending"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_drafts_and_rejected_listings_are_edited_in_place_and_pending_ones_not(world):
    for listing in (world.draft, world.rejected):
        assert submissions.save_listing(world.member_a, listing, edited(listing, title=f"Nieuw {listing.id}"), False) is None
        assert listing.title == f"Nieuw {listing.id}"
    with pytest.raises(InvalidTransition):
        submissions.save_listing(world.member_a, world.pending, edited(world.pending, title="Andere titel"), False)
    submissions.save_listing(world.member_a, world.rejected, edited(world.rejected), submit=True)
    assert world.rejected.status == "pending"


def test_a_revision_that_changes_nothing_is_refused(world):
    with pytest.raises(ValidationFailed) as failure:
        submissions.save_listing(world.member_a, world.published, edited(world.published), False)
    assert [str(message) for message in failure.value.errors["form"]] == [
        "Je wijzigde niets aan de gepubliceerde versie."]


def test_a_revision_is_checked_by_the_same_business_rules(world):
    with pytest.raises(ValidationFailed) as failure:
        submissions.save_listing(world.member_a, world.published,
                                 edited(world.published, provider_url="ftp://bestanden.example"), False)
    assert "provider_url" in failure.value.errors
    assert db.session.scalars(select(ListingRevision)).all() == []


def test_another_organisation_cannot_edit_submit_or_see_a_listing(world):
    for action in (
        lambda: submissions.listing_for_editor(world.member_b, world.draft.id),
        lambda: submissions.save_listing(world.member_b, world.draft, edited(world.draft), False),
        lambda: submissions.save_listing(world.member_b, world.published, edited(world.published), False),
        lambda: submissions.submit(world.member_b, world.draft),
        lambda: submissions.withdraw(world.member_b, world.pending),
        lambda: submissions.editable_input(world.member_b, world.draft),
    ):
        with pytest.raises(NotFound):
            action()
    with pytest.raises(NotFound):
        submissions.organisation_for_new_listing(world.member_b, world.org_a.slug)
    assert submissions.organisation_for_new_listing(world.member_b, None) == world.org_b


def test_members_cannot_moderate(world):
    revision = submissions.save_listing(world.member_a, world.published, edited(world.published, title="Eigen keuze"),
                                        False)
    for action in (
        lambda: moderation.approve_listing(world.member_a, world.pending),
        lambda: moderation.approve_revision(world.member_a, revision),
        lambda: moderation.unpublish_listing(world.member_a, world.published, "weg"),
        lambda: moderation.queue(world.member_a),
        lambda: moderation.audit_log(world.member_a),
        lambda: moderation.verify_organisation(world.member_b, world.org_b.id),
        lambda: catalogue.apply_approved_revision(world.member_a, world.published, codec.from_json(revision.data)),
    ):
        with pytest.raises(PermissionDenied):
            action()


def test_reject_needs_a_reason_records_it_and_mails_the_organisation(world, mailbox):
    with pytest.raises(ValidationFailed) as failure:
        moderation.reject_listing(world.admin, world.pending, "   ")
    assert "reason" in failure.value.errors and world.pending.status == "pending"
    moderation.reject_listing(world.admin, world.pending, "Het webadres werkt niet.", ["inclusion"])
    db.session.commit()
    last = world.pending.status_changes[-1]
    assert (last.from_status, last.to_status, last.reason, last.quality_checks) == (
        "pending", "rejected", "Het webadres werkt niet.", ["inclusion"])
    [mail] = mailbox.messages  # to the one member of the organisation, through the real SMTP sink
    assert mail["To"] == "lid.a@test.example" and "Robotles pending" in mail["Subject"]
    assert "Het webadres werkt niet." in mail.get_content()


def test_a_rejected_revision_leaves_the_live_listing_and_the_member_sees_why(world):
    live = world.published
    revision = submissions.save_listing(world.member_a, live, edited(live, title="Te wervende titel!!!"), False)
    moderation.reject_revision(world.admin, revision, "Geen uitroeptekens in de titel.")
    db.session.commit()
    assert live.title == "Robotles published" and revision.status == "rejected"
    assert trail(live)[-2:] == [(None, "pending", True), ("pending", "rejected", True)]
    with pytest.raises(InvalidTransition):
        moderation.approve_revision(world.admin, revision)


def test_bulk_approval_approves_what_it_can_and_reports_the_rest(world):
    revision = submissions.save_listing(world.member_a, world.published, edited(world.published, title="Robotles plus"),
                                        False)
    unverified = catalogue.create_listing(world.member_b, world.org_b, ListingInputFactory(title="Codeles beta"))
    catalogue.submit_listing(world.member_b, unverified)
    db.session.commit()

    result = moderation.approve_many(world.admin, [f"listing-{world.pending.id}", f"revision-{revision.id}",
                                                   f"listing-{unverified.id}", "listing-999999", "nonsense"])
    db.session.commit()
    assert sorted(result.approved) == ["Robotles pending", "Robotles published"]  # as the queue lists them
    assert [title for title, _ in result.failed] == ["Codeles beta", "listing-999999", "nonsense"]
    assert "geverifieerd" in result.failed[0][1]
    assert world.pending.status == "published" and unverified.status == "pending"
    assert world.published.title == "Robotles plus"
    assert found_ids("robotles") == {str(world.pending.id), str(world.published.id)}
    assert found_ids("codeles") == set()


def test_unpublish_takes_a_listing_out_of_the_index_with_a_reason_and_ends_its_revision(world):
    live = world.published
    revision = submissions.save_listing(world.member_a, live, edited(live, title="Robotles nieuw"), False)
    db.session.commit()
    with pytest.raises(ValidationFailed):
        moderation.unpublish_listing(world.admin, live, "")
    moderation.unpublish_listing(world.admin, live, "De activiteit gaat niet door.")
    db.session.commit()
    assert live.status == "draft" and revision.status == "withdrawn"
    assert found_ids("robotles") == set()
    unpublished = [c for c in live.status_changes if c.revision_id is None][-1]
    assert (unpublished.from_status, unpublished.to_status, unpublished.reason, unpublished.actor) == (
        "published", "draft", "De activiteit gaat niet door.", world.admin)
    with pytest.raises(InvalidTransition):
        moderation.unpublish_listing(world.admin, live, "nog eens")


def test_archive_from_any_state_but_archived(world):
    moderation.archive_listing(world.admin, world.published, "Seizoen voorbij")
    db.session.commit()
    assert world.published.status == "archived" and found_ids("robotles") == set()
    with pytest.raises(InvalidTransition):
        moderation.archive_listing(world.admin, world.published)


def test_withdraw_drops_a_pending_revision_or_returns_a_submission_to_draft(world):
    revision = submissions.save_listing(world.member_a, world.published, edited(world.published, title="Iets anders"),
                                        False)
    submissions.withdraw(world.member_a, world.published)
    submissions.withdraw(world.member_a, world.pending)
    db.session.commit()
    assert revision.status == "withdrawn" and world.published.status == "published"
    assert world.pending.status == "draft"


def test_reports_from_the_public_land_in_the_queue_until_handled(world):
    with pytest.raises(ValidationFailed) as failure:
        moderation.report_problem(None, world.published, "kort", "geen-adres")
    assert set(failure.value.errors) == {"message", "email"}
    with pytest.raises(NotFound):
        moderation.report_problem(None, world.draft, "De datum klopt niet.", None)
    report = moderation.report_problem(None, world.published, "De datum klopt niet.", "ouder@test.example")
    db.session.commit()
    assert [(item.type, item.id) for item in waiting(world.admin) if item.type == "report"] == [
        ("report", report.id)]
    moderation.handle_report(world.admin, report, "resolved", "Datum aangepast met de organisatie.")
    db.session.commit()
    assert report.status == "resolved" and report.handled_by == world.admin
    assert not [item for item in waiting(world.admin) if item.type == "report"]
    with pytest.raises(InvalidTransition):
        moderation.handle_report(world.admin, report, "dismissed", None)


def test_the_queue_holds_every_kind_of_work_oldest_first_and_filters(world):
    revision = submissions.save_listing(world.member_a, world.published, edited(world.published, title="Robotles twee"),
                                        False)
    school = catalogue.create_listing(world.member_a, world.org_a, ListingInputFactory(
        title="Schoolproject zonnepanelen", kind="school_project", flanders_wide=True, locations=[]))
    catalogue.submit_listing(world.member_a, school)
    db.session.commit()
    items = waiting(world.admin)
    assert [(i.type, i.title) for i in items] == [
        ("organisation", "Codeclub Beta"), ("listing", "Robotles pending"), ("revision", "Robotles published"),
        ("listing", "Schoolproject zonnepanelen"),
    ]
    assert [i.since for i in items] == sorted(i.since for i in items)
    assert [i.verified for i in items] == [False, True, True, True]
    assert [i.title for i in waiting(world.admin, kind="school_project")] == ["Schoolproject zonnepanelen"]
    in_antwerp = waiting(world.admin, region="antwerpen")
    assert [i.title for i in in_antwerp] == ["Schoolproject zonnepanelen"]  # Flanders-wide; the rest is in Genk
    assert {i.title for i in waiting(world.admin, region="limburg")} >= {"Robotles pending", "Codeclub Beta"}
    assert waiting(world.admin, min_days=1) == []
    later = waiting(world.admin, min_days=7, now=items[-1].since + timedelta(days=8))
    assert len(later) == 4
    assert revision.id in {i.id for i in items if i.type == "revision"}


def test_the_audit_log_pages_newest_first(world):
    total = db.session.query(ListingStatusChange).count()
    first = moderation.audit_log(world.admin, 1)
    assert len(first.items) == min(total, PAGE_SIZE) and first.page_count == 1 and first.total == total
    assert first.items[0].id == max(c.id for c in first.items)
    assert moderation.audit_log(world.admin, 99).page == 1


def test_history_is_for_the_organisation_and_admins(world):
    assert moderation.listing_history(world.member_a, world.rejected)[-1].reason == "Vermeld de prijs."
    assert moderation.listing_history(world.admin, world.rejected)
    with pytest.raises(NotFound):
        moderation.listing_history(world.member_b, world.rejected)
    with pytest.raises(NotFound):
        moderation.listing_history(None, world.published)


def test_bulk_approval_refs_with_other_digits_are_not_found(world):
    result = moderation.approve_many(world.admin, ["listing-²", "revision-٣", "listing-" + "9" * 5000])
    assert result.approved == [] and [ref for ref, _ in result.failed] == ["listing-²", "revision-٣",
                                                                          "listing-" + "9" * 5000]
    assert world.pending.status == "pending"


def test_only_a_moderator_makes_charter_signatory_listings(world):
    charter = ListingInputFactory(title="STEM-charter Robotclub Alfa", kind="charter_signatory")
    for action in (
        lambda: catalogue.create_listing(world.member_a, world.org_a, charter),
        lambda: catalogue.update_listing(world.member_a, world.draft, edited(world.draft, kind="charter_signatory")),
        lambda: submissions.save_listing(world.member_a, world.published,
                                         edited(world.published, kind="charter_signatory"), False),
    ):
        with pytest.raises(ValidationFailed) as failure:
            action()
        assert list(failure.value.errors) == ["kind"]
    assert world.draft.kind == "activity" and db.session.scalars(select(ListingRevision)).all() == []
    # verify_charter (a moderator) makes them; the organisation then keeps the kind when it edits the listing
    listing = catalogue.create_listing(world.admin, world.org_a, charter)
    assert catalogue.update_listing(world.member_a, listing, edited(listing, title="STEM-charter Alfa")) is None
    assert listing.kind == "charter_signatory"


def test_a_decision_names_the_version_it_saw_and_editing_again_is_on_the_trail(world):
    live = world.published
    revision = submissions.save_listing(world.member_a, live, edited(live, title="Robotles een"), False)
    db.session.commit()
    seen = moderation.version_of(revision)
    assert submissions.save_listing(world.member_a, live, edited(live, title="Robotles een"), False) is revision
    db.session.commit()
    assert moderation.version_of(revision) == seen and trail(live)[-1] == (None, "pending", True)  # nothing changed
    submissions.save_listing(world.member_a, live, edited(live, title="Robotles twee"), False)
    db.session.commit()
    assert moderation.version_of(revision) != seen
    assert trail(live)[-1] == ("pending", "pending", True) and live.status_changes[-1].is_revision_update
    for decide in (lambda: moderation.approve_revision(world.admin, revision, seen_version=seen),
                   lambda: moderation.reject_revision(world.admin, revision, "Nee.", seen_version=seen)):
        with pytest.raises(InvalidTransition, match="intussen gewijzigd"):
            decide()
    result = moderation.approve_many(world.admin, [f"revision-{revision.id}@{seen}"])
    assert result.approved == [] and "intussen gewijzigd" in result.failed[0][1]
    assert revision.status == "pending" and live.title == "Robotles published"
    moderation.approve_revision(world.admin, revision, seen_version=moderation.version_of(revision))
    db.session.commit()
    assert live.title == "Robotles twee"

    seen = moderation.version_of(world.pending)
    submissions.withdraw(world.member_a, world.pending)
    submissions.save_listing(world.member_a, world.pending, edited(world.pending, title="Iets anders"), submit=True)
    db.session.commit()
    with pytest.raises(InvalidTransition, match="intussen gewijzigd"):
        moderation.approve_listing(world.admin, world.pending, seen_version=seen)
    assert world.pending.status == "pending"


def sign_charter(member, organisation):
    from datetime import date

    from portal.organisations import services as organisations
    return organisations.sign_charter(member, organisation, organisations.CharterInput(
        commitment="Wij geven elke woensdag gratis robotlessen aan kinderen uit de buurt.", contact_name="Lid A",
        contact_email="lid.a@test.example", web_address="https://alfa.example/charter", target_groups=["everyone"],
        disciplines=["technology"], formats=["club"]), date(2026, 3, 1))


def test_charter_signatures_waiting_for_verification_are_in_the_queue(world):
    signature = sign_charter(world.member_a, world.org_a)
    db.session.commit()
    [item] = [item for item in waiting(world.admin) if item.type == "charter"]
    assert (item.id, item.title, item.kind, item.verified, item.approvable_in_bulk) == (
        signature.id, "Robotclub Alfa", "charter_signatory", True, False)
    assert [i.type for i in waiting(world.admin, kind="charter_signatory")] == ["charter"]
    assert "charter" not in {i.type for i in waiting(world.admin, kind="activity")}
    assert "charter" in {i.type for i in waiting(world.admin, region="limburg")}
    signature.verified_at = signature.created_at
    db.session.commit()
    assert "charter" not in {i.type for i in waiting(world.admin)}
