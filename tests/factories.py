"""Factories for service inputs. Tests persist them through the services, like the application does."""

from datetime import date, timedelta

import factory

from portal.accounts.services import create_confirmed_user
from portal.catalogue.inputs import ListingInput, LocationInput, OrganisationInput


class LocationInputFactory(factory.Factory):
    class Meta:
        model = LocationInput

    name = "Cultuurcentrum"
    address = factory.Sequence(lambda n: f"Stationsstraat {n + 1}")
    postcode = "3600"
    municipality_code = "71016"  # Genk


class OrganisationInputFactory(factory.Factory):
    class Meta:
        model = OrganisationInput

    name = factory.Sequence(lambda n: f"Testorganisatie {n}")
    kind = "stem_academy"
    municipality_code = "71016"
    website = "https://test.example"
    public_email = "info@test.example"
    description = "Een STEM-academie om mee te testen."


class ListingInputFactory(factory.Factory):
    class Meta:
        model = ListingInput

    kind = "activity"
    title = factory.Sequence(lambda n: f"Robotclub nummer {n}")
    summary = "Elke week robots bouwen en programmeren met LEGO en micro:bit."
    description = "We bouwen robots.\n\nBreng je enthousiasme mee."
    provider_url = "https://test.example/robotclub"
    cost = "paid"
    price_text = "€ 60 per trimester"
    schedule = "periodic"
    start_date = factory.LazyFunction(lambda: date.today() - timedelta(days=30))
    end_date = factory.LazyFunction(lambda: date.today() + timedelta(days=200))
    schedule_text = "Elke woensdag van 14 tot 16 uur"
    min_age = 9
    max_age = 12
    target_groups = factory.LazyFunction(lambda: ["girls", "everyone"])
    themes = factory.LazyFunction(lambda: ["ai"])
    disciplines = factory.LazyFunction(lambda: ["technology"])
    formats = factory.LazyFunction(lambda: ["club"])
    locations = factory.LazyFunction(lambda: [LocationInputFactory()])


def make_user(email: str = "lid@test.example", is_admin: bool = False, password: str = "een-lang-wachtwoord"):
    return create_confirmed_user(email, email.split("@")[0], password, is_admin)
