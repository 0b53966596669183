"""Exports: the published catalogue round-trips through an import into an empty database; the JSON Schema in
docs/ is the importer's own format."""

import json
from pathlib import Path

import jsonschema
import pytest

from portal.exchange.schema import import_schema
from tests.exchange.conftest import listing, organisation, run_import

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "import.schema.json"


def export(app, path):
    with app.app_context():  # the CLI uses the current application when there is one
        result = app.test_cli_runner().invoke(args=["catalogue", "export", str(path)])
    assert result.exit_code == 0, result.output
    document = json.loads(path.read_text(encoding="utf-8"))
    document.pop("exported_at")
    return document


def test_export_import_into_an_empty_database_gives_the_same_catalogue(demo_app, app, admin, tmp_path):
    original = export(demo_app, tmp_path / "demo.json")
    assert len(original["organisations"]) > 50 and len(original["listings"]) > 200
    result = run_import(app, tmp_path / "demo.json", "--publish")
    assert result.exit_code == 0, result.output
    assert export(app, tmp_path / "copy.json") == original
    again = run_import(app, tmp_path / "demo.json", "--publish")
    assert f"{len(original['listings'])} ongewijzigd" in again.output


def test_the_schema_file_is_generated_from_the_format():
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == import_schema(), (
        "regenerate: .venv/bin/python -m portal.exchange.schema > docs/import.schema.json")
    jsonschema.Draft202012Validator.check_schema(import_schema())


def test_exports_validate_against_the_schema(demo_app, tmp_path):
    jsonschema.validate(export(demo_app, tmp_path / "demo.json"), import_schema())


@pytest.mark.parametrize("record", [
    listing(min_age="negen"), listing(start_date="16/09/2026"), listing(themes=["weer"]), listing(kind="museum"),
    listing(title=None), listing(colour="rood"), listing(locations=[{"address": "Kerkstraat 1"}]),
])
def test_the_schema_refuses_what_the_importer_refuses_for_its_shape(record, app, admin, tmp_path):
    document = {"format": "stem-wijzer-catalogus", "version": 1, "organisations": [organisation()], "listings": [record]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, import_schema())
    path = tmp_path / "fout.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert run_import(app, path, "--dry-run").exit_code == 1


def test_the_documented_example_is_valid_and_imports(app, admin, tmp_path):
    text = (SCHEMA_FILE.parent / "import-format.md").read_text(encoding="utf-8")
    example = json.loads(text.split("```json\n", 1)[1].split("```", 1)[0])
    jsonschema.validate(example, import_schema())
    path = tmp_path / "voorbeeld.json"
    path.write_text(json.dumps(example), encoding="utf-8")
    result = run_import(app, path, "--publish")
    assert result.exit_code == 0 and "1 nieuw" in result.output, result.output
