"""The moderators' pages and the public report form, as a browser without JavaScript uses them."""

from dataclasses import replace

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from portal import pagination
from portal.extensions import db
from portal.moderation.models import ListingReport
from portal.submissions import codec
from portal.submissions import services as submissions
from portal.submissions.models import ListingRevision
from tests.forms import csrf_token, log_in, review_form
from tests.web.test_submission_pages import form_data
from tests.world import build_world

# The `app` fixture shares one database session between the test and its requests, so a POST's write lock
# (portal.database.begin_write) finds the test's connection already open; harmless here, noisy otherwise.
pytestmark = pytest.mark.filterwarnings("ignore:Connection is already established:sqlalchemy.exc.SAWarning")


@pytest.fixture
def world(app):
    return build_world()


@pytest.fixture
def admin(client, world):
    log_in(client, world.admin)
    return client


def soup_of(response):
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_the_queue_lists_work_with_filters_and_bulk_approval(admin, world):
    soup = soup_of(admin.get("/moderatie"))
    rows = [row.get_text(" ", strip=True) for row in soup.select("table.queue tbody tr")]
    assert len(rows) == 2 and "Codeclub Beta" in rows[0] and "Robotles pending" in rows[1]
    checkbox = soup.select_one(f"input[name=items][value^='listing-{world.pending.id}@']")  # with the version seen
    assert soup.select_one(f"form#verify-{world.org_b.id}")
    assert not soup_of(admin.get("/moderatie?soort=activity")).find(string=lambda s: s and "Codeclub Beta" in s)
    assert "Niets wacht" in soup_of(admin.get("/moderatie?provincie=brussel")).get_text()
    assert "Niets wacht" in soup_of(admin.get("/moderatie?wacht=7")).get_text()
    assert soup_of(admin.get("/moderatie?wacht=99&soort=x")).select("table.queue tbody tr")  # bad filters ignored
    for odd in ("²", "٣", "9" * 5000):  # str.isdigit() says yes, int() says no
        assert len(soup_of(admin.get("/moderatie", query_string={"wacht": odd})).select("table.queue tbody tr")) == 2

    response = admin.post("/moderatie/goedkeuren", data={"csrf_token": csrf_token(admin, "/moderatie"),
                                                         "items": [checkbox["value"]]})
    assert response.status_code == 302
    assert world.pending.status == "published"
    assert "Goedgekeurd: Robotles pending." in soup_of(admin.get("/moderatie")).select_one(".flashes").get_text()


def test_verify_an_organisation_from_the_queue(admin, world):
    response = admin.post(f"/moderatie/organisaties/{world.org_b.id}/verifieren",
                          data={"csrf_token": csrf_token(admin, "/moderatie")})
    assert response.status_code == 302 and world.org_b.is_verified


def test_reject_without_a_reason_is_refused_next_to_the_field_and_keeps_the_checklist(admin, world):
    url = f"/moderatie/aanbod/{world.pending.id}"
    page = soup_of(admin.get(url))
    assert {box["value"] for box in page.select("input[name=quality_checks]")} == {
        "societal_relevance", "stem_integration", "interdisciplinarity", "inclusion"}
    labels = {label.get_text(strip=True) for label in page.select("fieldset#quality_checks label")}
    assert labels == {"Maatschappelijke relevantie", "STEM-integratie", "Interdisciplinariteit", "Inclusie"}
    response = admin.post(f"{url}/beslissen", data={**review_form(admin, url), "reject": "y",
                                                    "quality_checks": ["inclusion"], "reason": " "})
    assert response.status_code == 422
    soup = soup_of(response)
    assert soup.select_one("#reason-error").get_text(strip=True) == \
        "Geef een reden, zodat de organisatie weet wat ze moet aanpassen."
    assert soup.select_one("input[name=quality_checks][value=inclusion]").has_attr("checked")
    assert world.pending.status == "pending"

    response = admin.post(f"{url}/beslissen", data={**review_form(admin, url), "reject": "y",
                                                    "quality_checks": ["inclusion"], "reason": "Te vaag."})
    assert response.status_code == 302 and world.pending.status == "rejected"
    history = soup_of(admin.get(url)).select("table.history tbody tr")[0].get_text(" ", strip=True)
    assert "Wacht op goedkeuring → Afgewezen" in history and "Te vaag." in history and "Inclusie" in history


def test_approving_needs_a_verified_organisation(admin, world, client):
    listing = world.pending
    listing.organisation = world.org_b
    db.session.commit()
    row = next(row for row in soup_of(admin.get("/moderatie")).select("table.queue tbody tr")
               if "Robotles pending" in row.get_text())
    assert "nog niet geverifieerd" in row.get_text()
    url = f"/moderatie/aanbod/{listing.id}"
    response = admin.post(f"{url}/beslissen", data={**review_form(admin, url), "approve": "y"})
    assert response.status_code == 422
    assert "nog niet geverifieerd" in soup_of(response).select_one(".error-summary").get_text()


def test_the_revision_page_shows_a_readable_diff_and_approval_applies_it(admin, world, client):
    live = world.published
    proposed = replace(codec.from_listing(live), title="Robotles met drones", target_groups=["girls", "teachers"],
                       cost="free")
    revision = submissions.save_listing(world.member_a, live, proposed, False)
    db.session.commit()
    url = f"/moderatie/wijzigingen/{revision.id}"
    soup = soup_of(admin.get(url))
    rows = {row.th.get_text(strip=True): (row.select_one(".old").get_text(strip=True),
                                          row.select_one(".new").get_text(strip=True))
            for row in soup.select("table.diff tbody tr")}
    assert rows == {
        "Titel": ("Robotles published", "Robotles met drones"),
        "Doelgroepen": ("Meisjes, Iedereen", "Meisjes, Leerkrachten"),
        "Kostprijs": ("Betalend", "Gratis"),
    }
    response = admin.post(f"{url}/beslissen", data={**review_form(admin, url), "approve": "y",
                                                    "quality_checks": ["stem_integration"]})
    assert response.status_code == 302
    assert soup_of(client.get(f"/aanbod/{live.slug}")).find("h1").get_text() == "Robotles met drones"


def test_unpublish_needs_a_reason_and_takes_the_page_offline(admin, world, client):
    url = f"/moderatie/aanbod/{world.published.id}"
    response = admin.post(f"{url}/offline", data={"csrf_token": csrf_token(admin, url), "reason": ""})
    assert response.status_code == 422
    assert soup_of(response).select_one("#reason-error").get_text(strip=True).startswith("Geef een reden")
    response = admin.post(f"{url}/offline", data={"csrf_token": csrf_token(admin, url), "reason": "Dubbel aanbod."})
    assert response.status_code == 302 and world.published.status == "draft"
    log_in(client, world.member_b)
    assert client.get(f"/aanbod/{world.published.slug}").status_code == 404
    log_in(client, world.member_a)
    notice = soup_of(client.get(f"/mijn/aanbod/{world.published.id}")).select_one(".notice").get_text(" ", strip=True)
    assert notice == "Offline gehaald door een moderator: Dubbel aanbod."


def test_anyone_reports_a_problem_from_the_listing_page_and_a_moderator_resolves_it(app, world):
    visitor = app.test_client()
    listing_page = visitor.get(f"/aanbod/{world.published.slug}")
    assert "Set-Cookie" not in listing_page.headers  # a public page starts no session
    link = soup_of(listing_page).select_one("#meld-een-fout a")["href"]
    page = soup_of(visitor.get(link))
    form = page.select_one("form.report-form")
    assert form["action"] == f"/aanbod/{world.published.slug}/melden" and form.select_one("input[name=csrf_token]")
    token = form.select_one("input[name=csrf_token]")["value"]
    response = visitor.post(form["action"], data={"csrf_token": token, "message": "kort", "email": "fout"})
    assert response.status_code == 422
    soup = soup_of(response)
    assert soup.select_one("#message-error").get_text(strip=True) == "Beschrijf kort wat er niet klopt."
    assert soup.select_one("#email-error").get_text(strip=True) == "Dit is geen geldig e-mailadres."
    assert soup.select_one("textarea[name=message]").get_text() == "kort" and soup.select_one("#email")["value"] == "fout"
    response = visitor.post(form["action"], data={"csrf_token": token, "message": "De link werkt niet meer."})
    assert response.status_code == 302
    assert "Bedankt" in soup_of(visitor.get(response.location)).select_one(".flashes").get_text()
    report = db.session.scalar(select(ListingReport))
    assert (report.message, report.email, report.status) == ("De link werkt niet meer.", None, "open")
    assert visitor.post(form["action"], data={"message": "Zonder token"}).status_code == 400
    assert not page.select_one("form.report-form input[name=status]")
    assert "meld-een-fout" not in visitor.get(f"/aanbod/{world.draft.slug}").get_data(as_text=True)

    admin = app.test_client()
    log_in(admin, world.admin)
    url = f"/moderatie/meldingen/{report.id}"
    assert "De link werkt niet meer." in soup_of(admin.get(url)).select_one(".report-message").get_text()
    response = admin.post(f"{url}/behandelen", data={"csrf_token": csrf_token(admin, url), "dismiss": "y",
                                                     "note": "Link werkt bij ons."})
    assert response.status_code == 302 and report.status == "dismissed" and report.handled_by == world.admin


def test_the_log_shows_every_change_newest_first_in_pages(admin, world, monkeypatch):
    soup = soup_of(admin.get("/moderatie/logboek"))
    rows = [row.get_text(" ", strip=True) for row in soup.select("table.history tbody tr")]
    assert "Robotles rejected" in rows[0] and "Vermeld de prijs." in rows[0]
    assert len(rows) == 9  # 4 created, 3 submitted, 1 published, 1 rejected
    assert soup.select_one(".pagination") is None  # one page: nothing to page through
    monkeypatch.setattr(pagination, "PAGE_SIZE", 4)
    second = soup_of(admin.get("/moderatie/logboek?pagina=2"))
    assert len(second.select("table.history tbody tr")) == 4
    assert {a["rel"][0]: a["href"] for a in second.select(".pagination a")} == {
        "prev": "/moderatie/logboek", "next": "/moderatie/logboek?pagina=3"}
    assert admin.get("/moderatie/logboek?pagina=abc").status_code == 200
    for odd in ("²", "١", "9" * 5000, "-1", " 2"):  # digits int() refuses, or no page number at all: page 1
        page = admin.get("/moderatie/logboek", query_string={"pagina": odd})
        assert page.status_code == 200 and "Pagina 1 van 3" in soup_of(page).select_one(".pagination").get_text()


def test_reports_are_limited_per_address(app, world):
    app.config["REPORT_LIMIT"] = "2 per hour"
    try:
        visitor = app.test_client()
        url = f"/aanbod/{world.published.slug}/melden"
        answers = [visitor.post(url, data={"csrf_token": csrf_token(visitor, url), "message": f"Fout nummer {n}."})
                   for n in range(3)]
    finally:
        app.config["REPORT_LIMIT"] = "10 per hour"
    assert [answer.status_code for answer in answers] == [302, 302, 429]
    assert db.session.scalar(select(func.count(ListingReport.id))) == 2


def test_moderation_pages_are_never_cached(admin, world):
    for url in ("/moderatie", f"/moderatie/aanbod/{world.pending.id}", "/moderatie/logboek"):
        assert admin.get(url).headers["Cache-Control"] == "private, no-store", url


def test_a_decision_on_a_revision_changed_since_the_moderator_looked_is_refused(app, admin, world):
    member = app.test_client()
    log_in(member, world.member_a)
    edit = f"/mijn/aanbod/{world.published.id}/bewerken"
    member.post(edit, data=form_data(csrf_token(member, edit), send=None, propose="y", title="Onschuldige titel"))
    revision = db.session.scalar(select(ListingRevision))
    url = f"/moderatie/wijzigingen/{revision.id}"
    seen = review_form(admin, url)  # the moderator reads "Onschuldige titel"
    assert not soup_of(admin.get(url)).select_one(".revision-updated")
    # meanwhile the member edits the same pending revision again
    member.post(edit, data=form_data(csrf_token(member, edit), send=None, propose="y", title="Casino bonus",
                                     provider_url="https://evil.example/"))
    for decision in ({"approve": "y"}, {"reject": "y", "reason": "Te vaag."}):
        response = admin.post(f"{url}/beslissen", data={**seen, **decision})
        assert response.status_code == 422
        soup = soup_of(response)
        assert soup.select_one(".error-summary").get_text(strip=True) == \
            "Dit werd intussen gewijzigd; bekijk de nieuwe versie."
        new_titles = [row.select_one(".new").get_text(strip=True) for row in soup.select("table.diff tbody tr")]
        assert "Casino bonus" in new_titles and "https://evil.example/" in new_titles  # the new version is shown
        assert "1 keer bijgewerkt" in soup.select_one(".revision-updated").get_text()
        assert "Wijziging bijgewerkt" in soup.select_one("table.history").get_text()
        db.session.expire_all()
        assert (revision.status, world.published.title) == ("pending", "Robotles published")  # nothing decided
    # the refusal page carries the new version: deciding from it works
    response = admin.post(f"{url}/beslissen", data={**review_form(admin, url), "reject": "y", "reason": "Reclame."})
    assert response.status_code == 302 and revision.status == "rejected"


def test_a_decision_on_a_listing_withdrawn_edited_and_resubmitted_since_is_refused(app, admin, world):
    url = f"/moderatie/aanbod/{world.pending.id}"
    seen = review_form(admin, url)
    bulk = soup_of(admin.get("/moderatie")).select_one(f"input[name=items][value^='listing-{world.pending.id}@']")
    member = app.test_client()
    log_in(member, world.member_a)
    detail = f"/mijn/aanbod/{world.pending.id}"
    member.post(f"{detail}/intrekken", data={"csrf_token": csrf_token(member, detail)})
    edit = f"{detail}/bewerken"
    assert member.post(edit, data=form_data(csrf_token(member, edit), title="Casino bonus")).status_code == 302
    assert (world.pending.status, world.pending.title) == ("pending", "Casino bonus")  # submitted again
    response = admin.post(f"{url}/beslissen", data={**seen, "approve": "y"})
    assert response.status_code == 422
    soup = soup_of(response)
    assert "Dit werd intussen gewijzigd; bekijk de nieuwe versie." in soup.select_one(".error-summary").get_text()
    assert soup.find("h1").get_text() == "Casino bonus"
    response = admin.post("/moderatie/goedkeuren", data={"csrf_token": csrf_token(admin, "/moderatie"),
                                                         "items": [bulk["value"]]})
    assert response.status_code == 302
    assert "Dit werd intussen gewijzigd" in soup_of(admin.get("/moderatie")).select_one(".flashes").get_text()
    db.session.expire_all()
    assert world.pending.status == "pending"
    assert admin.post(f"{url}/beslissen", data={**review_form(admin, url), "approve": "y"}).status_code == 302
    assert world.pending.status == "published"


def test_a_decision_without_the_version_seen_is_refused(admin, world):
    url = f"/moderatie/aanbod/{world.pending.id}"
    response = admin.post(f"{url}/beslissen", data={"csrf_token": csrf_token(admin, url), "approve": "y"})
    assert response.status_code == 422 and world.pending.status == "pending"


def test_a_charter_signature_is_verified_from_the_queue(admin, world, mailbox):
    from tests.db.test_moderation_services import sign_charter
    signature = sign_charter(world.member_a, world.org_a)
    db.session.commit()
    soup = soup_of(admin.get("/moderatie"))
    row = next(row for row in soup.select("table.queue tbody tr") if "Charterondertekening" in row.get_text())
    assert "STEM-charter Robotclub Alfa" in row.get_text(" ", strip=True)
    assert row.select_one("a")["href"] == f"/beheer/organisaties#charter-{signature.id}"
    assert soup_of(admin.get("/beheer/organisaties")).select_one(f"#charter-{signature.id}")
    form = soup.select_one(f"form#verify-charter-{signature.id}")
    assert form["action"] == f"/beheer/charter/{signature.id}/verifieren"  # the action of /beheer/organisaties
    response = admin.post(form["action"], data={field["name"]: field["value"] for field in form.select("input")})
    assert response.status_code == 302 and response.location.endswith("/moderatie")
    assert signature.is_verified and world.org_a.has_signed_charter
    assert "Charterondertekening" not in soup_of(admin.get("/moderatie")).select_one("table.queue").get_text()
