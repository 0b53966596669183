"""Open-data formats on the demo catalogue: JSON-LD, Open Graph, sitemap.xml, Atom and iCalendar parse and say
what the pages say."""

import json
from datetime import date
from xml.etree import ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar
from sqlalchemy import select

from portal.catalogue.models import Listing, Organisation
from portal.clock import today
from portal.extensions import db
from portal.opendata.jsonld import schema_type

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def catalogue(demo_app):
    with demo_app.app_context():
        listings = db.session.scalars(select(Listing)).all()
        yield {
            "published": [item for item in listings if item.status == "published"],
            "hidden": [item for item in listings if item.status != "published"],
            "organisations": db.session.scalars(select(Organisation)).all(),
        }


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def json_ld(soup):
    scripts = soup.select("script[type='application/ld+json']")
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


def first(listings, condition):
    return next(listing for listing in listings if condition(listing))


@pytest.mark.parametrize("expected, condition", [
    ("Event", lambda item: item.schedule == "once" and not {"course", "teaching_material"} & set(item.formats)
     and item.kind != "learning_network"),
    ("Course", lambda item: item.kind == "learning_network"),
    ("Service", lambda item: item.schedule == "permanent" and item.kind == "academy"),
])
def test_listing_pages_carry_json_ld_of_the_right_type(demo_client, catalogue, expected, condition):
    listing = first(catalogue["published"], condition)
    assert schema_type(listing) == expected
    data = json_ld(soup_of(demo_client, f"/aanbod/{listing.slug}"))
    assert data["@context"] == "https://schema.org" and data["@type"] == expected
    assert data["name"] == listing.title and data["url"].endswith(f"/aanbod/{listing.slug}")
    if expected == "Event":
        assert data["startDate"] == listing.start_date.isoformat() and data["location"]
        assert data["organizer"]["name"] == listing.organisation.name
    else:
        assert data["provider"]["name"] == listing.organisation.name


def test_json_ld_escapes_markup_in_text(app, client):
    from portal.catalogue import services
    from tests.factories import ListingInputFactory, OrganisationInputFactory, make_user

    admin = make_user("moderator@test.example", is_admin=True)
    organisation = services.create_organisation(admin, OrganisationInputFactory(name="Club </script><b>vet</b>"))
    services.verify_organisation(admin, organisation)
    listing = services.create_listing(admin, organisation, ListingInputFactory(title="Robots </script> & co"))
    services.submit_listing(admin, listing)
    services.publish_listing(admin, listing)
    db.session.commit()
    soup = soup_of(client, f"/aanbod/{listing.slug}")
    assert json_ld(soup)["name"] == "Robots </script> & co"
    assert json_ld(soup)["organizer"]["name"] == "Club </script><b>vet</b>"  # a dated club: an Event
    assert not soup.find("b")


def test_organisation_pages_carry_json_ld_and_open_graph(demo_client, catalogue):
    organisation = first(catalogue["organisations"], lambda item: item.is_verified)
    soup = soup_of(demo_client, f"/organisaties/{organisation.slug}")
    data = json_ld(soup)
    assert data["@type"] in ("Organization", "EducationalOrganization") and data["name"] == organisation.name
    og = {meta["property"]: meta["content"] for meta in soup.select("meta[property^='og:']")}
    assert og["og:title"] == organisation.name and og["og:url"].endswith(f"/organisaties/{organisation.slug}")


def test_listing_pages_have_open_graph_tags(demo_client, catalogue):
    listing = catalogue["published"][0]
    soup = soup_of(demo_client, f"/aanbod/{listing.slug}")
    og = {meta["property"]: meta["content"] for meta in soup.select("meta[property^='og:']")}
    assert og["og:title"] == listing.title and og["og:description"] == listing.summary
    assert og["og:url"] == soup.select_one("link[rel=canonical]")["href"]
    assert og["og:site_name"] == "STEM-wijzer" and og["og:locale"] == "nl_BE"


def test_the_sitemap_lists_published_listings_and_verified_organisations(demo_client, catalogue):
    response = demo_client.get("/sitemap.xml")
    assert response.mimetype == "application/xml"
    root = ET.fromstring(response.data)
    locations = [url.find(f"{SITEMAP}loc").text.removeprefix("http://localhost") for url in root.iter(f"{SITEMAP}url")]
    expected = ({f"/aanbod/{item.slug}" for item in catalogue["published"]}
                | {f"/organisaties/{item.slug}" for item in catalogue["organisations"] if item.is_verified}
                | {"/", "/zoeken"})
    assert set(locations) == expected and len(locations) == len(expected)
    assert not {f"/aanbod/{item.slug}" for item in catalogue["hidden"]} & set(locations)


def test_the_atom_feed_of_a_search_holds_its_newest_listings(demo_client, catalogue):
    response = demo_client.get("/zoeken.atom?q=robot&region=limburg")
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed" and "robot" in feed.find(f"{ATOM}title").text
    assert feed.find(f"{ATOM}link[@rel='self']").get("href").endswith("/zoeken.atom?q=robot&region=limburg")
    entries = feed.findall(f"{ATOM}entry")
    slugs = [entry.find(f"{ATOM}link").get("href").rsplit("/", 1)[1] for entry in entries]
    search = demo_client.get("/api/v1/listings?q=robot&region=limburg&sort=newest&per_page=50").get_json()
    assert slugs == [result["slug"] for result in search["results"]] and slugs
    seconds = [entry.find(f"{ATOM}published").text[:19] for entry in entries]  # the index orders by the second
    assert seconds == sorted(seconds, reverse=True)


def test_the_calendar_of_a_search_holds_its_dated_activities(demo_client):
    response = demo_client.get("/zoeken.ics?kind=activity")
    assert response.mimetype == "text/calendar"
    events = Calendar.from_ical(response.data).walk("VEVENT")
    assert events
    for event in events:
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert isinstance(start, date) and start < end and (end - start).days <= 15
        assert end > today()  # past activities leave the search, and so the calendar


def test_a_dated_listing_has_a_calendar_file_and_a_permanent_one_has_none(demo_client, catalogue):
    dated = first(catalogue["published"], lambda item: item.schedule == "once" and not item.is_past(today()))
    response = demo_client.get(f"/aanbod/{dated.slug}.ics")
    assert response.status_code == 200
    event = Calendar.from_ical(response.data).walk("VEVENT")[0]
    assert str(event["summary"]) == dated.title and event.decoded("dtstart") == dated.start_date
    assert soup_of(demo_client, f"/aanbod/{dated.slug}").select_one(f"a.calendar-link[href='/aanbod/{dated.slug}.ics']")
    permanent = first(catalogue["published"], lambda item: item.schedule == "permanent")
    assert demo_client.get(f"/aanbod/{permanent.slug}.ics").status_code == 404
    hidden = first(catalogue["hidden"], lambda item: item.schedule == "once")
    assert demo_client.get(f"/aanbod/{hidden.slug}.ics").status_code == 404


def test_a_weekly_club_carries_its_schedule_and_reads_naturally(demo_client, catalogue):
    club = first(catalogue["published"], lambda item: item.schedule == "periodic" and item.weekdays == ["wo"]
                 and item.school_holidays_off and item.start_time and item.end_date and schema_type(item) == "Event")
    page = soup_of(demo_client, f"/aanbod/{club.slug}")
    schedule = json_ld(page)["eventSchedule"]
    assert schedule["@type"] == "Schedule" and schedule["byDay"] == ["https://schema.org/Wednesday"]
    assert (schedule["startTime"], schedule["endTime"]) == (club.start_time, club.end_time)
    # the Wednesdays in the school holidays are the exceptions: the krokusvakantie's is one of them
    krokus = next(date.fromisoformat(day) for day in schedule["exceptDate"] if date.fromisoformat(day).month == 2)
    assert krokus.weekday() == 2
    assert "elke woensdag" in page.get_text() and "niet in de schoolvakanties" in page.get_text()
