"""`policy.available_actions` is what the pages show and the importer follows; the services decide. For every
state of every workflow and every kind of user, an action is offered exactly when its service call succeeds."""

from __future__ import annotations

from dataclasses import replace

import pytest

from portal.catalogue import policy, vocab, workflow
from portal.catalogue import services as catalogue
from portal.domain import DomainError
from portal.extensions import db
from portal.moderation import services as moderation
from portal.organisations import services as organisations
from portal.submissions import codec
from portal.submissions import services as submissions
from tests.factories import ListingInputFactory, OrganisationInputFactory, make_user


@pytest.fixture
def people(app):
    admin = make_user("moderator@test.example", is_admin=True)
    owner, editor, outsider = (make_user(f"{who}@test.example") for who in ("eigenaar", "redacteur", "buiten"))
    organisation = catalogue.create_organisation(owner, OrganisationInputFactory())
    catalogue.add_member(owner, organisation, editor, role=policy.EDITOR)
    catalogue.create_organisation(outsider, OrganisationInputFactory(name="Een andere club"))
    catalogue.verify_organisation(admin, organisation)
    db.session.flush()
    return {"admin": admin, "owner": owner, "editor": editor, "outsider": outsider}, organisation


def _listing_in(state: str, people, organisation):
    admin, owner = people["admin"], people["owner"]
    listing = catalogue.create_listing(owner, organisation, ListingInputFactory(title=f"Robotles {state}"))
    steps = {"pending": ["submit"], "published": ["submit", "publish"], "rejected": ["submit", "reject"],
             "archived": ["archive"], "stale": ["submit", "publish", "go_stale"]}
    for step in steps.get(state, []):
        {"submit": lambda: catalogue.submit_listing(owner, listing),
         "publish": lambda: catalogue.publish_listing(admin, listing),
         "reject": lambda: catalogue.reject_listing(admin, listing, "Vermeld de prijs."),
         "archive": lambda: catalogue.archive_listing(admin, listing),
         "go_stale": lambda: catalogue.scheduled_transition(listing, "go_stale", "13 maanden niet bevestigd.")}[step]()
    db.session.flush()
    assert listing.status == state
    return listing


def _changed(listing):
    return replace(codec.from_listing(listing), title=listing.title + " (nieuw)")


def _succeeds(call) -> bool:
    """Whether the service call is accepted; whatever it changed is undone."""
    savepoint = db.session.begin_nested()
    try:
        call()
        db.session.flush()
    except DomainError:
        return False
    finally:
        savepoint.rollback()
    return True


LISTING_CALLS = {
    "edit": lambda user, listing: submissions.save_listing(user, listing, _changed(listing), submit=False) is None,
    "propose_change": lambda user, listing: submissions.save_listing(
        user, listing, _changed(listing), submit=False) is not None,
    "set_availability": lambda user, listing: catalogue.set_availability(
        user, listing, {"availability": "full", "waiting_list": True, "remaining_places": None, "postponed_to": None}),
    "submit": lambda user, listing: submissions.submit(user, listing),
    "withdraw": lambda user, listing: submissions.withdraw(user, listing),
    "publish": lambda user, listing: moderation.approve_listing(user, listing),
    "reject": lambda user, listing: moderation.reject_listing(user, listing, "Te weinig uitleg."),
    "unpublish": lambda user, listing: moderation.unpublish_listing(user, listing, "De datum klopt niet."),
    "archive": lambda user, listing: moderation.archive_listing(user, listing, "Loopt niet meer."),
    "confirm": lambda user, listing: catalogue.confirm_listing(user, listing),
    # only the scheduled freshness run takes it (catalogue.scheduled_transition): no user's call
    "go_stale": lambda user, listing: False,
}


def _accepted(call, user, obj) -> bool:
    outcome = []
    ok = _succeeds(lambda: outcome.append(call(user, obj)))
    return ok and outcome[0] is not False


def test_every_listing_action_is_defined_and_tested():
    assert set(LISTING_CALLS) == set(workflow.LISTING.transitions)


@pytest.mark.parametrize("state", ["draft", "pending", "published", "stale", "rejected", "archived"])
def test_a_listing_offers_exactly_what_the_services_accept(people, state):
    users, organisation = people
    listing = _listing_in(state, users, organisation)
    for who, user in users.items():
        offered = policy.available_actions(user, listing)
        accepted = {action for action, call in LISTING_CALLS.items() if _accepted(call, user, listing)}
        assert offered == accepted, (state, who)
    assert policy.available_actions(None, listing) == frozenset()


def test_a_revision_offers_exactly_what_the_services_accept(people):
    users, organisation = people
    listing = _listing_in("published", users, organisation)
    revision = submissions.propose_revision(users["editor"], listing, _changed(listing))
    db.session.flush()
    calls = {
        "approve": lambda user, found: moderation.approve_revision(user, found),
        "reject": lambda user, found: moderation.reject_revision(user, found, "Niet duidelijk."),
        "withdraw": lambda user, found: submissions.withdraw(user, found.listing),
    }
    assert set(calls) == set(workflow.REVISION.transitions)
    for who, user in users.items():
        accepted = {action for action, call in calls.items() if _accepted(call, user, revision)}
        assert policy.available_actions(user, revision) == accepted, who
    moderation.approve_revision(users["admin"], revision)
    assert policy.available_actions(users["admin"], revision) == frozenset()


def test_an_organisation_revision_offers_exactly_what_the_services_accept(people):
    users, organisation = people
    revision = organisations.update_organisation(users["owner"], organisation,
                                                 OrganisationInputFactory(name="Een nieuwe naam"))
    db.session.flush()
    calls = {
        "approve": lambda user, found: moderation.approve_organisation_revision(user, found),
        "reject": lambda user, found: moderation.reject_organisation_revision(user, found, "Niet jullie naam."),
        "withdraw": lambda user, found: organisations.withdraw_revision(user, found.organisation),
    }
    assert set(calls) == set(workflow.REVISION.transitions)
    for who, user in users.items():
        accepted = {action for action, call in calls.items() if _accepted(call, user, revision)}
        assert policy.available_actions(user, revision) == accepted, who
    assert policy.available_actions(users["owner"], revision) == {"withdraw"}
    assert policy.available_actions(users["editor"], revision) == frozenset()
    moderation.approve_organisation_revision(users["admin"], revision)
    assert policy.available_actions(users["admin"], revision) == frozenset()


def test_a_report_offers_exactly_what_the_services_accept(people):
    users, organisation = people
    report = moderation.report_problem(None, _listing_in("published", users, organisation), "De prijs klopt niet.",
                                       None)
    db.session.flush()
    calls = {action: (lambda user, found, action=action: moderation.handle_report(
        user, found, workflow.REPORT.leads_to(action), None)) for action in workflow.REPORT.transitions}
    for who, user in users.items():
        accepted = {action for action, call in calls.items() if _accepted(call, user, report)}
        assert policy.available_actions(user, report) == accepted, who
    assert policy.available_actions(users["admin"], report) == {"resolve", "dismiss"}


@pytest.fixture
def join_request(app, people):
    users, organisation = people
    with app.test_request_context():  # the services write mails with absolute links
        found = organisations.request_to_join(make_user("nieuw@test.example"), organisation, "Ik help graag.")
        db.session.flush()
        yield found


def test_a_join_request_offers_exactly_what_the_services_accept(people, join_request):
    users, organisation = people
    calls = {action: (lambda user, found, action=action: organisations.decide_join_request(
        user, organisation, found.id, approve=action == "approve")) for action in workflow.JOIN_REQUEST.transitions}
    for who, user in users.items():
        accepted = {action for action, call in calls.items() if _accepted(call, user, join_request)}
        assert policy.available_actions(user, join_request) == accepted, who
    assert policy.available_actions(users["editor"], join_request) == frozenset()
    assert policy.available_actions(users["owner"], join_request) == {"approve", "refuse"}


def test_a_state_that_allows_no_action_refuses_with_the_workflows_message():
    with pytest.raises(DomainError) as refused:
        workflow.REVISION.next_state("approve", "approved")
    assert str(refused.value) == "Over deze wijziging is al beslist."


@pytest.mark.parametrize("flow, known", [
    (workflow.LISTING, vocab.LISTING_STATUSES.codes), (workflow.REVISION, vocab.REVISION_STATUSES.codes),
    (workflow.REPORT, vocab.REPORT_STATUSES.codes), (workflow.JOIN_REQUEST, ("pending", "approved", "refused")),
])
def test_every_state_a_workflow_names_is_one_the_database_allows(flow, known):
    named = {flow.initial} | {state for sources, target in flow.transitions.values()
                              for state in (*sources, target) if state}
    assert named == set(known)
