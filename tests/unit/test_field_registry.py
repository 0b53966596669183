"""The listing-field registry (portal/catalogue/fields.py) is the one description of a listing: every column
has an entry, and every entry reaches the input, the form page, the import/API records and the JSON Schema, the
API's read representation and its OpenAPI component, and the seed reader."""

import dataclasses
import json
import tomllib
from datetime import timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import inspect

from portal import models  # noqa: F401  (every mapper known, for inspect)
from portal.api import representations
from portal.api.openapi import openapi_document
from portal.catalogue import fields
from portal.catalogue.inputs import ListingInput
from portal.catalogue.models import Listing
from portal.exchange import records
from portal.search.service import FILTERS
from seeds import loader
from tests.forms import log_in
from tests.world import build_world

SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "import.schema.json").read_text(encoding="utf-8"))
# Fields that are not a column of `listings`: their own table.
OWN_TABLES = {"locations"}


def test_every_listing_column_is_a_registry_field_or_a_system_column():
    columns = {column.key for column in inspect(Listing).column_attrs}
    described = {spec.name for spec in fields.LISTING_FIELDS} | set(fields.SYSTEM_COLUMNS)
    assert columns - described == set(), "a listing column without a registry entry"
    assert described - columns - OWN_TABLES == set(), "a registry entry without a column"


def test_every_registry_field_is_an_input_and_a_record_field_with_a_schema_property():
    inputs = {item.name for item in dataclasses.fields(ListingInput)}
    record_names = {item.name for item in records.LISTING_FIELDS}
    api_names = {item.name for item in records.API_LISTING_FIELDS}
    properties = set(SCHEMA["$defs"]["listing"]["properties"])
    for spec in fields.LISTING_FIELDS:
        assert spec.name in inputs, spec.name
        if spec.exported:
            assert {spec.record} <= record_names & api_names & properties, spec.name


@pytest.mark.filterwarnings("ignore:Connection is already established:sqlalchemy.exc.SAWarning")
def test_the_listing_form_page_has_an_input_for_every_registry_field(app, client):
    log_in(client, build_world().member_a)
    page = BeautifulSoup(client.get("/mijn/aanbod/nieuw").get_data(as_text=True), "html.parser")
    names = {element["name"] for element in page.select("[name]")}
    for spec in fields.LISTING_FIELDS:
        wanted = "locations-0-place" if spec.type == "locations" else spec.name
        assert wanted in names, spec.name


def test_the_facet_fields_are_the_search_filters_over_listing_vocabularies():
    listing_vocabularies = {spec.vocabulary.name for spec in fields.LISTING_FIELDS if spec.vocabulary}
    filtered = {f.vocabulary.name for f in FILTERS.values() if f.vocabulary} & listing_vocabularies
    assert {spec.vocabulary.name for spec in fields.LISTING_FIELDS if spec.facet} == filtered


@pytest.mark.filterwarnings("ignore:Connection is already established:sqlalchemy.exc.SAWarning")
def test_every_exported_field_is_in_the_api_representation_and_its_openapi_component(app):
    listing = build_world().published
    with app.test_request_context():
        shown = representations.listing(listing)
    component = openapi_document()["components"]["schemas"]["Listing"]
    assert set(shown) == set(component["properties"])
    for spec in fields.LISTING_FIELDS:
        if not spec.exported:
            continue
        value, schema = shown, component
        for key in spec.api.split("."):
            assert key in value and key in schema["properties"], spec.name
            value, schema = value[key], schema["properties"][key]


class Asked(dict):
    """A seed file's listing that notes which keys the reader asks for."""

    def __init__(self, raw):
        super().__init__(raw)
        self.asked = set()

    def __getitem__(self, key):
        self.asked.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.asked.add(key)
        return super().__contains__(key)

    def get(self, key, default=None):
        self.asked.add(key)
        return super().get(key, default)


def test_the_seed_reader_reads_every_registry_field():
    with sorted(loader.CATALOGUE_DIR.glob("*.toml"))[0].open("rb") as handle:
        raw = Asked(tomllib.load(handle)["organisations"][0]["listings"][0])
    loader._listing_input(raw, timedelta(0))
    assert {spec.seed for spec in fields.LISTING_FIELDS} - raw.asked == set()
