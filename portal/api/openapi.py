"""The OpenAPI 3.1 document of /api/v1, built here from the code it describes: the vocabularies' enums
come from portal/catalogue/vocab.py (through the search filters), so the document cannot drift from them."""

from __future__ import annotations

from functools import cache

from portal.api.params import MAX_NEAR_CHARS, MAX_PAGE_NUMBER, MAX_PER_PAGE
from portal.api.representations import DERIVED_CODES, VOCABULARIES, listing_properties, nest
from portal.catalogue import vocab
from portal.catalogue.fields import MAX_AGE
from portal.exchange import records
from portal.reference import municipalities
from portal.reference.places import POINT_SOURCES
from portal.search.service import DEFAULT_RADIUS_KM, FILTERS, INCLUDE_CANCELLED, MAX_KM
from portal.search.when import WHEN_CHOICES
from search_index import MAX_QUERY_CHARS, SORTS

STRING = {"type": "string"}
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
BOOLEAN = {"type": "boolean"}


def nullable(schema: dict) -> dict:
    return {**schema, "type": [schema["type"], "null"]}


def enum(codes) -> dict:
    return {"type": "string", "enum": list(codes)}


def obj(properties: dict, optional: tuple[str, ...] = ()) -> dict:
    return {"type": "object", "additionalProperties": False, "properties": properties,
            "required": [name for name in properties if name not in optional]}


def array(items: dict) -> dict:
    return {"type": "array", "items": items}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}
SEARCH_DATE = {**DATE, "pattern": "^(19|2[0-9])[0-9]{2}-"}  # the years a search can mean (search.service.parse_day)
URL = {"type": "string", "format": "uri"}


def _filter_codes(name: str) -> list[str]:
    search_filter = FILTERS[name]
    if search_filter.vocabulary is None:
        return [m.code for m in municipalities.all_municipalities()]
    return list(search_filter.vocabulary.codes)


def _schemas() -> dict:
    municipality = obj({"code": STRING, "name": nullable(STRING)})
    card = obj({
        "slug": STRING, "title": STRING, "title_html": STRING, "snippet_html": STRING,
        "kind": enum(vocab.LISTING_KINDS.codes), "organisation": STRING,
        "min_age": nullable(INTEGER), "max_age": nullable(INTEGER), "municipalities": array(STRING),
        "flanders_wide": BOOLEAN, "online": BOOLEAN, "schedule": enum(vocab.SCHEDULES.codes),
        "start_date": nullable(DATE), "end_date": nullable(DATE), "cost": enum(vocab.COSTS.codes),
        "weekdays": array(enum(vocab.WEEKDAYS.codes)), "day_parts": array(enum(vocab.DAY_PARTS.codes)),
        "start_time": nullable(STRING), "end_time": nullable(STRING), "school_holidays_off": BOOLEAN,
        "when": {**STRING, "description": "Wanneer, in woorden: bv. 'elke woensdag 14-16 u, niet in de "
                                          "schoolvakanties, van 16 september 2026 tot 16 juni 2027'."},
        "audience": enum(vocab.AUDIENCES.codes), "availability": enum(vocab.AVAILABILITY.codes),
        "waiting_list": BOOLEAN, "postponed_to": nullable(DATE),
        "distance_km": {**nullable(NUMBER), "description": "Bij een zoekopdracht rond een plaats: de afstand tot "
                                                           "de dichtste locatie (null: heel Vlaanderen of online)."},
        "url": URL, "api_url": URL,
    })
    where = {"oneOf": [obj({"label": STRING, "latitude": NUMBER, "longitude": NUMBER, "km": INTEGER,
                            "overal": BOOLEAN, "from_query": BOOLEAN}), {"type": "null"}],
             "description": "De plaats waarrond gezocht werd: uit near, lat/lon of de zoekwoorden (from_query)."}
    organisation_summary = {
        "slug": STRING, "name": STRING, "kind": enum(vocab.ORGANISATION_KINDS.codes),
        "municipality": {"oneOf": [municipality, {"type": "null"}]}, "website": nullable(URL),
        "verified": BOOLEAN, "charter_signed_on": nullable(DATE), "assured_date": nullable(DATE), "url": URL,
        "api_url": URL,
    }
    facet_value = obj({"code": STRING, "label": STRING, "count": {"type": "integer", "minimum": 0},
                       "selected": BOOLEAN})
    label_pair = obj({"nl": STRING, "en": STRING})
    term = obj({"code": STRING, "labels": label_pair})
    return {
        "Error": obj({"error": obj({
            "status": INTEGER, "code": STRING, "message": {**STRING, "description": "In het Nederlands."},
            "details": array(obj({"parameter": STRING, "message": STRING})),
        }, optional=("details",))}),
        "ValidationError": obj({"error": obj({
            "status": INTEGER, "code": STRING, "message": {**STRING, "description": "In het Nederlands."},
            "details": {**array(obj({"field": STRING, "message": STRING})),
                        "description": "Per veld van het record (leeg: het record als geheel) een Nederlandse fout."},
        })}),
        "ListingRecord": _listing_record(),
        "WriteResult": obj({
            "slug": STRING, "id": nullable(STRING), "status": enum(vocab.LISTING_STATUSES.codes),
            "pending_revision": {**BOOLEAN, "description": "Een wijziging wacht op een moderator; de gepubliceerde "
                                                           "versie blijft tot dan ongewijzigd."},
            "url": URL,
        }),
        "ListingCard": card,
        "SearchPage": obj({
            "query": obj({
                "q": STRING,
                "filters": {"type": "object", "additionalProperties": False,
                            "properties": {name: array(enum(_filter_codes(name))) for name in FILTERS}},
                "age": nullable(INTEGER), "when": {"type": ["string", "null"], "enum": [*WHEN_CHOICES.codes, None]},
                "from": nullable(DATE), "to": nullable(DATE), "sort": enum(SORTS), "page": INTEGER, "per_page": INTEGER,
                "include_cancelled": BOOLEAN,
                "near": nullable(STRING), "km": nullable(INTEGER), "lat": nullable(NUMBER), "lon": nullable(NUMBER),
                "overal": BOOLEAN,
            }),
            "where": where,
            "nearest": {**array(ref("ListingCard")),
                        "description": "Niets binnen de straal: het dichtstbijzijnde aanbod, met zijn afstand."},
            "total": {"type": "integer", "minimum": 0}, "page": INTEGER, "page_count": INTEGER,
            "results": array(ref("ListingCard")),
            "facets": {"type": "object", "additionalProperties": array(facet_value),
                       "description": "Per filter: every value with its count. The counts of a filter ignore "
                                      "its own choice (disjunctive). Municipalities only within one province."},
            "suggestion": nullable(STRING), "age": nullable(INTEGER),
            "message": {**nullable(STRING), "description": "Een melding, bv. bij een pagina voorbij het einde."},
            "html_url": URL,
        }),
        "Listing": _listing(municipality),
        "OrganisationSummary": obj(organisation_summary),
        "Organisation": obj({
            **organisation_summary, "description": STRING, "public_email": nullable(STRING),
            "charter_commitment": nullable(STRING), "listings": array(ref("ListingCard")),
            "past_listings": array(ref("ListingCard")),
        }),
        "OrganisationPage": obj({
            "total": INTEGER, "page": INTEGER, "per_page": INTEGER, "page_count": INTEGER,
            "results": array(ref("OrganisationSummary")),
        }),
        "Vocabularies": obj({
            **{name: array(obj({**term["properties"], "code": enum(v.codes)})) for name, v in VOCABULARIES.items()},
            "municipality": array(obj({"code": STRING, "labels": label_pair, "region": enum(vocab.REGIONS.codes),
                                       "postcodes": array(STRING)})),
        }),
    }


# registry type -> its schema in the API's read representation (codes, lists and locations: _listing)
LISTING_TYPES = {
    "text": STRING, "long_text": STRING, "web_address": URL, "email": STRING, "age": INTEGER,
    "count": {"type": "integer", "minimum": 0}, "boolean": BOOLEAN,
    "date": DATE,
}


def _listing(municipality: dict) -> dict:
    """The read representation of a listing (representations.listing), property by property."""
    properties = {"slug": STRING}
    for name, spec in listing_properties():
        if spec is None:
            schema = array(enum(DERIVED_CODES[name][1].codes))
        elif spec.type == "code":
            schema = enum(spec.vocabulary.codes)
        elif spec.type == "codes":
            schema = array(enum(spec.vocabulary.codes))
        elif spec.type == "locations":
            schema = array(obj({"name": nullable(STRING), "address": STRING, "postcode": STRING,
                                "municipality": municipality, "latitude": nullable(NUMBER),
                                "longitude": nullable(NUMBER), "point_source": nullable(enum(POINT_SOURCES))}))
        else:
            schema = LISTING_TYPES[spec.type]
        nest(properties, name, nullable(schema) if spec and spec.nullable else schema)
    nested = {name.split(".")[0] for name, _ in listing_properties() if "." in name}
    properties = {name: obj(schema) if name in nested else schema for name, schema in properties.items()}
    return obj({**properties, "organisation": ref("OrganisationSummary"), "published_at": nullable(DATETIME),
                "updated_at": DATETIME, "assured_date": nullable(DATE), "stale": BOOLEAN, "url": URL})


RECORD_TYPES = {
    "text": STRING, "integer": INTEGER, "boolean": BOOLEAN, "date": DATE, "place": STRING,
}


def _listing_record() -> dict:
    """A listing record of the import format (docs/import-format.md) as the write API takes it."""
    properties = {}
    for spec in records.API_LISTING_FIELDS:
        if spec.kind == "code":
            schema = enum(spec.vocabulary.codes)
        elif spec.kind == "codes":
            schema = array(enum(spec.vocabulary.codes))
        elif spec.kind == "locations":
            schema = array({"type": "object", "additionalProperties": False, "required": ["address"],
                            "properties": {**{name: STRING for name in records.LOCATION_KEYS},
                                           **{name: nullable(NUMBER) for name in records.POINT_KEYS}}})
        else:
            schema = RECORD_TYPES[spec.kind]
        properties[spec.name] = nullable(schema) if not spec.required and "type" in schema else schema
    return {"type": "object", "additionalProperties": False, "properties": properties,
            "required": [spec.name for spec in records.API_LISTING_FIELDS if spec.required],
            "description": "Een aanbodrecord van het importformaat (docs/import-format.md), zonder `organisation`: "
                           "dat is de organisatie van de API-sleutel. Bij een update blijven `slug` en `id` "
                           "ongewijzigd."}


def _query(name: str, schema: dict, description: str, **extra) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description, **extra}


def _paging(max_per_page: int = MAX_PER_PAGE) -> list[dict]:
    return [
        _query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_NUMBER, "default": 1},
               "Paginanummer. Voorbij de laatste pagina: een lege lijst met een melding."),
        _query("per_page", {"type": "integer", "minimum": 1, "maximum": max_per_page, "default": 20},
               "Resultaten per pagina."),
    ]


def _json(schema_name: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ref(schema_name)}}}


ERRORS = {
    "400": _json("Error", "Ongeldige parameters; `details` noemt elke fout."),
    "404": _json("Error", "Bestaat niet (meer), of is niet publiek."),
}


def _get(summary: str, description: str, parameters: list[dict], ok: dict, errors=("400",)) -> dict:
    return {"get": {"summary": summary, "description": description, "parameters": parameters,
                    "responses": {"200": ok, **{code: ERRORS[code] for code in errors}}}}


WRITE_ERRORS = {
    "400": _json("Error", "Geen JSON-object in de aanvraag (geen JSON, geen object, of te diep genest)."),
    "401": _json("Error", "Geen, een onbekende of een ingetrokken API-sleutel."),
    "404": _json("Error", "Geen aanbod van de organisatie van deze sleutel."),
    "409": _json("Error", "Kan niet in de huidige toestand (bv. het aanbod wacht al op een moderator)."),
    "422": _json("ValidationError", "Ongeldig record: `details` noemt per veld de fout; er veranderde niets."),
    "429": {**_json("Error", "Te veel schrijfaanvragen met deze sleutel; probeer later opnieuw na het aantal "
                             "seconden in `Retry-After`."),
            "headers": {"Retry-After": {
                "description": "Na hoeveel seconden een nieuwe aanvraag weer kan.",
                "schema": {"type": "integer", "minimum": 0}}}},
}


UPDATE_ERRORS = ("400", "401", "404", "409", "422", "429")


def _write(summary: str, description: str, parameters: list[dict], ok_status: str, body: str | None,
           errors: tuple[str, ...]) -> dict:
    operation = {"summary": summary, "description": description, "parameters": parameters,
                 "security": [{"apiKey": []}],
                 "responses": {ok_status: _json("WriteResult", "Bewaard."),
                               **{code: WRITE_ERRORS[code] for code in errors}}}
    if body:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": ref(body)}}}
    return operation


def _slug(what: str) -> dict:
    return {"name": "slug", "in": "path", "required": True, "description": f"De webnaam van {what}.",
            "schema": {"type": "string"}}


@cache
def openapi_document() -> dict:
    filters = [
        _query(name, array(enum(_filter_codes(name))), f"Filter {name}: één of meer codes (OF binnen de filter, "
               "EN tussen filters). Herhaal de parameter voor meer codes.", style="form", explode=True)
        for name in FILTERS
    ]
    search_parameters = [
        _query("q", {"type": "string", "maxLength": MAX_QUERY_CHARS}, "Zoekwoorden, zoals op de zoekpagina. "
               "Tijdwoorden worden filters en verlaten de tekst: `woensdagnamiddag` wordt `day=wo` en `part=namiddag`, "
               "`krokusvakantie`, `dit weekend` of `in de zomer` wordt `when`; `query` in het antwoord toont ze."),
        *filters,
        _query("age", {"type": "integer", "minimum": 0, "maximum": MAX_AGE},
               "Exacte leeftijd in jaren. Aanbod voor leerkrachten en scholen (audience=professionals) valt altijd "
               "buiten een leeftijdsfilter."),
        _query(INCLUDE_CANCELLED, {"type": "integer", "enum": [0, 1], "default": 0},
               "1: ook geannuleerd aanbod. Standaard valt geannuleerd aanbod weg, en staat volzet en uitgesteld "
               "aanbod bij `relevance` en `soonest` na het aanbod met vrije plaatsen."),
        _query("when", enum(WHEN_CHOICES.codes), "Periode: `weekend` (dit weekend), `week` (de volgende 7 dagen), "
               "`month` (de rest van deze maand) of een schoolvakantie (de eerstvolgende die nog niet voorbij is). "
               "Aanbod telt mee als het in die periode plaatsvindt: een wekelijkse club die in de schoolvakanties "
               "stilligt, valt niet in de krokusvakantie."),
        _query("from", SEARCH_DATE, "Eerste dag van een vrije periode (jjjj-mm-dd); samen met `when`: hun overlap."),
        _query("to", SEARCH_DATE, "Laatste dag van een vrije periode (jjjj-mm-dd), niet voor `from`."),
        _query("sort", enum(SORTS), "Sortering; standaard `relevance` met zoekwoorden (rond een plaats het "
               "dichtste eerst bij gelijke relevantie), `distance` rond een plaats zonder zoekwoorden, anders "
               "`soonest`."),
        _query("near", {"type": "string", "maxLength": MAX_NEAR_CHARS},
               "Zoek rond een gemeente, deelgemeente of postcode (bv. `Hasselt`, `Kessel-Lo`, `3500`). "
               "Een plaats in `q` (\"robot hasselt\") werkt ook."),
        _query("km", {"type": "integer", "minimum": 1, "maximum": MAX_KM},
               f"Straal rond de plaats in km; standaard {DEFAULT_RADIUS_KM}."),
        _query("lat", {"type": "number", "minimum": 49.49, "maximum": 51.51},
               "Zoek rond een punt (WGS84), samen met `lon`; niet samen met `near`."),
        _query("lon", {"type": "number", "minimum": 2.54, "maximum": 6.41}, "Lengtegraad, samen met `lat`."),
        _query("overal", enum(["0", "1"]), "Rond een plaats ook aanbod voor heel Vlaanderen en online (1, "
               "standaard) of niet (0)."),
        *_paging(),
    ]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "STEM-wijzer API",
            "version": "1.0.0",
            "description": "De open API van STEM-wijzer: zoeken in het gepubliceerde STEM-aanbod "
                           "met dezelfde parameters en codes als de zoekpagina /zoeken, de details van aanbod en "
                           "geverifieerde organisaties, en de codelijsten. Fouten zijn JSON "
                           "`{\"error\": {\"status\", \"code\", \"message\"}}`. CORS is open voor GET. "
                           "Organisaties voegen met een API-sleutel (`Authorization: Bearer`) hun eigen aanbod toe "
                           "en passen het aan; dat wacht op een moderator zoals een formulier.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/listings": {
                **_get("Zoek in het aanbod", "Dezelfde zoekopdracht, filters, facetten, sortering en "
                       "paginering als /zoeken. Onbekende codes geven 400.", search_parameters,
                       _json("SearchPage", "Eén pagina resultaten met facetten.")),
                "post": _write("Aanbod toevoegen", "Een nieuw aanbod voor de organisatie van de API-sleutel; het "
                               "wordt meteen ingediend en wacht op een moderator, zoals een formulier.", [], "201",
                               "ListingRecord", ("400", "401", "422", "429")),
            },
            "/listings/{slug}": {
                **_get("Eén aanbod", "Een gepubliceerd aanbod.", [_slug("het aanbod")],
                       _json("Listing", "Het aanbod."), errors=("404",)),
                "put": _write("Aanbod vervangen", "Vervangt alle velden van een aanbod van je organisatie. Een "
                              "concept of afgekeurd aanbod verandert meteen (dien het daarna in); bij gepubliceerd "
                              "aanbod wordt het een wijziging die op een moderator wacht.", [_slug("het aanbod")],
                              "200", "ListingRecord", UPDATE_ERRORS),
                "patch": _write("Aanbod aanpassen", "Zoals PUT, maar alleen de meegestuurde velden veranderen.",
                                [_slug("het aanbod")], "200", "ListingPatch", UPDATE_ERRORS),
            },
            "/listings/{slug}/submit": {"post": _write(
                "Aanbod indienen", "Dient een concept of afgekeurd aanbod van je organisatie in bij de moderatoren.",
                [_slug("het aanbod")], "200", None, ("401", "404", "409", "429"))},
            "/organisations": _get("Organisaties", "Geverifieerde organisaties, op naam.", _paging(),
                                   _json("OrganisationPage", "Eén pagina organisaties.")),
            "/organisations/{slug}": _get("Eén organisatie", "Een geverifieerde organisatie met haar aanbod.",
                                          [_slug("de organisatie")], _json("Organisation", "De organisatie."),
                                          errors=("404",)),
            "/vocabularies": _get("Codelijsten", "Alle codes met hun Nederlandse en Engelse labels.", [],
                                  _json("Vocabularies", "De codelijsten."), errors=()),
        },
        "components": {
            "schemas": {**_schemas(), "ListingPatch": {**_listing_record(), "required": [],
                                                       "description": "Alleen de velden die veranderen."}},
            "securitySchemes": {"apiKey": {
                "type": "http", "scheme": "bearer",
                "description": "Een API-sleutel van je organisatie (te maken op haar pagina onder Mijn account). "
                               "Alleen nodig om te schrijven; lezen is open."}},
        },
    }
