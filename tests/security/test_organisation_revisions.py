"""Issue 13, item 2: a verified organisation's public identity changes only through moderation, as a revision
with a diff, and every organisation change (its verification too) is in its history. The rule lives in the
service, so the form (tested here through the pages) and the importer get it alike."""

import pytest
from sqlalchemy import select

from portal.accounts import services as accounts
from portal.catalogue import policy
from portal.catalogue.models import Organisation
from portal.catalogue.services import add_member, create_organisation
from portal.extensions import db
from portal.moderation import services as moderation
from portal.moderation.diff import FieldChange
from portal.organisations import services as organisations
from portal.organisations.models import OrganisationChange, OrganisationRevision
from tests.exchange.conftest import organisation as organisation_record
from tests.exchange.conftest import run_import, write_json
from tests.factories import OrganisationInputFactory
from tests.forms import PASSWORD, login, new_user, review_form, submit, text_of

# The import command shares the test's database session, so its write lock finds the connection already open.
pytestmark = pytest.mark.filterwarnings("ignore:Connection is already established:sqlalchemy.exc.SAWarning")

DETAILS = {"name": "Robotclub Alfa", "kind": "stem_academy", "municipality_code": "71016",
           "website": "https://alfa.example", "public_email": "info@alfa.example",
           "description": "Een robotclub voor kinderen."}
RENAMED = {**DETAILS, "name": "Gekaapte Club", "website": "https://gekaapt.example"}


@pytest.fixture
def org(app):
    """Organisation Alfa, verified by the moderator through the moderation queue, with its owner An and an
    editor; each of them (and the moderator) logged in."""
    new_user("moderator@test.example", is_admin=True)
    owner, editor = new_user("an@test.example"), new_user("redacteur@test.example")
    organisation = create_organisation(owner, OrganisationInputFactory(**DETAILS))
    add_member(owner, organisation, editor, role=policy.EDITOR)
    db.session.commit()
    found = {"slug": organisation.slug, "id": organisation.id}
    for name, email in (("moderator", "moderator@test.example"), ("an", "an@test.example"),
                        ("redacteur", "redacteur@test.example")):
        found[name] = app.test_client()
        login(found[name], email)
    assert submit(found["moderator"], f"/moderatie/organisaties/{organisation.id}/verifieren", {},
                  form_page="/moderatie").status_code == 302
    return found


def edit(org, who: str, data: dict):
    path = f"/mijn/organisaties/{org['slug']}/gegevens"
    return submit(org[who], path, data)


def public_page(app, org) -> str:
    return text_of(app.test_client().get(f"/organisaties/{org['slug']}"))


def pending_revision() -> OrganisationRevision:
    db.session.expire_all()
    return db.session.scalar(select(OrganisationRevision).where(OrganisationRevision.status == "pending"))


def revision_page(revision: OrganisationRevision) -> str:
    return f"/moderatie/organisaties/wijzigingen/{revision.id}"


def decide(org, revision: OrganisationRevision, **data):
    page = revision_page(revision)
    return submit(org["moderator"], page + "/beslissen", {**review_form(org["moderator"], page), **data},
                  form_page=page)


def history(org) -> list[tuple]:
    db.session.expire_all()
    return [(change.action, change.actor.email if change.actor else None, change.changes, change.reason)
            for change in db.session.scalars(select(OrganisationChange).where(
                OrganisationChange.organisation_id == org["id"]).order_by(OrganisationChange.id))]


def test_a_verified_organisations_new_name_is_not_public_until_a_moderator_approves(app, org):
    saved = edit(org, "an", RENAMED)
    assert saved.status_code == 302
    dashboard = text_of(org["an"].get(saved.headers["Location"]))
    assert "Je wijziging wacht op een moderator" in dashboard and "wacht op moderatie" in dashboard

    page = public_page(app, org)
    assert "Robotclub Alfa" in page and "Geverifieerde organisatie" in page
    assert "Gekaapte Club" not in page and "gekaapt.example" not in page
    api = app.test_client().get(f"/api/v1/organisations/{org['slug']}").get_json()
    assert api["name"] == "Robotclub Alfa" and api["website"] == "https://alfa.example"
    db.session.expire_all()
    assert db.session.get(Organisation, org["id"]).name == "Robotclub Alfa"

    revision = pending_revision()
    queue = text_of(org["moderator"].get("/moderatie"))
    assert "Wijziging organisatie" in queue and f'href="{revision_page(revision)}"' in (
        org["moderator"].get("/moderatie").get_data(as_text=True))
    assert decide(org, revision, approve="y").status_code == 302
    page = public_page(app, org)
    assert "Gekaapte Club" in page and "https://gekaapt.example" in page and "Robotclub Alfa" not in page
    assert "Geverifieerde organisatie" in page
    assert pending_revision() is None and "wacht op moderatie" not in text_of(org["an"].get(saved.headers["Location"]))


def test_the_diff_shows_exactly_the_changed_details_in_words(app, org):
    edit(org, "an", {**DETAILS, "kind": "company", "municipality_code": "", "description": "Nieuw."})
    revision = pending_revision()
    with app.test_request_context():
        _found, changes = moderation.organisation_revision_for_review(
            db.session.scalar(select(accounts.User).where(accounts.User.is_admin)), revision.id)
    assert changes == [FieldChange("Soort organisatie", "STEM-academie", "Bedrijf"),
                       FieldChange("Gemeente", "Genk", ""),
                       FieldChange("Beschrijving", "Een robotclub voor kinderen.", "Nieuw.")]
    for reader, path in ((org["moderator"], revision_page(revision)), (org["an"], f"/mijn/organisaties/{org['slug']}")):
        shown = text_of(reader.get(path))
        assert "3 velden gewijzigd" in shown
        assert "Soort organisatie STEM-academie Bedrijf" in shown and "Gemeente Genk" in shown
        assert "Naam" not in shown.split("velden gewijzigd")[1].split("Beschrijving")[0]  # unchanged: not listed


def test_a_new_edit_replaces_the_pending_revision_and_a_decision_on_the_old_one_is_refused(app, org):
    edit(org, "an", RENAMED)
    first = pending_revision()
    stale = review_form(org["moderator"], revision_page(first))
    edit(org, "an", {**RENAMED, "name": "Robotclub Alfa Genk"})
    assert db.session.scalars(select(OrganisationRevision)).all() == [first]  # one pending revision, updated
    assert pending_revision().data["name"] == "Robotclub Alfa Genk"
    refused = submit(org["moderator"], revision_page(first) + "/beslissen", {**stale, "approve": "y"},
                     form_page=revision_page(first))
    assert refused.status_code == 422 and "intussen gewijzigd" in text_of(refused)
    assert "Robotclub Alfa" in public_page(app, org) and "Robotclub Alfa Genk" not in public_page(app, org)
    form = text_of(org["an"].get(f"/mijn/organisaties/{org['slug']}/gegevens"))
    assert "Je past de wijziging aan die al op moderatie wacht" in form
    assert 'value="Robotclub Alfa Genk"' in org["an"].get(f"/mijn/organisaties/{org['slug']}/gegevens").get_data(
        as_text=True)  # the form starts from the pending change
    assert [action for action, *_ in history(org)][-2:] == ["revision_submitted", "revision_updated"]


def test_a_moderator_rejects_with_a_reason_that_the_owners_get_by_mail(app, org, mailbox):
    edit(org, "an", RENAMED)
    revision = pending_revision()
    no_reason = decide(org, revision, reject="y", reason=" ")
    assert no_reason.status_code == 422 and "Geef een reden" in text_of(no_reason)
    assert decide(org, revision, reject="y", reason="Dit is niet jullie naam.").status_code == 302
    assert pending_revision() is None and db.session.get(OrganisationRevision, revision.id).status == "rejected"
    assert "Robotclub Alfa" in public_page(app, org) and "Gekaapte Club" not in public_page(app, org)
    [mail] = mailbox.to("an@test.example")
    assert mail["Subject"] == "Je wijziging aan de gegevens van Robotclub Alfa is niet goedgekeurd"
    assert "Dit is niet jullie naam." in mail.get_content()
    assert mailbox.to("redacteur@test.example") == []  # editors do not edit the details
    action, actor, changes, reason = history(org)[-1]
    assert (action, actor, reason) == ("revision_rejected", "moderator@test.example", "Dit is niet jullie naam.")
    assert changes["name"] == ["Robotclub Alfa", "Gekaapte Club"]
    assert "Dit is niet jullie naam." in text_of(org["an"].get(f"/mijn/organisaties/{org['slug']}"))


def test_the_owner_withdraws_the_pending_change(app, org):
    edit(org, "an", RENAMED)
    dashboard = f"/mijn/organisaties/{org['slug']}"
    assert f'action="{dashboard}/gegevens/intrekken"' in org["an"].get(dashboard).get_data(as_text=True)
    assert "/gegevens/intrekken" not in org["redacteur"].get(dashboard).get_data(as_text=True)
    assert submit(org["redacteur"], dashboard + "/gegevens/intrekken", {}, form_page=dashboard).status_code == 403
    assert pending_revision() is not None
    done = submit(org["an"], dashboard + "/gegevens/intrekken", {}, form_page=dashboard)
    assert done.status_code == 302 and "De wijziging is ingetrokken" in text_of(org["an"].get(dashboard))
    assert pending_revision() is None
    assert [r.status for r in db.session.scalars(select(OrganisationRevision))] == ["withdrawn"]
    assert "Robotclub Alfa" in public_page(app, org)
    assert history(org)[-1][:2] == ("revision_withdrawn", "an@test.example")
    again = submit(org["an"], dashboard + "/gegevens/intrekken", {}, form_page=dashboard)
    assert "Er wacht geen wijziging" in text_of(org["an"].get(again.headers["Location"]))


def test_an_unverified_organisations_details_change_at_once_and_are_recorded(app, org):
    client = app.test_client()
    new_user("nieuw@test.example")
    login(client, "nieuw@test.example")
    assert submit(client, "/mijn/organisaties/nieuw", {**DETAILS, "name": "Codeclub Beta"}).status_code == 302
    assert submit(client, "/mijn/organisaties/codeclub-beta/gegevens",
                  {**DETAILS, "name": "Codeclub Beta Hasselt"}).status_code == 302
    db.session.expire_all()
    beta = db.session.scalar(select(Organisation).where(Organisation.slug == "codeclub-beta"))
    assert beta.name == "Codeclub Beta Hasselt" and not beta.is_verified
    assert db.session.scalars(select(OrganisationRevision)).all() == []
    rows = history({"id": beta.id})
    assert [row[:2] for row in rows] == [("created", "nieuw@test.example"), ("edited", "nieuw@test.example")]
    assert rows[0][2]["name"] == [None, "Codeclub Beta"]
    assert rows[1][2] == {"name": ["Codeclub Beta", "Codeclub Beta Hasselt"]}


def test_every_change_and_the_verification_are_in_the_history_for_owners_and_moderators(app, org):
    edit(org, "an", RENAMED)
    assert decide(org, pending_revision(), approve="y").status_code == 302
    assert [row[:2] for row in history(org)] == [
        ("created", "an@test.example"), ("verified", "moderator@test.example"),
        ("revision_submitted", "an@test.example"), ("revision_approved", "moderator@test.example")]
    assert history(org)[-1][2] == {"name": ["Robotclub Alfa", "Gekaapte Club"],
                                   "website": ["https://alfa.example", "https://gekaapt.example"]}

    dashboard = text_of(org["an"].get(f"/mijn/organisaties/{org['slug']}"))
    section = dashboard.split("Elke wijziging van")[1]
    for shown in ("Geregistreerd", "Geverifieerd", "Wijziging voorgesteld", "Wijziging goedgekeurd", "moderator",
                  "Naam: Robotclub Alfa → Gekaapte Club"):
        assert shown in section
    assert "Elke wijziging van" not in text_of(org["redacteur"].get(f"/mijn/organisaties/{org['slug']}"))
    moderation_page = f"/moderatie/organisaties/{org['id']}/geschiedenis"
    assert "Naam: Robotclub Alfa → Gekaapte Club" in text_of(org["moderator"].get(moderation_page))
    assert org["an"].get(moderation_page).status_code == 403


def test_a_deleted_actors_changes_stay_without_their_name(app, org):
    edit(org, "an", RENAMED)
    delete = submit(org["an"], "/account/verwijderen", {"password": PASSWORD, "confirm": "y"})
    assert delete.status_code == 302
    page = text_of(org["moderator"].get(f"/moderatie/organisaties/{org['id']}/geschiedenis"))
    assert "Verwijderde gebruiker" in page and "an@test.example" not in page
    assert " an " not in f" {page} "  # the display name made from the address
    revision = pending_revision()
    assert "Verwijderde gebruiker" in text_of(org["moderator"].get(revision_page(revision)))
    actions = [row[0] for row in history(org)]
    assert actions == ["created", "verified", "revision_submitted"]  # kept, with an anonymous actor
    assert db.session.get(accounts.User, history_actor_id(org)).display_name == accounts.DELETED_NAME


def history_actor_id(org) -> int:
    return db.session.scalar(select(OrganisationChange.actor_id).where(
        OrganisationChange.organisation_id == org["id"], OrganisationChange.action == "revision_submitted"))


def test_the_service_holds_the_rule_for_every_caller(app, org, tmp_path):
    """The importer goes through the same service: a queued import proposes, a publishing one approves at once
    as the acting moderator; an editor cannot change the details at all."""
    organisation = db.session.get(Organisation, org["id"])
    organisation.external_id = "org-alfa"
    db.session.commit()
    record = organisation_record(id="org-alfa", name="Robotclub Alfa vzw", slug=org["slug"], municipality="Genk",
                                 website="https://alfa.example")
    result = run_import(app, write_json(tmp_path / "a.json", [record]))
    assert result.exit_code == 0 and "1 wijziging ter moderatie" in result.output, result.output
    assert "Robotclub Alfa vzw" not in public_page(app, org) and pending_revision().data["name"] == "Robotclub Alfa vzw"
    result = run_import(app, write_json(tmp_path / "a.json", [record]), "--publish")
    assert result.exit_code == 0, result.output
    assert "Robotclub Alfa vzw" in public_page(app, org)
    assert history(org)[-1][:2] == ("revision_approved", "moderator@test.example")

    editor = db.session.scalar(select(accounts.User).where(accounts.User.email == "redacteur@test.example"))
    with pytest.raises(organisations.PermissionDenied):
        organisations.update_organisation(editor, db.session.get(Organisation, org["id"]),
                                          OrganisationInputFactory(**RENAMED))
    assert submit(org["redacteur"], f"/mijn/organisaties/{org['slug']}/gegevens", RENAMED,
                  form_page=f"/mijn/organisaties/{org['slug']}").status_code == 403
    assert pending_revision() is None
