"""Machine-readable lists: sitemap.xml, Atom feeds of a search, and iCalendar files of dated activities."""

from __future__ import annotations

from datetime import datetime, timedelta
from xml.etree import ElementTree as ET

from flask import url_for
from icalendar import Calendar, Event

from portal.catalogue import vocab
from portal.catalogue.date_wording import when_text
from portal.catalogue.models import Listing, Organisation
from portal.database import utcnow
from portal.templating import availability_text

ATOM = "http://www.w3.org/2005/Atom"
AVAILABILITY_SCHEME = "https://stem-wijzer.be/codes/availability"  # the codes of vocab.AVAILABILITY
# iCalendar's STATUS of an event (RFC 5545): a postponement without a new date is not yet certain
CALENDAR_STATUS = {"cancelled": "CANCELLED", "postponed": "TENTATIVE"}
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
CALENDAR_SCHEDULES = ("once", "series")  # periodic and permanent offers have no dates a calendar could show
# A series is one all-day span in a calendar: fine for a camp or a short course, useless for a school year.
MAX_CALENDAR_SPAN = timedelta(days=14)


def _xml(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def sitemap(listings: list[Listing], organisations: list[Organisation]) -> bytes:
    root = ET.Element("urlset", xmlns=SITEMAP)

    def add(location: str, modified: datetime | None = None) -> None:
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = location
        if modified:
            ET.SubElement(url, "lastmod").text = modified.date().isoformat()

    add(url_for("catalogue.home", _external=True))
    add(url_for("catalogue.search", _external=True))
    for listing in listings:
        add(url_for("catalogue.listing", slug=listing.slug, _external=True), listing.updated_at)
    for organisation in organisations:
        add(url_for("catalogue.organisation", slug=organisation.slug, _external=True), organisation.updated_at)
    return _xml(root)


def atom_feed(title: str, self_url: str, html_url: str, listings: list[Listing]) -> bytes:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = self_url
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    updated = max((listing.published_at or listing.updated_at for listing in listings), default=utcnow())
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = updated.isoformat()
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_url, type="application/atom+xml")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=html_url, type="text/html")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "STEM-wijzer"
    for listing in listings:
        url = url_for("catalogue.listing", slug=listing.slug, _external=True)
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = url
        ET.SubElement(entry, f"{{{ATOM}}}title").text = listing.title
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=url, type="text/html")
        ET.SubElement(entry, f"{{{ATOM}}}published").text = (listing.published_at or listing.created_at).isoformat()
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = listing.updated_at.isoformat()
        entry_author = ET.SubElement(entry, f"{{{ATOM}}}author")
        ET.SubElement(entry_author, f"{{{ATOM}}}name").text = listing.organisation.name
        when = when_text(listing)
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = f"{listing.summary}\n\n{when}" if when else listing.summary
        # the availability as a category of its own scheme: a reader sees "Volzet" or "Geannuleerd" at once
        ET.SubElement(entry, f"{{{ATOM}}}category", scheme=AVAILABILITY_SCHEME, term=listing.availability,
                      label=availability_text(listing.availability, listing.waiting_list, listing.postponed_to)
                      or vocab.AVAILABILITY.label(listing.availability))
    return _xml(feed)


def has_calendar(listing: Listing) -> bool:
    if listing.schedule not in CALENDAR_SCHEDULES or listing.start_date is None:
        return False
    return (listing.end_date or listing.start_date) - listing.start_date <= MAX_CALENDAR_SPAN


def _event(listing: Listing) -> Event:
    url = url_for("catalogue.listing", slug=listing.slug, _external=True)
    event = Event()
    event.add("uid", f"{listing.slug}@stem-wijzer")
    event.add("dtstamp", listing.updated_at)
    event.add("summary", listing.title)
    event.add("dtstart", listing.first_day)  # a postponed activity's new date
    event.add("dtend", (listing.last_day or listing.first_day) + timedelta(days=1))  # all-day: end is exclusive
    if listing.availability in CALENDAR_STATUS and not (listing.is_postponed and listing.postponed_to):
        event.add("status", CALENDAR_STATUS[listing.availability])
    else:
        event.add("status", "CONFIRMED")
    event.add("description", "\n\n".join(filter(None, [listing.summary, when_text(listing), listing.schedule_text,
                                                         url])))
    event.add("url", url)
    places = [", ".join(filter(None, [loc.name, loc.address, f"{loc.postcode} {loc.municipality.name}"
                                      if loc.municipality else loc.postcode])) for loc in listing.locations]
    if places:
        event.add("location", " / ".join(places))
    if listing.organisation.public_email:
        event.add("organizer", f"mailto:{listing.organisation.public_email}",
                  parameters={"CN": listing.organisation.name})
    return event


def calendar(name: str, listings: list[Listing]) -> bytes:
    found = Calendar()
    found.add("prodid", "-//STEM-wijzer//NL")
    found.add("version", "2.0")
    found.add("x-wr-calname", name)
    for listing in listings:
        if has_calendar(listing):
            found.add_component(_event(listing))
    return found.to_ical()
