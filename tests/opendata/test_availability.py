"""Availability and audience in the open data: JSON-LD eventStatus and remainingAttendeeCapacity, the Atom
feed's category, iCalendar's STATUS (issue 10, items 6-7)."""

import json
from datetime import timedelta
from xml.etree import ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar

from portal.catalogue import services
from portal.clock import today
from portal.extensions import db
from tests.factories import ListingInputFactory, OrganisationInputFactory, make_user

ATOM = "{http://www.w3.org/2005/Atom}"
AVAILABILITY = {"availability": "available", "waiting_list": False, "remaining_places": None, "postponed_to": None}


@pytest.fixture
def publish(app):
    admin = make_user("moderator@test.example", is_admin=True)
    organisation = services.create_organisation(admin, OrganisationInputFactory())
    services.verify_organisation(admin, organisation)

    def publish(title, **availability):
        listing = services.create_listing(admin, organisation, ListingInputFactory(
            title=title, schedule="once", formats=["workshop"], start_date=today() + timedelta(days=10),
            end_date=None))
        services.submit_listing(admin, listing)
        services.publish_listing(admin, listing)
        services.set_availability(admin, listing, {**AVAILABILITY, **availability})
        db.session.commit()
        return listing
    return publish


def json_ld(client, listing) -> dict:
    soup = BeautifulSoup(client.get(f"/aanbod/{listing.slug}").get_data(as_text=True), "html.parser")
    return json.loads(soup.select_one("script[type='application/ld+json']").string)


@pytest.mark.parametrize(("availability", "status", "capacity"), [
    ({}, "EventScheduled", None),
    ({"availability": "few_left", "remaining_places": 3}, "EventScheduled", 3),
    ({"availability": "full"}, "EventScheduled", 0),
    ({"availability": "cancelled"}, "EventCancelled", None),
    ({"availability": "postponed"}, "EventPostponed", None),
])
def test_json_ld_says_whether_the_event_takes_place_and_how_many_places_are_left(publish, client, availability,
                                                                                 status, capacity):
    data = json_ld(client, publish("Soldeerworkshop", **availability))
    assert data["@type"] == "Event" and data["eventStatus"] == f"https://schema.org/{status}"
    assert data.get("remainingAttendeeCapacity") == capacity


def test_a_rescheduled_event_starts_on_its_new_date(publish, client):
    new_date = today() + timedelta(days=60)
    listing = publish("Soldeerworkshop", availability="postponed", postponed_to=new_date)
    data = json_ld(client, listing)
    assert data["eventStatus"] == "https://schema.org/EventRescheduled"
    assert (data["startDate"], data["previousStartDate"]) == (new_date.isoformat(), listing.start_date.isoformat())
    event = Calendar.from_ical(client.get(f"/aanbod/{listing.slug}.ics").data).walk("VEVENT")[0]
    assert event.decoded("dtstart") == new_date and str(event["status"]) == "CONFIRMED"


def test_the_feed_and_the_calendar_carry_the_availability(publish, client):
    publish("Soldeerworkshop volzet", availability="full", waiting_list=True)
    cancelled = publish("Soldeerworkshop geannuleerd", availability="cancelled")
    feed = ET.fromstring(client.get("/zoeken.atom?q=soldeerworkshop&include_cancelled=1").data)
    categories = {entry.find(f"{ATOM}title").text: entry.find(f"{ATOM}category").attrib
                  for entry in feed.iter(f"{ATOM}entry")}
    assert categories["Soldeerworkshop volzet"]["term"] == "full"
    assert categories["Soldeerworkshop volzet"]["label"] == "Volzet, wachtlijst open"
    assert categories["Soldeerworkshop geannuleerd"]["term"] == "cancelled"
    # the default feed, like the default search, leaves the cancelled one out
    default = ET.fromstring(client.get("/zoeken.atom?q=soldeerworkshop").data)
    assert [entry.find(f"{ATOM}title").text for entry in default.iter(f"{ATOM}entry")] == ["Soldeerworkshop volzet"]
    event = Calendar.from_ical(client.get(f"/aanbod/{cancelled.slug}.ics").data).walk("VEVENT")[0]
    assert str(event["status"]) == "CANCELLED"


def test_json_ld_names_teachers_as_the_audience_of_an_offer_for_professionals(app, client):
    admin = make_user("moderator@test.example", is_admin=True)
    organisation = services.create_organisation(admin, OrganisationInputFactory())
    services.verify_organisation(admin, organisation)
    listing = services.create_listing(admin, organisation, ListingInputFactory(target_groups=["teachers"]))
    services.submit_listing(admin, listing)
    services.publish_listing(admin, listing)
    db.session.commit()
    assert json_ld(client, listing)["audience"] == {"@type": "EducationalAudience", "educationalRole": "teacher",
                                                    "audienceType": "Leerkrachten, scholen en professionals"}
