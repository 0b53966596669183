"""The listing form as a member uses it without JavaScript: Dutch errors next to the field, nothing typed lost."""

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from portal.catalogue import vocab
from portal.catalogue.fields import MAX_LOCATIONS
from portal.catalogue.models import Listing
from portal.extensions import db
from portal.submissions.models import ListingRevision
from tests.forms import csrf_token, log_in
from tests.world import build_world

# The `app` fixture shares one database session between the test and its requests, so a POST's write lock
# (portal.database.begin_write) finds the test's connection already open; harmless here, noisy otherwise.
pytestmark = pytest.mark.filterwarnings("ignore:Connection is already established:sqlalchemy.exc.SAWarning")


@pytest.fixture
def world(app):
    return build_world()


@pytest.fixture
def member(client, world):
    log_in(client, world.member_a)
    return client


def form_data(token, **overrides):
    data = {
        "csrf_token": token, "kind": "activity", "title": "Sterrenkijkers junior",
        "summary": "Elke maand samen naar sterren en planeten kijken met een echte telescoop.",
        "description": "We kijken naar de maan.\n\nBreng warme kleren mee.",
        "provider_url": "https://sterren.example/junior", "min_age": "8", "max_age": "12",
        "target_groups": ["everyone", "girls"], "disciplines": ["science"], "themes": [], "formats": ["club"],
        "cost": "free", "price_text": "", "schedule": "periodic", "start_date": "2026-09-16",
        "end_date": "2027-06-30", "schedule_text": "Elke derde vrijdag om 20 uur",
        "locations-0-name": "Volkssterrenwacht", "locations-0-address": "Kattevennen 19", "locations-0-place": "3600 Genk",
        "contact_name": "", "contact_email": "", "contact_phone": "", "send": "y",
    }
    data.update(overrides)
    return MultiDict([(key, item) for key, value in data.items()
                      for item in (value if isinstance(value, list) else [value])])


def soup_of(response):
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_the_form_offers_every_vocabulary_and_a_place_lookup(member, world):
    soup = soup_of(member.get(f"/mijn/aanbod/nieuw?organisatie={world.org_a.slug}"))
    for name, vocabulary in (("kind", vocab.LISTING_KINDS), ("target_groups", vocab.TARGET_GROUPS),
                             ("themes", vocab.THEMES), ("disciplines", vocab.DISCIPLINES), ("formats", vocab.FORMATS),
                             ("cost", vocab.COSTS), ("schedule", vocab.SCHEDULES)):
        offered = {box["value"] for box in soup.select(f"input[name={name}]")}
        # a charter signatory listing comes from signing the STEM-charter, not from this form
        assert offered == set(vocabulary.codes) - ({"charter_signatory"} if name == "kind" else set()), name
    assert soup.select_one("input[name=target_groups]")["type"] == "checkbox"
    assert soup.select_one("fieldset#target_groups legend").get_text(strip=True) == "Doelgroepen"
    place = soup.select_one("input[name=locations-0-place]")
    assert soup.find("label", attrs={"for": place["id"]}).get_text(strip=True) == "Gemeente of postcode"
    assert "3600 Genk" in {option["value"] for option in soup.select(f"datalist#{place['list']} option")}
    assert not soup.select("input[name=status]")


def test_a_member_creates_and_submits_a_listing_and_cannot_post_a_status(member, world):
    url = f"/mijn/aanbod/nieuw?organisatie={world.org_a.slug}"
    response = member.post(url, data=form_data(csrf_token(member, url), status="published"))
    assert response.status_code == 302
    listing = db.session.scalar(select(Listing).where(Listing.title == "Sterrenkijkers junior"))
    assert response.location.endswith(f"/mijn/aanbod/{listing.id}")
    assert listing.status == "pending" and listing.organisation == world.org_a
    assert [(loc.postcode, loc.municipality_code, loc.name) for loc in listing.locations] == [
        ("3600", "71016", "Volkssterrenwacht")]
    assert listing.target_groups == ["everyone", "girls"] and listing.min_age == 8
    detail = soup_of(member.get(f"/mijn/aanbod/{listing.id}"))
    assert "Wacht op goedkeuring" in detail.get_text()
    assert "ingediend" in detail.select_one(".flashes").get_text()
    assert member.get(f"/aanbod/{listing.slug}").status_code == 200  # the organisation sees its own pending listing


def test_saving_as_draft_and_editing_in_place(member, world):
    url = f"/mijn/aanbod/{world.draft.id}/bewerken"
    response = member.post(url, data=form_data(csrf_token(member, url), send=None, save="y", title="Robotles nieuw",
                                               status="published"))
    assert response.status_code == 302
    assert world.draft.title == "Robotles nieuw" and world.draft.status == "draft"


def test_errors_are_dutch_next_to_the_field_and_keep_what_was_typed(member, world):
    url = f"/mijn/aanbod/nieuw?organisatie={world.org_a.slug}"
    response = member.post(url, data=form_data(
        csrf_token(member, url), title="ab", provider_url="ftp://sterren.example", min_age="negen", max_age="7",
        start_date="31-02-2026", target_groups=[], **{"locations-0-place": "Gent"}))
    assert response.status_code == 422
    soup = soup_of(response)
    errors = {p["id"].removesuffix("-error"): p.get_text(" ", strip=True) for p in soup.select(".field-error[id]")}
    assert errors["title"] == "De titel moet minstens 3 tekens lang zijn."
    assert errors["provider_url"] == "Geef een volledig webadres dat begint met http:// of https://."
    assert errors["min_age"] == "Geef een getal in cijfers, bv. 9."
    assert errors["start_date"] == "Geef een datum als dd-mm-jjjj, bv. 16-09-2026."
    assert errors["target_groups"] == "Kies minstens één waarde."
    assert errors["locations-0-place"].startswith("Gent heeft meerdere postcodes (9000, 9030")
    # the error is tied to its field for screen readers, and listed in the summary at the top
    assert "title-error" in soup.select_one("#title")["aria-describedby"]
    assert soup.select_one("#title")["aria-invalid"] == "true"
    assert len(soup.select(".error-summary li")) == len(errors)
    # nothing typed is lost
    values = {field["name"]: field.get("value") for field in soup.select("input[type=text], input[type=url], input[type=date]")}
    assert values["title"] == "ab" and values["min_age"] == "negen" and values["max_age"] == "7"
    assert values["provider_url"] == "ftp://sterren.example" and values["start_date"] == "31-02-2026"
    assert values["locations-0-place"] == "Gent" and values["locations-0-address"] == "Kattevennen 19"
    assert soup.select_one("textarea[name=description]").get_text() == "We kijken naar de maan.\n\nBreng warme kleren mee."
    assert soup.select_one("input[name=disciplines][value=science]").has_attr("checked")
    assert soup.select_one("input[name=kind][value=activity]").has_attr("checked")
    assert db.session.scalars(select(Listing).where(Listing.title == "ab")).all() == []


def test_business_rule_errors_show_next_to_their_field(member, world):
    url = f"/mijn/aanbod/nieuw?organisatie={world.org_a.slug}"
    response = member.post(url, data=form_data(csrf_token(member, url), max_age="7", schedule="series", end_date="",
                                               **{"locations-0-address": "", "locations-0-name": ""}))
    assert response.status_code == 422
    soup = soup_of(response)
    assert soup.select_one("#max_age-error").get_text(strip=True) == \
        "De maximumleeftijd mag niet lager zijn dan de minimumleeftijd."
    assert soup.select_one("#end_date-error").get_text(strip=True) == "Geef de laatste datum van de reeks."
    assert soup.select_one("#locations-0-address-error").get_text(strip=True) == "Het adres is verplicht."


def test_a_location_row_can_be_added_without_javascript_and_blank_rows_are_ignored(member, world):
    url = f"/mijn/aanbod/nieuw?organisatie={world.org_a.slug}"
    response = member.post(url, data=form_data(csrf_token(member, url), send=None, add_location="y"))
    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.select_one("input[name=locations-0-place]")["value"] == "3600 Genk"
    assert soup.select_one("input[name=locations-1-place]").get("value", "") == ""
    data = form_data(csrf_token(member, url), **{"locations-1-place": "", "locations-1-address": "",
                                                   "locations-2-address": "Grote Markt 1", "locations-2-place": "2000"})
    assert member.post(url, data=data).status_code == 302
    listing = db.session.scalar(select(Listing).where(Listing.title == "Sterrenkijkers junior"))
    assert [loc.postcode for loc in listing.locations] == ["3600", "2000"]


def test_editing_a_published_listing_proposes_a_revision_and_the_public_page_stays(member, world, client):
    url = f"/mijn/aanbod/{world.published.id}/bewerken"
    form = soup_of(member.get(url))
    assert form.select_one("input[name=title]")["value"] == "Robotles published"
    assert form.select_one("input[name=locations-0-place]")["value"] == "3600 Genk"
    response = member.post(url, data=form_data(csrf_token(member, url), send=None, propose="y",
                                               title="Robotles met drones"))
    assert response.status_code == 302
    revision = db.session.scalar(select(ListingRevision))
    assert revision.status == "pending" and revision.data["title"] == "Robotles met drones"
    assert world.published.title == "Robotles published"
    again = soup_of(member.get(url))
    assert again.select_one("input[name=title]")["value"] == "Robotles met drones"  # continue where you left off
    public = soup_of(client.get(f"/aanbod/{world.published.slug}"))
    assert public.find("h1").get_text() == "Robotles published"


def test_pending_listings_are_withdrawn_before_editing(member, world):
    response = member.get(f"/mijn/aanbod/{world.pending.id}/bewerken")
    assert response.status_code == 302
    url = f"/mijn/aanbod/{world.pending.id}"
    assert member.post(f"{url}/intrekken", data={"csrf_token": csrf_token(member, url)}).status_code == 302
    assert world.pending.status == "draft"
    assert member.post(f"{url}/indienen", data={"csrf_token": csrf_token(member, url)}).status_code == 302
    assert world.pending.status == "pending"


def test_the_member_sees_the_rejection_reason_and_the_history(member, world):
    soup = soup_of(member.get(f"/mijn/aanbod/{world.rejected.id}"))
    assert "Vermeld de prijs." in soup.select_one(".notice").get_text()
    rows = [row.get_text(" ", strip=True) for row in soup.select("table.history tbody tr")]
    assert "Wacht op goedkeuring → Afgewezen" in rows[0] and "moderator" in rows[0]
    assert "Aangemaakt als Concept" in rows[-1]


def test_my_listings_shows_only_my_organisations(member, world):
    soup = soup_of(member.get("/mijn/aanbod"))
    titles = {a.get_text() for a in soup.select("table a")}
    assert titles == {"Robotles draft", "Robotles pending", "Robotles published", "Robotles rejected"}
    log_in(member, world.member_b)
    soup = soup_of(member.get("/mijn/aanbod"))
    assert not soup.select("table a") and "Codeclub Beta" in soup.get_text()


def test_my_listings_pages_are_never_cached(member, world):
    for url in ("/mijn/aanbod", f"/mijn/aanbod/{world.draft.id}", f"/mijn/aanbod/{world.draft.id}/bewerken"):
        assert member.get(url).headers["Cache-Control"] == "private, no-store", url


def test_adding_a_location_row_beyond_the_maximum_is_refused_in_dutch(member, world):
    url = f"/mijn/aanbod/nieuw?organisatie={world.org_a.slug}"
    rows = {}
    for i in range(MAX_LOCATIONS):
        rows[f"locations-{i}-address"] = f"Kattevennen {i + 1}"
        rows[f"locations-{i}-place"] = "3600 Genk"
    response = member.post(url, data=form_data(csrf_token(member, url), send=None, add_location="y", **rows))
    assert response.status_code == 422
    soup = soup_of(response)
    assert "Je kunt hoogstens 20 locaties opgeven." in soup.select_one(".error-summary").get_text()
    assert len(soup.select("fieldset.location")) == MAX_LOCATIONS  # nothing typed is lost, no row added
    assert soup.select_one(f"input[name=locations-{MAX_LOCATIONS - 1}-address]")["value"] == "Kattevennen 20"
    assert not soup.select_one("button[name=add_location]")
    assert db.session.scalars(select(Listing).where(Listing.title == "Sterrenkijkers junior")).all() == []


def test_a_member_cannot_make_a_charter_signatory_listing_without_signing(member, world):
    url = f"/mijn/aanbod/nieuw?organisatie={world.org_a.slug}"
    response = member.post(url, data=form_data(csrf_token(member, url), kind="charter_signatory"))
    assert response.status_code == 422
    assert soup_of(response).select_one("#kind-error").get_text(strip=True).startswith(
        "Een charterondertekening maak je niet zelf aan")
    assert db.session.scalars(select(Listing).where(Listing.kind == "charter_signatory")).all() == []
    edit = f"/mijn/aanbod/{world.published.id}/bewerken"
    response = member.post(edit, data=form_data(csrf_token(member, edit), send=None, propose="y",
                                                kind="charter_signatory"))
    assert response.status_code == 422 and db.session.scalars(select(ListingRevision)).all() == []
