"""The listing-field registry (portal/catalogue/fields.py) is the one description of a listing: every column
has an entry, and every entry reaches the input, the form page, the import/API records and the JSON Schema."""

import dataclasses
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import inspect

from portal import models  # noqa: F401  (every mapper known, for inspect)
from portal.catalogue import fields
from portal.catalogue.inputs import ListingInput
from portal.catalogue.models import Listing
from portal.exchange import records
from portal.search.service import FILTERS
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
