"""schema.org descriptions of listings and organisations, embedded in their pages as JSON-LD."""

from __future__ import annotations

from datetime import timedelta

from flask import url_for
from flask_babel import gettext

from portal.catalogue import schedules, vocab
from portal.catalogue.models import Listing, Organisation
from portal.reference.school_calendar import holidays_between

CONTEXT = "https://schema.org"
COURSE_FORMATS = {"course", "teaching_material"}
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")  # schema.org DayOfWeek
# vocab.AVAILABILITY as schema.org's ItemAvailability of the offer
OFFER_AVAILABILITY = {"available": "InStock", "few_left": "LimitedAvailability", "full": "SoldOut",
                      "cancelled": "Discontinued"}


def event_status(listing: Listing) -> str:
    """schema.org's EventStatusType: a postponement with its new date known is a rescheduling."""
    if listing.availability == "cancelled":
        status = "EventCancelled"
    elif listing.is_postponed:
        status = "EventRescheduled" if listing.postponed_to else "EventPostponed"
    else:
        status = "EventScheduled"
    return CONTEXT + "/" + status


def _event_dates(listing: Listing) -> dict:
    """Start, end and status of a dated activity as they now stand, with the original start of a rescheduled
    one and the places left where known (none left when full)."""
    dates = {"startDate": listing.first_day.isoformat(),
             "endDate": (listing.last_day or listing.first_day).isoformat(),
             "eventStatus": event_status(listing)}
    if listing.is_postponed and listing.postponed_to:
        dates["previousStartDate"] = listing.start_date.isoformat()
    if listing.remaining_places is not None:
        dates["remainingAttendeeCapacity"] = listing.remaining_places
    elif listing.availability == "full":
        dates["remainingAttendeeCapacity"] = 0
    return dates


def _audience(listing: Listing) -> dict:
    if listing.is_for_youth:
        return {"@type": "PeopleAudience", "suggestedMinAge": listing.min_age, "suggestedMaxAge": listing.max_age}
    return {"@type": "EducationalAudience", "educationalRole": "teacher",
            "audienceType": vocab.AUDIENCES.label(listing.audience)}


def schema_type(listing: Listing) -> str:
    """Course for learning offers, Event for dated activities, otherwise a Service of its organisation."""
    if listing.kind == "learning_network" or COURSE_FORMATS & set(listing.formats):
        return "Course"
    if listing.schedule != "permanent" and listing.start_date is not None:
        return "Event"
    return "Service"


def organisation_jsonld(organisation: Organisation, context: bool = True) -> dict:
    data = {
        "@type": "EducationalOrganization" if organisation.kind in ("school", "stem_academy") else "Organization",
        "name": organisation.name,
        "url": url_for("catalogue.organisation", slug=organisation.slug, _external=True),
    }
    if context:
        data = {"@context": CONTEXT, **data, "description": organisation.description or None}
    if organisation.website:
        data["sameAs"] = organisation.website
    if organisation.public_email:
        data["email"] = organisation.public_email
    if organisation.municipality:
        data["address"] = {"@type": "PostalAddress", "addressLocality": organisation.municipality.name,
                           "addressCountry": "BE"}
    return {key: value for key, value in data.items() if value is not None}


def _places(listing: Listing) -> list[dict]:
    places = [
        {"@type": "Place", "name": location.name or location.address,
         "address": {"@type": "PostalAddress", "streetAddress": location.address, "postalCode": location.postcode,
                     "addressLocality": location.municipality.name if location.municipality else None,
                     "addressRegion": vocab.REGIONS.label(location.region) if location.region else None,
                     "addressCountry": "BE"}}
        for location in listing.locations
    ]
    if listing.online:
        places.append({"@type": "VirtualLocation", "url": listing.provider_url})
    if listing.flanders_wide and not listing.locations:
        places.append({"@type": "Place", "name": gettext("Vlaanderen en Brussel"),
                       "address": {"@type": "PostalAddress", "addressCountry": "BE"}})
    return places


def schedule_jsonld(listing: Listing) -> dict | None:
    """A weekly schedule as a schema.org Schedule; the sessions that fall in school holidays, for an offer that
    pauses in them, as exceptDate."""
    days = schedules.weekday_numbers(listing.weekdays or [])
    if not days or listing.schedule == "once":
        return None
    data = {"@type": "Schedule", "repeatFrequency": "P1W", "byDay": [f"{CONTEXT}/{DAYS[d]}" for d in days],
            "startTime": listing.start_time, "endTime": listing.end_time, "scheduleTimezone": "Europe/Brussels",
            "startDate": listing.start_date.isoformat() if listing.start_date else None,
            "endDate": listing.end_date.isoformat() if listing.end_date else None}
    if listing.school_holidays_off and listing.start_date and listing.end_date:
        data["exceptDate"] = [
            day.isoformat() for holiday in holidays_between(listing.start_date, listing.end_date)
            for day in (holiday.first + timedelta(days=n) for n in range((holiday.last - holiday.first).days + 1))
            if day.weekday() in days and listing.start_date <= day <= listing.end_date] or None
    return data


def listing_jsonld(listing: Listing) -> dict:
    kind = schema_type(listing)
    organisation = organisation_jsonld(listing.organisation, context=False)
    data = {
        "@context": CONTEXT,
        "@type": kind,
        "name": listing.title,
        "description": listing.summary,
        "url": url_for("catalogue.listing", slug=listing.slug, _external=True),
        "sameAs": listing.provider_url,
        "inLanguage": "nl",
        "isAccessibleForFree": listing.cost == "free",
        "audience": _audience(listing),
        "keywords": ", ".join(vocab.THEMES.label(code) for code in listing.themes) or None,
    }
    offer = {"@type": "Offer", "url": listing.provider_url, "price": 0 if listing.cost == "free" else None,
             "priceCurrency": "EUR", "description": listing.price_text,
             "availability": CONTEXT + "/" + OFFER_AVAILABILITY[listing.availability]
             if listing.availability in OFFER_AVAILABILITY else None}
    if kind == "Event":
        data.update(**_event_dates(listing),
                    eventAttendanceMode="https://schema.org/" + (
                        "MixedEventAttendanceMode" if listing.online and listing.locations else
                        "OnlineEventAttendanceMode" if listing.online else "OfflineEventAttendanceMode"),
                    location=_places(listing), organizer=organisation, offers=offer,
                    eventSchedule=schedule_jsonld(listing))
    elif kind == "Course":
        data.update(provider=organisation, offers=offer)
        if listing.start_date and listing.schedule != "permanent":
            data["hasCourseInstance"] = {
                "@type": "CourseInstance", "courseMode": "online" if listing.online and not listing.locations
                else "onsite", **_event_dates(listing),
                "endDate": listing.last_day.isoformat() if listing.end_date and listing.last_day else None,
                "location": _places(listing) or None, "courseSchedule": schedule_jsonld(listing)}
    else:
        data.update(provider=organisation, areaServed=_places(listing) or None, offers=offer)
    return _without_nulls(data)


def _without_nulls(value):
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None and v != {}}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value
