"""Availability as the organisation keeps it: full and postponed offers sink below the ones a parent can still
book, cancelled ones leave the default results, and camps leave the upcoming offers when they start
(issue 10, item 7)."""

from datetime import date, timedelta

import pytest

from portal.catalogue import services
from portal.clock import today
from portal.extensions import db
from search_index import SearchIndex, SearchQuery
from tests.factories import ListingInputFactory, OrganisationInputFactory, make_user

# Engine: `sinks` and `exclude`, on plain documents.


@pytest.fixture
def index(tmp_path):
    index = SearchIndex(tmp_path / "index")
    index.rebuild([
        {"id": "full", "title": "Robotkamp robots robots", "availability": ["full"], "sinks": True,
         "start": date(2027, 1, 4)},
        {"id": "open", "title": "Robotkamp", "availability": ["available"], "start": date(2027, 2, 15)},
        {"id": "cancelled", "title": "Robotkamp robots", "availability": ["cancelled"], "start": date(2027, 1, 1)},
        {"id": "few", "title": "Robotclub", "availability": ["few_left"], "start": date(2027, 3, 1)},
    ])
    return index


def test_sinking_documents_come_after_the_others_in_the_default_orders_only(index):
    assert index.search(SearchQuery(text="robot", sort="relevance")).ids[-1] == "full"  # though it scores best
    assert index.search(SearchQuery(sort="soonest", today=date(2026, 12, 1))).ids == [
        "cancelled", "open", "few", "full"]
    assert index.search(SearchQuery(sort="name")).ids[0] == "few"  # an explicit order stays that order


def test_excluded_codes_leave_the_results_and_every_count(index):
    result = index.search(SearchQuery(exclude={"availability": frozenset({"cancelled"})}))
    assert sorted(result.ids) == ["few", "full", "open"]
    assert result.facets["availability"] == {"full": 1, "available": 1, "few_left": 1}


# The portal: listings through the services, searched through the API as a parent's page does.

@pytest.fixture
def catalogue(app):
    admin = make_user("moderator@test.example", is_admin=True)
    organisation = services.create_organisation(admin, OrganisationInputFactory())
    services.verify_organisation(admin, organisation)
    day = today()

    def publish(title, availability=None, **fields):
        listing = services.create_listing(admin, organisation, ListingInputFactory(title=title, **fields))
        services.submit_listing(admin, listing)
        services.publish_listing(admin, listing)
        if availability:
            services.set_availability(admin, listing, {"availability": "available", "waiting_list": False,
                                                       "remaining_places": None, "postponed_to": None,
                                                       **availability})
        return listing

    camp = {"schedule": "once", "formats": ["camp"], "end_date": None}
    publish("Robotkamp met vrije plaatsen", start_date=day + timedelta(days=20), **camp)
    publish("Robotkamp dat volzet is", {"availability": "full", "waiting_list": True},
            start_date=day + timedelta(days=10), **camp)
    publish("Robotkamp met nog enkele plaatsen", {"availability": "few_left", "remaining_places": 3},
            start_date=day + timedelta(days=30), **camp)
    publish("Robotkamp dat geannuleerd is", {"availability": "cancelled"}, start_date=day + timedelta(days=5), **camp)
    # its first date has passed, but it was postponed to a date to come: it stays, at its new date
    publish("Robotworkshop die uitgesteld is", {"availability": "postponed",
                                               "postponed_to": day + timedelta(days=40)},
            schedule="once", formats=["workshop"], start_date=day - timedelta(days=2), end_date=None)
    # a camp joined from its first day: running since today, no longer upcoming (a periodic club stays)
    publish("Robotkamp dat vandaag begon", schedule="series", formats=["camp"], start_date=day,
            end_date=day + timedelta(days=4))
    publish("Robotclub elke woensdag")
    db.session.commit()
    return admin


def titles(client, query: str) -> list[str]:
    return [card["title"] for card in client.get(f"/api/v1/listings?{query}&per_page=50").get_json()["results"]]


def test_the_default_order_puts_what_can_be_booked_first_and_leaves_cancelled_out(catalogue, client):
    assert titles(client, "q=robotkamp&sort=soonest") == [
        "Robotkamp met vrije plaatsen", "Robotkamp met nog enkele plaatsen", "Robotkamp dat volzet is"]
    found = titles(client, "q=robot")
    assert found[-2:] in (["Robotkamp dat volzet is", "Robotworkshop die uitgesteld is"],
                          ["Robotworkshop die uitgesteld is", "Robotkamp dat volzet is"])
    assert "Robotkamp dat geannuleerd is" not in found
    page = client.get("/api/v1/listings?q=robot").get_json()
    assert page["total"] == 5 and sum(v["count"] for v in page["facets"]["kind"]) == 5  # counts agree


def test_asking_for_cancelled_offers_brings_them_back_on_the_page_and_in_the_api(catalogue, client):
    assert "Robotkamp dat geannuleerd is" in titles(client, "q=robot&include_cancelled=1")
    html = client.get("/zoeken?q=robot&include_cancelled=1").get_data(as_text=True)
    assert "dat geannuleerd is" in html and "Ook geannuleerd aanbod" in html  # the title has <mark>s
    assert "dat geannuleerd is" not in client.get("/zoeken?q=robot").get_data(as_text=True)
    refused = client.get("/api/v1/listings?include_cancelled=ja")
    assert refused.status_code == 400 and refused.get_json()["error"]["details"][0]["parameter"] == \
        "include_cancelled"


def test_cards_show_the_availability_a_parent_needs(catalogue, client):
    html = client.get("/zoeken?q=robot&include_cancelled=1").get_data(as_text=True)
    postponed_to = (today() + timedelta(days=40))
    for badge in ("Volzet, wachtlijst open", "Nog enkele plaatsen", "Geannuleerd"):
        assert f">{badge}</span>" in html, badge
    assert "Uitgesteld naar " + postponed_to.strftime("%-d ") in html
    cards = client.get("/api/v1/listings?q=robotkamp&include_cancelled=1").get_json()["results"]
    assert {card["availability"] for card in cards} == {"available", "full", "few_left", "cancelled"}


def test_a_camp_leaves_the_upcoming_offers_when_it_starts_and_a_postponed_one_moves(catalogue, client):
    found = titles(client, "q=robot&include_cancelled=1")
    assert "Robotkamp dat vandaag begon" not in found and "Robotclub elke woensdag" in found
    assert "Robotworkshop die uitgesteld is" in found
    # what can be booked first (a running club counts as today), then the rest, each part soonest first
    assert titles(client, "sort=soonest&include_cancelled=1") == [
        "Robotclub elke woensdag", "Robotkamp met vrije plaatsen", "Robotkamp met nog enkele plaatsen",
        "Robotkamp dat geannuleerd is", "Robotkamp dat volzet is", "Robotworkshop die uitgesteld is"]
    page = client.get("/aanbod/robotkamp-dat-vandaag-begon").get_data(as_text=True)
    assert "Dit aanbod is al begonnen; inschrijven kan niet meer." in page
