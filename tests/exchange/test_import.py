"""`flask catalogue import`: reports in Dutch per record, all or nothing, dry runs, idempotent re-imports."""

import csv
import time

import pytest
from sqlalchemy import func, select

from portal.catalogue.models import Listing, ListingStatusChange, Organisation
from portal.exchange.places import resolve
from portal.extensions import db
from portal.search.sync import search_index
from portal.submissions.models import ListingRevision
from search_index import SearchQuery
from tests.exchange.conftest import listing, organisation, run_import, snapshot, write_json
from tests.factories import make_user

# The commands share the test's database session, so their write lock (portal.transactions.unit_of_work)
# finds its connection already open; harmless here, noisy otherwise.
pytestmark = pytest.mark.filterwarnings("ignore:Connection is already established:sqlalchemy.exc.SAWarning")


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_dry_run_reports_and_changes_nothing(app, admin, tmp_path):
    path = write_json(tmp_path / "catalogus.json", [organisation()], [listing(), listing(id="club-2", title="Tweede club")])
    before = snapshot()
    result = run_import(app, path, "--publish", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Proefdraai" in result.output and "2 nieuw" in result.output and "1 nieuw" in result.output
    assert snapshot() == before


def test_queue_submits_for_moderation_and_publish_publishes(app, admin, tmp_path):
    path = write_json(tmp_path / "catalogus.json", [organisation()], [listing()])
    result = run_import(app, path)
    assert result.exit_code == 0, result.output
    imported = db.session.scalar(select(Listing))
    assert imported.status == "pending" and imported.external_id == "club-1"
    assert not imported.organisation.is_verified and imported.organisation.municipality_code == "71016"
    assert [change.actor.email for change in imported.status_changes] == ["moderator@test.example"] * 2
    assert search_index().search(SearchQuery()).total == 0

    result = run_import(app, path, "--publish")
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert imported.status == "published" and imported.organisation.is_verified
    assert search_index().search(SearchQuery(text="robotclub")).ids == [str(imported.id)]
    assert count(Listing) == 1 and count(Organisation) == 1


def test_importing_twice_changes_nothing_and_a_change_updates_in_place(app, admin, tmp_path):
    path = write_json(tmp_path / "catalogus.json", [organisation()], [listing()])
    assert run_import(app, path, "--publish").exit_code == 0
    before = snapshot()
    again = run_import(app, path, "--publish")
    assert again.exit_code == 0 and "1 ongewijzigd" in again.output
    assert snapshot() == before

    changed = write_json(tmp_path / "v2.json", [organisation(name="Robotclub Genk vzw")],
                         [listing(title="Robotclub voor 9- tot 12-jarigen", themes=["ai", "climate"])])
    result = run_import(app, changed, "--publish")
    assert result.exit_code == 0 and "1 bijgewerkt" in result.output, result.output
    db.session.expire_all()
    updated = db.session.scalar(select(Listing))
    assert count(Listing) == 1 and updated.title == "Robotclub voor 9- tot 12-jarigen"
    assert updated.themes == ["ai", "climate"] and updated.slug == "robotclub-voor-kinderen"
    assert updated.organisation.name == "Robotclub Genk vzw"
    hit = search_index().search(SearchQuery(text="robotclub")).hits[0]
    assert hit.display["organisation"] == "Robotclub Genk vzw"  # the index followed the update


def test_a_change_to_a_published_listing_goes_through_a_revision(app, admin, tmp_path):
    assert run_import(app, write_json(tmp_path / "a.json", [organisation()], [listing()]), "--publish").exit_code == 0
    changed = write_json(tmp_path / "b.json", [organisation()], [listing(title="Robotclub met nieuwe titel")])
    result = run_import(app, changed)  # --queue: the live version stays until a moderator approves
    assert result.exit_code == 0 and "1 wijziging ter moderatie" in result.output, result.output
    db.session.expire_all()
    live = db.session.scalar(select(Listing))
    assert live.status == "published" and live.title == "Robotclub voor kinderen"
    assert [r.status for r in db.session.scalars(select(ListingRevision))] == ["pending"]
    assert search_index().search(SearchQuery(text="nieuwe titel")).total == 0

    result = run_import(app, changed, "--publish")  # the acting admin approves the change
    assert result.exit_code == 0 and "1 bijgewerkt" in result.output, result.output
    db.session.expire_all()
    assert live.title == "Robotclub met nieuwe titel" and live.status == "published"
    assert [r.status for r in db.session.scalars(select(ListingRevision))] == ["approved"]
    assert search_index().search(SearchQuery(text="nieuwe titel")).ids == [str(live.id)]


def bad_records():
    return [
        (listing(min_age="negen"), "min_age", "Geef een geheel getal."),
        (listing(start_date="16/09/2026"), "start_date", "Geef een bestaande datum als JJJJ-MM-DD."),
        (listing(themes=["weer"]), "themes", "Onbekende waarde: weer."),
        (listing(kind="museum"), "kind", "Onbekende waarde: museum."),
        (listing(title=None), "title", "Dit veld is verplicht."),
        (listing(colour="rood"), "colour", "Onbekend veld."),
        (listing(min_age=14, max_age=12), "max_age", "De maximumleeftijd mag niet lager zijn"),
        (listing(locations=[{"address": "Stationsplein 1", "postcode": "1804"}]), "locations", "niet eenduidig"),
        (listing(locations=[{"address": "Kerkstraat 1", "postcode": "3600", "municipality": "Gent"}]), "locations-0",
         "Postcode 3600 hoort niet bij Gent."),
        (listing(organisation="onbekend"), "organisation", "Onbekende organisatie 'onbekend'"),
        (listing(provider_url="robotclub.example"), "provider_url", "http://"),
    ]


@pytest.mark.parametrize("record, field, message", bad_records())
def test_a_bad_record_is_reported_and_nothing_is_imported(app, admin, tmp_path, record, field, message):
    path = write_json(tmp_path / "catalogus.json", [organisation()], [listing(id="goed"), record])
    before = snapshot()
    result = run_import(app, path, "--publish")
    assert result.exit_code == 1
    assert f"catalogus.json listings[1] (id {record['id']}), veld {field}: " in result.output
    assert message in result.output
    assert "er werd niets ingelezen" in result.output
    assert snapshot() == before


def test_duplicate_ids_are_reported(app, admin, tmp_path):
    path = write_json(tmp_path / "dubbel.json", [organisation(), organisation(name="Andere naam")],
                      [listing(), listing(title="Zelfde id, andere titel")])
    result = run_import(app, path, "--publish")
    assert result.exit_code == 1
    assert "dubbel.json organisations[1] (id org-genk), veld id: Deze id komt al voor (dubbel.json organisations[0])" in result.output
    assert "dubbel.json listings[1] (id club-1), veld id: Deze id komt al voor" in result.output
    assert count(Organisation) == 0


def test_skip_invalid_imports_the_valid_records(app, admin, tmp_path):
    path = write_json(tmp_path / "catalogus.json",
                      [organisation(), organisation(id="org-kapot", kind="club")],
                      [listing(), listing(id="club-2", min_age="tien"), listing(id="club-3", organisation="org-kapot")])
    result = run_import(app, path, "--publish", "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert "3 fout(en) overgeslagen" in result.output
    assert [listing.external_id for listing in db.session.scalars(select(Listing))] == ["club-1"]
    assert count(Organisation) == 1


@pytest.mark.parametrize("content, message", [
    ("{niet: json", "is geen geldige JSON (regel 1, kolom 2)"),
    ('{"format": "iets-anders", "version": 1}', "is geen STEM-wijzer-catalogusbestand"),
    ('{"format": "stem-wijzer-catalogus", "version": 2}', "heeft versie 2"),
    ('{"format": "stem-wijzer-catalogus", "version": 1, "listings": {}}', "moet een lijst zijn"),
    ('{"format": "stem-wijzer-catalogus", "version": 1, "listings": [3]}', "Een record moet een object"),
])
def test_unreadable_json_files_are_refused(app, admin, tmp_path, content, message):
    path = tmp_path / "fout.json"
    path.write_text(content, encoding="utf-8")
    result = run_import(app, path)
    assert result.exit_code == 1 and message in result.output, result.output


LISTING_COLUMNS = ["id", "organisation", "kind", "title", "summary", "provider_url", "min_age", "max_age",
                   "target_groups", "disciplines", "formats", "cost", "schedule", "start_date", "end_date", "locations"]


def listing_row(number, **changes):
    return {"id": f"kamp-{number}", "organisation": "org-genk", "kind": "activity", "title": f"Zomerkamp robots {number}",
            "summary": "Een week lang robots bouwen, programmeren en testen.", "provider_url": "https://kamp.example/",
            "min_age": "8", "max_age": "12", "target_groups": "everyone;girls", "disciplines": "technology",
            "formats": "camp", "cost": "free", "schedule": "series", "start_date": "2099-07-06", "end_date": "2099-07-10",
            "locations": "Sporthal | Sportlaan 1 | 3600 | Genk\n| Stationsstraat 2 | 3500 |", **changes}


def write_csv(path, columns, rows, delimiter=",", encoding="utf-8"):
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.DictWriter(handle, columns, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_csv_files_of_organisations_and_listings_import_together(app, admin, tmp_path):
    organisations = write_csv(tmp_path / "organisaties.csv", ["id", "name", "kind", "municipality", "website"],
                              [{"id": "org-genk", "name": "Robotclub Genk", "kind": "stem_academy",
                                "municipality": "71016", "website": "https://genk.example"}], delimiter=";")
    listings = write_csv(tmp_path / "aanbod.csv", LISTING_COLUMNS, [listing_row(1), listing_row(2)])
    result = run_import(app, organisations, listings, "--publish")
    assert result.exit_code == 0, result.output
    camp = db.session.scalar(select(Listing).where(Listing.external_id == "kamp-1"))
    assert camp.target_groups == ["everyone", "girls"] and camp.min_age == 8
    assert [(loc.name, loc.municipality_code) for loc in camp.locations] == [("Sporthal", "71016"), (None, resolve("Hasselt").code)]


@pytest.mark.parametrize("columns, rows, encoding, message", [
    (LISTING_COLUMNS, [listing_row(1, title="Zomerkamp café")], "latin-1", "aanbod.csv is geen UTF-8-tekst (regel 2)"),
    ([c for c in LISTING_COLUMNS if c not in ("cost", "kind")], [], "utf-8", "ontbrekende kolommen: kind, cost"),
    ([*LISTING_COLUMNS, "kleur"], [], "utf-8", "onbekende kolommen: kleur"),
    (LISTING_COLUMNS, [listing_row(1), listing_row(2, min_age="acht")], "utf-8",
     "aanbod.csv regel 4 (id kamp-2), veld min_age: Geef een geheel getal."),
    (LISTING_COLUMNS, [listing_row(1, formats="kamp")], "utf-8", "veld formats: Onbekende waarde: kamp."),
    (LISTING_COLUMNS, [listing_row(1, locations="Sportlaan 1, 3600 Genk")], "utf-8",
     "Geef per locatie een regel 'naam | adres | postcode | gemeente'."),
    (LISTING_COLUMNS, [listing_row(1), listing_row(1)], "utf-8", "veld id: Deze id komt al voor (aanbod.csv regel 2)"),
])
def test_malformed_csv_is_reported_and_changes_nothing(app, admin, tmp_path, columns, rows, encoding, message):
    write_json(tmp_path / "org.json", [organisation()])
    assert run_import(app, tmp_path / "org.json", "--publish").exit_code == 0
    before = snapshot()
    path = write_csv(tmp_path / "aanbod.csv", columns, [{c: row.get(c, "") for c in columns} for row in rows],
                     encoding=encoding)
    result = run_import(app, path, "--publish")
    assert result.exit_code == 1 and message in result.output, result.output
    assert snapshot() == before


def test_fifty_thousand_rows_with_one_bad_row_are_checked_fast_and_change_nothing(app, admin, tmp_path):
    write_json(tmp_path / "org.json", [organisation()])
    assert run_import(app, tmp_path / "org.json", "--publish").exit_code == 0
    rows = [listing_row(number) for number in range(50_000)]
    rows[49_000]["cost"] = "duur"
    path = write_csv(tmp_path / "aanbod.csv", LISTING_COLUMNS, rows)
    before = snapshot()
    started = time.perf_counter()
    result = run_import(app, path, "--publish")
    seconds = time.perf_counter() - started
    print(f"50,000 rows checked in {seconds:.1f} s")
    assert result.exit_code == 1
    assert "aanbod.csv regel 98002 (id kamp-49000), veld cost: Onbekende waarde: duur." in result.output
    assert "1 fout(en)" in result.output
    assert snapshot() == before


def test_only_an_admin_may_import(app, admin, tmp_path):
    make_user("lid@test.example")
    db.session.commit()
    path = write_json(tmp_path / "catalogus.json", [organisation()], [listing()])
    result = app.test_cli_runner().invoke(args=["catalogue", "import", str(path), "--as", "lid@test.example"])
    assert result.exit_code == 1 and "geen actieve moderator" in result.output
    assert count(Organisation) == 0 and count(ListingStatusChange) == 0
