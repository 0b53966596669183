"""A search's CSV and JSON exports hold exactly the listings the search page shows for the same URL."""

import csv
import io
import re

import jsonschema
import pytest
from bs4 import BeautifulSoup

from portal.clock import today
from portal.exchange.exporter import search_export
from portal.exchange.schema import import_schema
from portal.search.service import SearchParams


def page_slugs(client, query):
    """Every result slug of the search page for `query`, over all its pages, in order."""
    slugs, number = [], 1
    while True:
        html = client.get(f"/zoeken?{query}&page={number}").get_data(as_text=True)
        soup = BeautifulSoup(html, "html.parser")
        slugs += [a["href"].removeprefix("/aanbod/") for a in soup.select(".card-title a")]
        pagination = soup.select_one(".pagination")
        count = int(re.search(r"van (\d+)", pagination.get_text()).group(1)) if pagination else 1
        if number >= count:
            return slugs
        number += 1


QUERIES = ["q=robot", "kind=activity&region=limburg", "q=klimaat&sort=name", "age=10&cost=free",
           "theme=ai&theme=digitalisation&sort=newest", "q=programmeerclub&age_group=primary", "q=zzzqqq"]


@pytest.mark.parametrize("query", QUERIES)
def test_the_csv_export_is_the_search_page(demo_client, query):
    response = demo_client.get(f"/zoeken.csv?{query}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment")
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [row["slug"] for row in rows] == page_slugs(demo_client, query)
    assert response.headers["X-Total-Count"] == str(len(rows))
    assert all(row["url"].endswith(f"/aanbod/{row['slug']}") for row in rows)


@pytest.mark.parametrize("query", QUERIES[:4])
def test_the_json_export_is_the_search_page_in_the_import_format(demo_client, query):
    document = demo_client.get(f"/zoeken.json?{query}").get_json()
    assert [listing["slug"] for listing in document["listings"]] == page_slugs(demo_client, query)
    assert document["search"]["total"] == len(document["listings"]) and not document["search"]["truncated"]
    jsonschema.validate(document, import_schema())
    assert {listing["organisation"] for listing in document["listings"]} == {o["id"] for o in document["organisations"]}


def test_a_large_result_is_capped_with_a_message(demo_app):
    with demo_app.test_request_context():
        export = search_export(SearchParams(), today(), cap=5)
        assert len(export.listings) == 5 and export.truncated and export.total > 5
        assert f"de eerste 5 van {export.total} resultaten" in export.message


def test_the_search_page_links_to_its_exports(demo_client):
    soup = BeautifulSoup(demo_client.get("/zoeken?q=robot&region=limburg").get_data(as_text=True), "html.parser")
    links = {a["href"] for a in soup.select(".exports a")}
    assert links == {"/zoeken.csv?q=robot&region=limburg", "/zoeken.json?q=robot&region=limburg",
                     "/zoeken.atom?q=robot&region=limburg", "/zoeken.ics?q=robot&region=limburg"}
    assert soup.select_one("link[rel=alternate][type='application/atom+xml']")["href"] == "/zoeken.atom?q=robot&region=limburg"


def test_the_catalogue_download_is_the_cli_export(demo_client):
    response = demo_client.get("/catalogus.json")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    document = response.get_json()
    jsonschema.validate(document, import_schema())
    assert len(document["listings"]) > 200
