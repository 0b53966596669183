"""The public pages on the demo catalogue, as a visitor without JavaScript sees them."""

import re

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from portal.catalogue.models import Listing, Organisation
from portal.clock import today
from portal.extensions import db
from tests.conftest import make_app


def page(client, url, status=200, follow_redirects=False):
    response = client.get(url, follow_redirects=follow_redirects)
    assert response.status_code == status, url
    assert response.mimetype == "text/html"
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def result_slugs(soup):
    return [a["href"].removeprefix("/aanbod/") for a in soup.select(".card-title a")]


@pytest.fixture(scope="module")
def listings(demo_app):
    with demo_app.app_context():
        yield {listing.slug: listing for listing in db.session.scalars(select(Listing)).all()}


def test_home_page_offers_search_and_entry_points(demo_client):
    soup = page(demo_client, "/")
    assert soup.html["lang"] == "nl"
    assert soup.find("h1").get_text(strip=True)
    assert soup.select_one("form[role=search][action='/zoeken'] input[name=q]")
    links = {a["href"] for a in soup.find_all("a", href=True)}
    for entry in ("/zoeken?kind=activity&audience=youth", "/zoeken?audience=professionals", "/zoeken?theme=climate",
                  "/zoeken?age_group=primary", "/zoeken?region=brussel"):
        assert entry in links
    # the kinds for children and young people, and one entry for teachers and schools: together everything
    counts = [int(re.search(r"\d+", tile.get_text()).group()) for tile in soup.select(".tile-count")]
    everything = int(re.search(r"\d+", page(demo_client, "/zoeken").select_one(".result-count").get_text()).group())
    assert len(counts) == 4 and sum(counts) == everything >= 240


@pytest.mark.parametrize("query", ["robot", "klimaat", "programmeren", "sterrenkunde", "wiskunde"])
def test_text_search_finds_demo_listings(demo_client, query):
    soup = page(demo_client, f"/zoeken?q={query}")
    assert len(result_slugs(soup)) >= 3
    assert query in soup.select_one(".result-count").get_text()


def test_filters_narrow_and_show_as_removable_chips(demo_client, demo_app, listings):
    everything = page(demo_client, "/zoeken?q=robot")
    narrowed = page(demo_client, "/zoeken?q=robot&region=limburg&age_group=primary")
    total = int(re.search(r"\d+", everything.select_one(".result-count").get_text()).group())
    narrowed_total = int(re.search(r"\d+", narrowed.select_one(".result-count").get_text()).group())
    assert 0 < narrowed_total < total
    with demo_app.app_context():
        for slug in result_slugs(narrowed):
            listing = db.session.scalar(select(Listing).where(Listing.slug == slug))
            assert "limburg" in listing.regions and "primary" in listing.age_groups
    chips = [a["href"] for a in narrowed.select(".active-filters .chip-remove")]
    assert len(chips) == 2
    assert any("region" not in href and "age_group=primary" in href for href in chips)
    assert narrowed.select_one("input[name=region][value=limburg]").has_attr("checked")


def test_past_activities_leave_the_results_but_keep_their_page(demo_client, listings):
    past = [listing for listing in listings.values() if listing.status == "published" and listing.is_past(today())]
    assert past
    first = page(demo_client, "/zoeken")
    page_count = int(re.search(r"van (\d+)", first.select_one(".pagination").get_text()).group(1))
    slugs = set()
    for number in range(1, page_count + 1):
        slugs.update(result_slugs(page(demo_client, f"/zoeken?page={number}")))
    response = demo_client.get(f"/zoeken?page={page_count + 5}")
    assert response.status_code == 302 and f"page={page_count}" in response.location  # past the end: last page
    # camps and courses that began can no longer be joined; cancelled offers are shown only when asked for
    upcoming = [item for item in listings.values() if item.status == "published" and item.availability != "cancelled"
                and not item.is_past(today()) and not item.has_begun_closed(today())]
    assert len(slugs) == len(upcoming)
    assert not {listing.slug for listing in past} & slugs
    detail = page(demo_client, f"/aanbod/{past[0].slug}")
    assert "afgelopen" in detail.select_one(".notice").get_text()


def test_detail_page_has_what_a_parent_needs(demo_client, listings):
    listing = next(item for item in listings.values() if item.status == "published" and item.locations and item.price_text)
    soup = page(demo_client, f"/aanbod/{listing.slug}")
    assert soup.find("h1").get_text(strip=True) == listing.title
    link = soup.select_one("a.provider-link")
    assert link["href"] == listing.provider_url and "noopener" in link["rel"]
    facts = soup.select_one(".key-facts").get_text(" ", strip=True)
    for expected in ("Voor wie", "Waar", "Wanneer", "Kostprijs", listing.price_text, listing.locations[0].postcode,
                     listing.organisation.name):
        assert expected in facts


@pytest.mark.parametrize("status", ["pending", "rejected"])
def test_unpublished_listings_are_not_public(demo_client, listings, status):
    listing = next(item for item in listings.values() if item.status == status)
    soup = page(demo_client, f"/aanbod/{listing.slug}", status=404)
    assert "Pagina niet gevonden" in soup.find("h1").get_text()
    assert listing.slug not in result_slugs(page(demo_client, f"/zoeken?q={listing.title.split()[0]}"))


def test_organisation_page_with_charter_badge_and_listings(demo_client, demo_app):
    with demo_app.app_context():
        signatory = db.session.scalar(select(Organisation).where(Organisation.charter_signed_on.is_not(None)).limit(1))
        slug, commitment = signatory.slug, signatory.charter_commitment
    soup = page(demo_client, f"/organisaties/{slug}")
    assert "STEM-charter" in soup.select_one(".badge-charter").get_text()
    assert commitment[:40] in soup.get_text()
    assert soup.select(".card-title a")


@pytest.mark.parametrize("query", ['"robot', "robot AND", "*", "-", "title:robot", "((", "%00robot", "🤖", "x" * 10000,
                                   "&page=-4", "&page=abc", "&page=999999999999", "&region=narnia", "&kind="])
def test_malformed_search_input_gives_a_normal_page(demo_client, query):
    soup = page(demo_client, f"/zoeken?q={query}", follow_redirects=True)
    assert soup.select_one(".result-count")
    assert soup.select_one("#search-q")["value"] == soup.select_one("#header-q")["value"]


@pytest.mark.parametrize("query", ['"robot', "robot AND", "robot)", "(robot", "+robot -", "robot*", "ROBOT!!"])
def test_syntax_characters_are_plain_text(demo_client, query):
    plain = result_slugs(page(demo_client, "/zoeken?q=robot"))
    assert result_slugs(page(demo_client, f"/zoeken?q={query}")) == plain


def test_search_terms_are_escaped(demo_client):
    response = demo_client.get("/zoeken?q=<script>alert(1)</script>")
    assert b"<script>alert(1)" not in response.data
    assert b"&lt;script&gt;" in response.data


def test_unknown_pages_get_a_dutch_404(demo_client):
    soup = page(demo_client, "/bestaat-niet", status=404)
    assert soup.find("h1").get_text(strip=True) == "Pagina niet gevonden"
    page(demo_client, "/organisaties/bestaat-niet", status=404)


def test_server_errors_show_an_apology_without_a_trace(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'x.sqlite3'}", tmp_path / "index", TESTING=False, PROPAGATE_EXCEPTIONS=False)

    @app.get("/kapot")
    def broken():
        raise RuntimeError("geheime details van de server")

    response = app.test_client().get("/kapot")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Er ging iets mis" in body
    assert "geheime details" not in body and "Traceback" not in body


def test_home_counts_match_what_search_shows(demo_client):
    home = page(demo_client, "/")
    for tile in home.select("a.tile"):
        shown = int(re.search(r"\d+", tile.select_one(".tile-count").get_text()).group())
        results = page(demo_client, tile["href"])
        assert int(re.search(r"\d+", results.select_one(".result-count").get_text()).group()) == shown


def test_search_page_shows_facet_counts_sort_and_snippets(demo_client):
    soup = page(demo_client, "/zoeken?q=robot&region=limburg")
    label = soup.select_one("label[for=f-region-antwerpen]").get_text(" ", strip=True)
    assert re.fullmatch(r"Antwerpen \(\d+\)", label)  # other provinces stay countable: widen the choice
    assert soup.select_one("#search-sort option[selected]")["value"] == "relevance"
    assert soup.select(".card mark")  # highlighted words
    municipalities = soup.select("input[name=municipality]")
    assert municipalities and all(m["id"].startswith("f-municipality-7") for m in municipalities)  # Limburg NIS


def test_zero_results_offer_to_drop_the_filter_that_emptied_them(demo_client):
    soup = page(demo_client, "/zoeken?q=robot&kind=charter_signatory&age_group=toddler")
    assert not soup.select(".card")
    offers = {a.get_text(" ", strip=True): a["href"] for a in soup.select(".empty li a")}
    assert set(offers) == {"Zonder ‘Soort aanbod: Charterondertekenaar’", "Zonder ‘Leeftijd: Kleuters (3-5 jaar)’"}
    for href in offers.values():
        assert page(demo_client, href).select(".card")  # each way out really has results


@pytest.mark.parametrize("query", ["/zoeken?q=robot", "/zoeken?q=robot&region=limburg",
                                   "/zoeken?region=limburg&theme=ai&theme=climate&age=9",
                                   "/zoeken?q=robot+hasselt&when=krokusvakantie"])  # a place read from the words
def test_the_filters_fold_into_one_control_counting_the_chips_and_submit_to_the_results(demo_client, query):
    soup = page(demo_client, query)
    panel = soup.select_one("details.filters-panel")
    assert not panel.has_attr("open")  # without JavaScript a phone shows the results first (wide screens: site.css)
    form = panel.select_one("form.filters")
    assert form["action"] == "/zoeken#results-title"  # a GET submission keeps the fragment: it lands at the results
    assert soup.select_one("#results-title")
    assert form.select("input[name=q], input[name=age], select[name=sort], input[type=checkbox]")
    chips = len(soup.select(".active-filters .chip-remove"))
    toggle = " ".join(panel.select_one("summary.filters-toggle").get_text().split())
    assert toggle == (f"Filters ({chips} actief)" if chips else "Filters")


def test_a_typo_is_corrected_and_said(demo_client):
    soup = page(demo_client, "/zoeken?q=robto")
    assert "robot" in soup.select_one(".suggestion").get_text()
    assert result_slugs(soup)


def test_security_headers(demo_client):
    response = demo_client.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
