"""The CSV export never hands a spreadsheet a formula (OWASP CSV injection), and reads back as it was."""

import csv
import io

from sqlalchemy import select

from portal.catalogue.models import Listing
from portal.exchange import records
from portal.extensions import db
from tests.exchange.conftest import ADMIN, listing, organisation, run_import, write_json
from tests.factories import make_user

FORMULAS = {
    "title": "=HYPERLINK(\"https://kwaad.example\";\"Klik\") robotkamp",
    "summary": "@SUM(1+1) Een week robots bouwen, programmeren en testen.",
    "price_text": "-10 % voor leden van de club",
    "contact_phone": "+32 89 12 34 56",
    "schedule_text": "'= geen formule, wel een aanhalingsteken",
}


def test_cells_that_start_like_a_formula_are_quoted_and_import_back_unchanged(app, tmp_path):
    make_user(ADMIN, is_admin=True)
    db.session.commit()
    path = write_json(tmp_path / "catalogus.json", [organisation(name="=cmd|' /C calc'!A0 Robotclub")],
                      [listing(**FORMULAS)])
    assert run_import(app, path, "--publish").exit_code == 0
    response = app.test_client().get("/zoeken.csv?q=robotkamp")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).removeprefix("\ufeff"))))
    assert len(rows) == 1
    row = rows[0]
    assert not [cell for cell in row.values() if cell.startswith(records.FORMULA_STARTS)]
    assert row["title"] == "'" + FORMULAS["title"] and row["organisation_name"].startswith("'=cmd")
    assert row["schedule_text"] == "''= geen formule, wel een aanhalingsteken"

    exported = tmp_path / "aanbod.csv"
    columns = [name for name in row if name not in records.EXPORT_ONLY_FIELDS]
    with exported.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerow(row)
    result = run_import(app, exported, "--publish")
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    saved = db.session.scalar(select(Listing))
    assert {name: getattr(saved, name) for name in FORMULAS} == FORMULAS
    assert "aanbod: 1 gelezen (0 nieuw, 0 bijgewerkt, 0 wijziging ter moderatie, 1 ongewijzigd)" in result.output


def test_a_quote_that_starts_an_ordinary_cell_of_another_file_stays():
    assert records.unquoted_cell("'t Stekske") == "'t Stekske"
    assert records.unquoted_cell("'+32 11") == "+32 11"
    assert records.safe_cell("Robotclub") == "Robotclub"
