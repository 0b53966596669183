"""The JSON Schema of the import format, generated from the field lists in records.py so the two cannot
disagree. docs/import.schema.json is its output (a test keeps the file up to date):

    .venv/bin/python -m portal.exchange.schema > docs/import.schema.json
"""

from __future__ import annotations

import json

from portal.exchange import records
from portal.reference import municipalities

TEXT = {"type": ["string", "null"]}
NIS_POSTCODE_OR_NAME = {"type": ["string", "null"], "minLength": 1,
                        "description": "NIS code (5 digits), postcode (4 digits) or Dutch name"}


def _field_schema(spec: records.Field) -> dict:
    if spec.kind == "text":
        schema = {"type": "string", "minLength": 1} if spec.required else dict(TEXT)
    elif spec.kind == "integer":
        schema = {"type": ["integer", "null"]}
    elif spec.kind == "boolean":
        schema = {"type": ["boolean", "null"]}
    elif spec.kind == "date":
        schema = {"type": ["string", "null"], "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    elif spec.kind == "code":
        schema = {"enum": list(spec.vocabulary.codes)} if spec.required else {
            "enum": [*spec.vocabulary.codes, None]}
    elif spec.kind == "codes":
        schema = {"type": ["array", "null"], "items": {"enum": list(spec.vocabulary.codes)}}
    elif spec.kind == "place":
        schema = dict(NIS_POSTCODE_OR_NAME)
    elif spec.kind == "locations":
        schema = {"type": ["array", "null"], "items": {"$ref": "#/$defs/location"}}
    else:
        raise ValueError(spec.kind)
    if spec.description:
        schema["description"] = spec.description
    return schema


def _record(fields: tuple[records.Field, ...]) -> dict:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [spec.name for spec in fields if spec.required],
        "properties": {**{spec.name: _field_schema(spec) for spec in fields},
                       **{name: {"description": "Written by exports, ignored on import."}
                          for name in records.EXPORT_ONLY_FIELDS}},
    }


def import_schema() -> dict:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://stem-wijzer.example/docs/import.schema.json",
        "title": "STEM-wijzer catalogue import file",
        "description": "See docs/import-format.md. Codes come from portal/catalogue/vocab.py; municipalities "
                       f"from the REFNIS reference data ({len(municipalities.all_municipalities())} in Flanders "
                       "and Brussels).",
        "type": "object",
        "additionalProperties": False,
        "required": ["format", "version"],
        "properties": {
            "format": {"const": records.FORMAT},
            "version": {"const": records.VERSION},
            "exported_at": {"type": "string"},
            "search": {"type": "object", "description": "Written by search exports, ignored on import."},
            "organisations": {"type": "array", "items": {"$ref": "#/$defs/organisation"}},
            "listings": {"type": "array", "items": {"$ref": "#/$defs/listing"}},
        },
        "$defs": {
            "organisation": _record(records.ORGANISATION_FIELDS),
            "listing": _record(records.LISTING_FIELDS),
            "location": {
                "type": "object",
                "additionalProperties": False,
                "required": ["address", "postcode"],
                "properties": {
                    "name": TEXT, "address": {"type": "string", "minLength": 1},
                    "postcode": {"type": "string", "pattern": r"^\d{4}$"},
                    "municipality": {**NIS_POSTCODE_OR_NAME,
                                     "description": "Needed when the postcode belongs to several municipalities"},
                    "latitude": {"type": ["number", "null"], "minimum": 49.49, "maximum": 51.51,
                                 "description": "WGS84, decimal degrees; with longitude. Without a point the "
                                                "portal uses the postcode's reference point"},
                    "longitude": {"type": ["number", "null"], "minimum": 2.54, "maximum": 6.41,
                                  "description": "WGS84, decimal degrees; with latitude"},
                },
            },
        },
    }


if __name__ == "__main__":
    print(json.dumps(import_schema(), ensure_ascii=False, indent=2))
