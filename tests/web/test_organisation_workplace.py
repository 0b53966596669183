"""Organisations through the pages: register, verify, join, invite, details, and the STEM-charter signed
online until it is a published, searchable listing. Members act only for their own organisation."""

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from portal.accounts.models import Membership, User
from portal.catalogue.models import Listing, Organisation
from portal.catalogue.services import create_listing, create_organisation, publish_listing, submit_listing
from portal.catalogue.services import verify_organisation as verify
from portal.extensions import db
from portal.organisations.models import CharterSignature, JoinRequest, OrganisationRevision
from tests.factories import ListingInputFactory, OrganisationInputFactory
from tests.forms import PASSWORD, link_in, login, new_user, review_form, submit, text_of

ORGANISATION = {"name": "Robotclub De Vonk", "kind": "stem_academy", "municipality_code": "71016",
                "website": "https://vonk.example", "public_email": "info@vonk.example",
                "description": "Een robotclub voor kinderen."}
CHARTER = {"commitment": "Wij openen elke maand ons atelier voor klassen uit het basisonderwijs en begeleiden "
                         "meisjes die techniek willen proberen.",
           "contact_name": "An Peeters", "contact_email": "an@vonk.example", "web_address": "https://vonk.example/charter",
           "target_groups": ["girls", "teachers"], "disciplines": ["technology"], "formats": ["workshop"]}


@pytest.fixture
def people(app):
    """An admin, a member of organisation A (verified) and a member of organisation B, each logged in."""
    admin, a_member, b_member = (new_user("admin@test.example", is_admin=True), new_user("a@test.example"),
                                 new_user("b@test.example"))
    organisation_a = create_organisation(a_member, OrganisationInputFactory(name="Organisatie A"))
    organisation_b = create_organisation(b_member, OrganisationInputFactory(name="Organisatie B"))
    verify(admin, organisation_a)
    verify(admin, organisation_b)
    db.session.commit()
    clients = {}
    for name, email in (("admin", "admin@test.example"), ("a", "a@test.example"), ("b", "b@test.example")):
        clients[name] = app.test_client()
        login(clients[name], email)
    clients["slug_a"], clients["slug_b"] = organisation_a.slug, organisation_b.slug
    return clients


def test_register_an_organisation_and_an_admin_verifies_it(app, client, mailbox):
    new_user("lid@test.example")
    new_user("admin@test.example", is_admin=True)
    login(client, "lid@test.example")
    bad = submit(client, "/mijn/organisaties/nieuw", {**ORGANISATION, "website": "ftp://vonk.example"})
    assert "http:// of https://" in text_of(bad)
    assert 'value="Robotclub De Vonk"' in bad.get_data(as_text=True)  # nothing typed is lost
    done = submit(client, "/mijn/organisaties/nieuw", ORGANISATION)
    assert done.status_code == 302 and done.headers["Location"] == "/mijn/organisaties/robotclub-de-vonk"
    dashboard = client.get("/mijn/organisaties/robotclub-de-vonk")
    assert "Wacht op verificatie" in text_of(dashboard) and "lid" in text_of(dashboard)
    assert app.test_client().get("/organisaties/robotclub-de-vonk").status_code == 404  # not public yet

    assert submit(client, "/beheer/organisaties/robotclub-de-vonk/verifieren", {},
                  form_page="/mijn/organisaties").status_code == 403
    moderator = app.test_client()
    login(moderator, "admin@test.example")
    assert "Robotclub De Vonk" in text_of(moderator.get("/beheer/organisaties"))
    assert submit(moderator, "/beheer/organisaties/robotclub-de-vonk/verifieren", {},
                  form_page="/beheer/organisaties").status_code == 302
    public = app.test_client().get("/organisaties/robotclub-de-vonk")
    assert public.status_code == 200 and "Geverifieerde organisatie" in text_of(public)
    assert mailbox.to("lid@test.example")[0]["Subject"] == "Robotclub De Vonk is geverifieerd"


def test_join_request_approved_by_a_member(app, people, mailbox):
    new_user("nieuw@test.example")
    newcomer = app.test_client()
    login(newcomer, "nieuw@test.example")
    slug = people["slug_a"]
    assert "Vraag om lid te worden" in text_of(newcomer.get(f"/organisaties/{slug}"))
    assert submit(newcomer, f"/organisaties/{slug}/lid-worden", {"message": "Ik geef de lessen op woensdag."}
                  ).status_code == 302
    assert mailbox.to("a@test.example")[0]["Subject"].startswith("nieuw wil lid worden")
    again = submit(newcomer, f"/organisaties/{slug}/lid-worden", {"message": ""})
    assert "al om lid te worden" in text_of(again)
    request_id = db.session.scalar(select(JoinRequest.id))

    # B's member cannot decide for A
    assert submit(people["b"], f"/mijn/organisaties/{slug}/verzoeken/{request_id}/goedkeuren", {},
                  form_page="/mijn/organisaties").status_code == 403
    assert newcomer.get(f"/mijn/organisaties/{slug}").status_code == 403
    assert "Ik geef de lessen op woensdag." in text_of(people["a"].get(f"/mijn/organisaties/{slug}"))
    assert submit(people["a"], f"/mijn/organisaties/{slug}/verzoeken/{request_id}/goedkeuren", {},
                  form_page=f"/mijn/organisaties/{slug}").status_code == 302
    assert newcomer.get(f"/mijn/organisaties/{slug}").status_code == 200
    assert mailbox.to("nieuw@test.example")[0]["Subject"] == "Je verzoek bij Organisatie A"


def test_refused_join_request_gives_no_membership(app, people):
    new_user("nieuw@test.example")
    newcomer = app.test_client()
    login(newcomer, "nieuw@test.example")
    slug = people["slug_a"]
    submit(newcomer, f"/organisaties/{slug}/lid-worden", {"message": ""})
    request_id = db.session.scalar(select(JoinRequest.id))
    submit(people["a"], f"/mijn/organisaties/{slug}/verzoeken/{request_id}/weigeren", {},
           form_page=f"/mijn/organisaties/{slug}")
    assert db.session.scalar(select(JoinRequest.status)) == "refused"
    assert newcomer.get(f"/mijn/organisaties/{slug}").status_code == 403


def test_invite_a_colleague_by_mail_who_accepts_with_an_account(app, people, mailbox):
    slug = people["slug_a"]
    assert submit(people["b"], f"/mijn/organisaties/{slug}/uitnodigen", {"email": "collega@test.example"},
                  form_page="/mijn/organisaties").status_code == 403
    assert submit(people["a"], f"/mijn/organisaties/{slug}/uitnodigen", {"email": "collega@test.example"},
                  form_page=f"/mijn/organisaties/{slug}").status_code == 302
    [mail] = mailbox.to("collega@test.example")
    link = link_in(mail, "/uitnodiging/")

    colleague = app.test_client()
    anonymous_view = colleague.get(link)
    assert "heb je een account nodig" in text_of(anonymous_view)
    new_user("collega@test.example")
    login(colleague, "collega@test.example")
    assert submit(colleague, link, {}).status_code == 302
    assert colleague.get(f"/mijn/organisaties/{slug}").status_code == 200
    assert db.session.scalar(select(Membership).join(Membership.user).where(
        Membership.organisation.has(slug=slug), Membership.user.has(email="collega@test.example"))) is not None
    reused = app.test_client()
    new_user("derde@test.example")
    login(reused, "derde@test.example")
    assert submit(reused, link, {}, form_page="/account/").status_code == 400  # single use


def test_an_address_gets_one_open_invitation_per_organisation(people, mailbox):
    slug = people["slug_a"]
    invite = lambda: submit(people["a"], f"/mijn/organisaties/{slug}/uitnodigen",  # noqa: E731
                            {"email": "collega@test.example"}, form_page=f"/mijn/organisaties/{slug}")
    assert invite().status_code == 302
    again = invite()
    assert again.status_code == 400 and "kreeg al een uitnodiging" in text_of(again)
    assert len(mailbox.to("collega@test.example")) == 1
    assert submit(people["b"], f"/mijn/organisaties/{people['slug_b']}/uitnodigen", {"email": "collega@test.example"},
                  form_page=f"/mijn/organisaties/{people['slug_b']}").status_code == 302  # another organisation


def test_mail_to_others_is_limited_per_account(app, people, mailbox):
    """Invitations, join requests and address changes share one limit per account: no mail cannon."""
    app.config["USER_MAIL_LIMIT"] = "3 per hour"
    try:
        slug_a, slug_b, a = people["slug_a"], people["slug_b"], people["a"]
        for number in range(2):
            assert submit(a, f"/mijn/organisaties/{slug_a}/uitnodigen", {"email": f"doel{number}@test.example"},
                          form_page=f"/mijn/organisaties/{slug_a}").status_code == 302
        refused = submit(a, f"/mijn/organisaties/{slug_a}/uitnodigen", {"email": "geen-adres"},
                         form_page=f"/mijn/organisaties/{slug_a}")
        assert refused.status_code == 400  # no mail: does not count
        changed = submit(a, "/account/e-mailadres-wijzigen", {"new_email": "doel2@test.example", "password": PASSWORD})
        assert changed.status_code == 200 and len(mailbox.messages) == 3
        assert submit(a, f"/mijn/organisaties/{slug_a}/uitnodigen", {"email": "doel3@test.example"},
                      form_page=f"/mijn/organisaties/{slug_a}").status_code == 429
        assert submit(a, f"/organisaties/{slug_b}/lid-worden", {"message": "hoi"},
                      form_page=f"/organisaties/{slug_b}/lid-worden").status_code == 429
        assert submit(a, "/account/e-mailadres-wijzigen", {"new_email": "doel4@test.example",
                                                           "password": PASSWORD}).status_code == 429
        assert len(mailbox.messages) == 3 and db.session.scalar(select(func.count(JoinRequest.id))) == 0
        assert submit(people["b"], f"/mijn/organisaties/{slug_b}/uitnodigen", {"email": "doel5@test.example"},
                      form_page=f"/mijn/organisaties/{slug_b}").status_code == 302  # another account
    finally:
        app.config["USER_MAIL_LIMIT"] = "20 per hour"


def test_member_of_b_cannot_act_for_a(people):
    slug = people["slug_a"]
    b = people["b"]
    assert b.get(f"/mijn/organisaties/{slug}").status_code == 403
    assert b.get(f"/mijn/organisaties/{slug}/gegevens").status_code == 403
    assert submit(b, f"/mijn/organisaties/{slug}/gegevens", {**ORGANISATION, "name": "Overgenomen"},
                  form_page="/mijn/organisaties").status_code == 403
    assert b.get(f"/mijn/organisaties/{slug}/charter").status_code == 403
    assert submit(b, f"/mijn/organisaties/{slug}/charter", CHARTER, form_page="/mijn/organisaties").status_code == 403
    assert db.session.scalar(select(Organisation.name).where(Organisation.slug == slug)) == "Organisatie A"
    assert db.session.scalar(select(CharterSignature.id)) is None
    assert people["a"].get(f"/mijn/organisaties/{slug}").status_code == 200


def test_line_breaks_are_refused_in_names_that_end_up_in_mail_subjects(app, people, mailbox):
    slug = people["slug_a"]
    for path, form_page in (("/mijn/organisaties/nieuw", None), (f"/mijn/organisaties/{slug}/gegevens", None)):
        answer = submit(people["a"], path, {**ORGANISATION, "name": "De Vonk\r\nBcc: x@evil.example"},
                        form_page=form_page)
        assert answer.status_code == 200 and "De naam moet op één regel staan" in text_of(answer)
    refused = submit(people["a"], f"/mijn/organisaties/{slug}/charter",
                     {**CHARTER, "contact_name": "An\nPeeters"})
    assert refused.status_code == 200 and "moet op één regel staan" in text_of(refused)
    assert db.session.scalar(select(Organisation.name).where(Organisation.slug == slug)) == "Organisatie A"
    assert db.session.scalar(select(func.count(Organisation.id))) == 2
    assert db.session.scalar(select(CharterSignature.id)) is None and mailbox.messages == []


def test_renaming_reindexes_the_published_listings(app, people):
    admin = db.session.scalar(select(User).where(User.is_admin))
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == people["slug_a"]))
    listing = create_listing(admin, organisation, ListingInputFactory(title="Robotkamp in de zomer"))
    draft = create_listing(admin, organisation, ListingInputFactory(title="Nog een ontwerp"))
    submit_listing(admin, listing)
    publish_listing(admin, listing)
    db.session.commit()
    assert "Organisatie A" in text_of(app.test_client().get("/zoeken?q=robotkamp"))

    renamed = submit(people["a"], f"/mijn/organisaties/{people['slug_a']}/gegevens",
                     {**ORGANISATION, "name": "Technotheek Zuid"})
    assert renamed.status_code == 302
    assert "Organisatie A" in text_of(app.test_client().get("/zoeken?q=robotkamp"))  # until a moderator approves
    revision_page = f"/moderatie/organisaties/wijzigingen/{db.session.scalar(select(OrganisationRevision.id))}"
    approved = submit(people["admin"], revision_page + "/beslissen",
                      {**review_form(people["admin"], revision_page), "approve": "y"}, form_page=revision_page)
    assert approved.status_code == 302
    results = text_of(app.test_client().get("/zoeken?q=robotkamp"))
    assert "Technotheek Zuid" in results and "Organisatie A" not in results
    assert draft.status == "draft"


def test_sign_the_charter_and_an_admin_publishes_it(app, people, mailbox):
    slug = people["slug_a"]
    short = submit(people["a"], f"/mijn/organisaties/{slug}/charter", {**CHARTER, "commitment": "Te kort."})
    assert "30 tot 5000 tekens" in text_of(short)
    no_groups = submit(people["a"], f"/mijn/organisaties/{slug}/charter", {**CHARTER, "target_groups": []})
    assert "Kies minstens één waarde" in text_of(no_groups)
    assert submit(people["a"], f"/mijn/organisaties/{slug}/charter", CHARTER).status_code == 302
    assert "wacht op verificatie" in text_of(people["a"].get(f"/mijn/organisaties/{slug}"))
    public = app.test_client()
    assert "STEM-charter" not in text_of(public.get(f"/organisaties/{slug}"))
    assert "STEM-charter Organisatie A" not in text_of(public.get("/zoeken?kind=charter_signatory"))

    signature_id = db.session.scalar(select(CharterSignature.id))
    assert submit(people["a"], f"/beheer/charter/{signature_id}/verifieren", {},
                  form_page="/mijn/organisaties").status_code == 403
    done = submit(people["admin"], f"/beheer/charter/{signature_id}/verifieren", {}, form_page="/beheer/organisaties")
    assert done.status_code == 302
    listing = db.session.scalar(select(Listing).where(Listing.kind == "charter_signatory"))
    assert listing.status == "published" and done.headers["Location"] == f"/aanbod/{listing.slug}"
    assert [change.to_status for change in listing.status_changes] == ["draft", "pending", "published"]

    page = text_of(public.get(f"/organisaties/{slug}"))
    assert "Ondertekende het STEM-charter op" in page and "Wij openen elke maand ons atelier" in page
    found = text_of(public.get("/zoeken", query_string={"q": "atelier basisonderwijs", "kind": "charter_signatory"}))
    assert "STEM-charter Organisatie A" in found
    assert mailbox.to("a@test.example")[-1]["Subject"] == "Jullie STEM-charter is geverifieerd"
    assert "ondertekenen" not in text_of(people["a"].get(f"/mijn/organisaties/{slug}"))  # signed once


def test_charter_of_an_unverified_organisation_waits_for_its_verification(app, people):
    owner = new_user("c@test.example")
    organisation = create_organisation(owner, OrganisationInputFactory(name="Organisatie C"))
    db.session.commit()
    member = app.test_client()
    login(member, "c@test.example")
    assert submit(member, f"/mijn/organisaties/{organisation.slug}/charter", CHARTER).status_code == 302
    signature_id = db.session.scalar(select(CharterSignature.id))
    refused = submit(people["admin"], f"/beheer/charter/{signature_id}/verifieren", {},
                     form_page="/beheer/organisaties")
    assert refused.status_code == 302
    flash = BeautifulSoup(people["admin"].get("/beheer/organisaties").get_data(as_text=True), "html.parser")
    assert flash.select_one(".flash-error").get_text(strip=True) == "Verifieer eerst de organisatie zelf."
    assert db.session.scalar(select(Listing.id)) is None
