"""The OpenAPI document is valid, agrees with the vocabularies, and the API keeps it: schemathesis fuzzes
every operation (bounded examples) and checks for server errors and responses that break the schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate

from portal.api.openapi import openapi_document
from portal.catalogue import vocab
from portal.reference import municipalities

PATHS = ["/listings", "/listings/{slug}", "/listings/{slug}/submit", "/organisations", "/organisations/{slug}",
         "/vocabularies"]
EXAMPLES = 30


@pytest.fixture(scope="module")
def document(demo_app):
    response = demo_app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def test_the_document_is_valid_openapi(document):
    validate(document)
    assert document["openapi"].startswith("3.1")
    assert sorted(document["paths"]) == sorted(PATHS)


def test_enums_come_from_the_vocabularies(document):
    parameters = {p["name"]: p["schema"] for p in document["paths"]["/listings"]["get"]["parameters"]}
    assert parameters["theme"]["items"]["enum"] == list(vocab.THEMES.codes)
    assert parameters["kind"]["items"]["enum"] == list(vocab.LISTING_KINDS.codes)
    assert parameters["region"]["items"]["enum"] == [*vocab.REGIONS.codes, "online"]
    assert len(parameters["municipality"]["items"]["enum"]) == len(municipalities.all_municipalities())
    listing = document["components"]["schemas"]["Listing"]["properties"]
    assert listing["formats"]["items"]["enum"] == list(vocab.FORMATS.codes)


def test_the_served_document_is_the_one_fuzzed(document):
    assert document == openapi_document()


def test_writing_needs_the_bearer_scheme(document):
    assert document["components"]["securitySchemes"]["apiKey"] == {**document["components"]["securitySchemes"][
        "apiKey"], "type": "http", "scheme": "bearer"}
    writes = [(path, method) for path, operations in document["paths"].items() for method in operations
              if method != "get"]
    assert sorted(writes) == [("/listings", "post"), ("/listings/{slug}", "patch"), ("/listings/{slug}", "put"),
                              ("/listings/{slug}/submit", "post")]
    for path, method in writes:
        operation = document["paths"][path][method]
        assert operation["security"] == [{"apiKey": []}] and "401" in operation["responses"]


# Schemathesis' pytest integration: every read operation, with valid requests (which must succeed and match the
# documented responses) and invalid ones (which must be refused with a 4xx), no 5xx anywhere. The write
# operations are left out here: they need an organisation's API key and change the shared demo catalogue;
# tests/api/test_write_api.py covers them (401 without a key, 422 with per-field messages, 404 for others).
schema = schemathesis.openapi.from_dict(openapi_document()).include(method="GET")


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_document(case, demo_app):
    query = case.query or {}
    if query.get("from") and query.get("to") and str(query["from"]) > str(query["to"]):
        # Each day alone is valid, but a range that ends before it starts is refused (the document says so of
        # `to`; a schema cannot relate two parameters): a Dutch 400, not a result.
        response = case.call(app=demo_app)
        assert response.status_code == 400, response.text
        assert {detail["parameter"] for detail in response.json()["error"]["details"]} <= {"from", "to"}
        return
    case.call_and_validate(app=demo_app)
