"""The OpenAPI document is valid, agrees with the vocabularies, and the API keeps it: schemathesis fuzzes
every operation (bounded examples) and checks for server errors and responses that break the schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate

from portal.catalogue import vocab
from portal.reference import municipalities

PATHS = ["/listings", "/listings/{slug}", "/organisations", "/organisations/{slug}", "/vocabularies"]
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


@pytest.fixture(scope="module")
def api_schema(demo_app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", demo_app)


# Schemathesis' own pytest plugin does not run under pytest 9 yet, so each operation gets a plain
# Hypothesis test over schemathesis' case strategies: valid requests, and invalid ones that must get a 4xx.
@pytest.mark.parametrize("path, mode", [
    *((path, schemathesis.GenerationMode.POSITIVE) for path in PATHS),
    # only these take constrained parameters that can be broken (any string is a possible slug)
    ("/listings", schemathesis.GenerationMode.NEGATIVE), ("/organisations", schemathesis.GenerationMode.NEGATIVE),
])
def test_the_api_keeps_its_document(api_schema, path, mode):
    operation = api_schema[path]["GET"]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate()

    check()
