"""'Gemeente of postcode' as members type it, resolved on the server with a Dutch message when it is unclear."""

from datetime import date

import pytest

from portal.catalogue.inputs import ListingInput
from portal.submissions import codec, places
from tests.factories import ListingInputFactory


@pytest.fixture(autouse=True)
def _app_context(_empty_app):
    with _empty_app.test_request_context():
        yield


@pytest.mark.parametrize("text", ["3600", "Genk", "genk", "3600 Genk", "Genk (3600)", " 3600  GENK "])
def test_a_postcode_a_name_or_both_find_the_place(text):
    postcode, municipality = places.resolve(text)
    assert (postcode, municipality.code, municipality.name) == ("3600", "71016", "Genk")


@pytest.mark.parametrize("text, postcode, name", [
    ("9000 Gent", "9000", "Gent"),
    ("sint niklaas 9100", "9100", "Sint-Niklaas"),
    ("3840", "3840", "Tongeren-Borgloon"),  # merged on 1 January 2025
    ("1000", "1000", "Brussel"),
])
def test_names_with_hyphens_accents_and_merged_municipalities(text, postcode, name):
    found = places.resolve(text)
    assert (found[0], found[1].name) == (postcode, name)


@pytest.mark.parametrize("text, message", [
    ("", "Geef de gemeente of de postcode."),
    ("Gent", "Gent heeft meerdere postcodes (9000, 9030, 9031, 9032, 9040, 9041, 9042, 9050, 9051, 9052); "
             "typ de postcode van de locatie."),
    ("1234", "Postcode 1234 ligt niet in Vlaanderen of Brussel."),
    ("4000", "Postcode 4000 ligt niet in Vlaanderen of Brussel."),  # Liège
    ("3600 Hasselt", "Postcode 3600 hoort niet bij die gemeente."),
    ("Atlantis", "We kennen geen Vlaamse of Brusselse gemeente 'Atlantis'; typ de postcode."),
])
def test_unknown_or_ambiguous_places_get_a_clear_dutch_message(text, message):
    with pytest.raises(places.PlaceNotResolved) as problem:
        places.resolve(text)
    assert str(problem.value.message) == message


def test_a_prefix_that_fits_several_municipalities_names_them():
    with pytest.raises(places.PlaceNotResolved) as problem:
        places.resolve("Sint")
    assert str(problem.value.message).startswith("Bedoel je Sint-Agatha-Berchem, ")


def test_the_suggestions_hold_every_postcode_of_a_municipality():
    suggestions = places.suggestions()
    assert {"9000 Gent", "9030 Gent", "3600 Genk", "3840 Tongeren-Borgloon"} <= set(suggestions)
    assert all(places.resolve(text)[0] == text[:4] for text in suggestions[:: len(suggestions) // 25])


def test_revision_data_survives_json_exactly():
    data = ListingInputFactory(start_date=date(2026, 9, 16), end_date=None)
    assert isinstance(data, ListingInput)
    assert codec.from_json(codec.to_json(data)) == data
