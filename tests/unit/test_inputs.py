"""Business rules on listing and organisation input, with their Dutch messages."""

import pytest

from portal.catalogue.inputs import listing_errors, organisation_errors
from tests.factories import ListingInputFactory, LocationInputFactory, OrganisationInputFactory


@pytest.fixture(autouse=True)
def _app_context(_empty_app):
    with _empty_app.test_request_context():
        yield


def messages(errors, field):
    return [str(message) for message in errors.get(field, [])]


def test_a_complete_listing_has_no_errors():
    assert listing_errors(ListingInputFactory()) == {}


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://files.example/x", "www.zonder-schema.be", "https://"])
def test_provider_url_must_be_http_or_https(url):
    errors = listing_errors(ListingInputFactory(provider_url=url))
    assert messages(errors, "provider_url") == ["Geef een volledig webadres dat begint met http:// of https://."]


def test_age_range_must_be_ordered_and_plausible():
    errors = listing_errors(ListingInputFactory(min_age=12, max_age=9))
    assert messages(errors, "max_age") == ["De maximumleeftijd mag niet lager zijn dan de minimumleeftijd."]
    assert "min_age" in listing_errors(ListingInputFactory(min_age=-1))
    assert listing_errors(ListingInputFactory(min_age=None, max_age=None)) == {}


def test_unknown_vocabulary_codes_are_refused():
    errors = listing_errors(ListingInputFactory(themes=["ai", "astrologie"], target_groups=[]))
    assert messages(errors, "themes") == ["Onbekende waarde: astrologie."]
    assert messages(errors, "target_groups") == ["Kies minstens één waarde."]


def test_dated_offers_need_a_start_date_and_a_sane_end():
    assert "start_date" in listing_errors(ListingInputFactory(schedule="once", start_date=None, end_date=None))
    assert listing_errors(ListingInputFactory(schedule="permanent", start_date=None, end_date=None)) == {}
    late = ListingInputFactory()
    errors = listing_errors(ListingInputFactory(start_date=late.end_date, end_date=late.start_date))
    assert messages(errors, "end_date") == ["De einddatum mag niet voor de begindatum liggen."]


def test_a_listing_is_somewhere_flanders_wide_or_online():
    errors = listing_errors(ListingInputFactory(locations=[]))
    assert "locations" in errors
    assert listing_errors(ListingInputFactory(locations=[], online=True)) == {}


def test_postcode_must_belong_to_the_municipality():
    errors = listing_errors(ListingInputFactory(locations=[LocationInputFactory(postcode="9000")]))
    assert messages(errors, "locations-0") == ["Postcode 9000 hoort niet bij Genk."]
    errors = listing_errors(ListingInputFactory(locations=[LocationInputFactory(municipality_code="62063")]))
    assert messages(errors, "locations-0") == ["Kies een Vlaamse of Brusselse gemeente."]  # Liège


def test_title_length_messages():
    assert messages(listing_errors(ListingInputFactory(title="")), "title") == ["De titel is verplicht."]
    assert messages(listing_errors(ListingInputFactory(title="ab")), "title") == ["De titel moet minstens 3 tekens lang zijn."]
    assert messages(listing_errors(ListingInputFactory(title="x" * 201)), "title") == ["De titel mag hoogstens 200 tekens lang zijn."]


@pytest.mark.parametrize("field", ["title", "price_text", "schedule_text", "contact_name", "contact_phone"])
@pytest.mark.parametrize("line_break", ["\r\n", "\n", "\r", "\u2028"])
def test_single_line_fields_refuse_line_breaks(field, line_break):
    errors = listing_errors(ListingInputFactory(**{field: f"Robotkamp{line_break}Bcc: x@evil.example"}))
    assert len(messages(errors, field)) == 1 and "moet op één regel staan" in messages(errors, field)[0]
    location = LocationInputFactory(address="Kattevennen 19\nBcc: x@evil.example")
    assert "moet op één regel staan" in messages(listing_errors(ListingInputFactory(locations=[location])),
                                                  "locations-0")[0]
    assert "moet op één regel staan" in messages(organisation_errors(OrganisationInputFactory(
        name=f"De Vonk{line_break}vzw")), "name")[0]
    assert listing_errors(ListingInputFactory(description="Eerste alinea.\n\nTweede alinea.")) == {}


def test_a_web_address_with_white_space_is_refused():
    errors = listing_errors(ListingInputFactory(provider_url="https://vonk.example/\r\nX-Header: y"))
    assert messages(errors, "provider_url") == ["Geef een volledig webadres dat begint met http:// of https://."]


def test_organisation_rules():
    assert organisation_errors(OrganisationInputFactory()) == {}
    errors = organisation_errors(OrganisationInputFactory(kind="sekte", slug="Met Spaties", public_email="geen-mail"))
    assert set(errors) == {"kind", "slug", "public_email"}
    from datetime import date
    errors = organisation_errors(OrganisationInputFactory(charter_signed_on=date(2024, 3, 1)))
    assert "charter_commitment" in errors
