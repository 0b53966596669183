"""Offers for children and young people are kept apart from offers for teachers, schools and other
professionals: an age never finds the latter, which have their own entry and filter (issue 10, item 6)."""

from datetime import date

import pytest
from sqlalchemy import select

from portal.catalogue import services, vocab
from portal.catalogue.models import Listing
from portal.domain import ValidationFailed
from portal.extensions import db
from search_index import SearchIndex, SearchQuery
from tests.factories import ListingInputFactory, OrganisationInputFactory, make_user

TODAY = date(2026, 11, 22)


def doc(doc_id, title, audience, **fields):
    return {"id": doc_id, "title": title, "summary": "", "body": "", "audience": [audience],
            "ageless": audience == "professionals", **fields}


@pytest.fixture
def index(tmp_path):
    index = SearchIndex(tmp_path / "index")
    index.rebuild([
        doc("kids", "Robotclub", "youth", min_age=9, max_age=12, age_group=["primary"]),
        doc("open", "Sterrenkijkavond", "youth", min_age=None, max_age=None, age_group=vocab.age_groups_for(None, None)),
        doc("network", "Lerend netwerk robotica", "professionals", min_age=None, max_age=None),
        doc("lesson", "Lespakket robots voor de klas", "professionals", min_age=9, max_age=12),
    ])
    return index


def test_an_exact_age_never_finds_an_offer_for_professionals_even_with_matching_or_open_ages(index):
    assert sorted(index.search(SearchQuery(age=10)).ids) == ["kids", "open"]
    assert sorted(index.search(SearchQuery(text="robot 10 jaar")).ids) == ["kids"]
    assert sorted(index.search(SearchQuery(text="robot")).ids) == ["kids", "lesson", "network"]


def test_the_audience_is_a_facet_with_exact_counts(index):
    result = index.search(SearchQuery(text="robot", filters={"audience": frozenset({"professionals"})}))
    assert sorted(result.ids) == ["lesson", "network"]
    assert result.facets["audience"] == {"youth": 1, "professionals": 2}  # disjunctive: its own filter left out


# The portal: the registry field, its default, the search page, the home page and the API.

@pytest.fixture
def organisation(app):
    admin = make_user("moderator@test.example", is_admin=True)
    organisation = services.create_organisation(admin, OrganisationInputFactory())
    services.verify_organisation(admin, organisation)
    return admin, organisation


def publish(admin, organisation, **fields):
    listing = services.create_listing(admin, organisation, ListingInputFactory(**fields))
    services.submit_listing(admin, listing)
    services.publish_listing(admin, listing)
    return listing


@pytest.mark.parametrize(("kind", "target_groups", "expected"), [
    ("learning_network", ["teachers"], "professionals"),
    ("charter_signatory", ["girls", "teachers"], "professionals"),
    ("activity", ["teachers"], "professionals"),
    ("activity", ["teachers", "girls"], "youth"),
    ("school_project", ["tso_bso"], "youth"),
])
def test_a_listing_without_an_audience_gets_the_one_its_kind_and_target_groups_say(organisation, kind,
                                                                                  target_groups, expected):
    admin, org = organisation
    listing = services.create_listing(admin, org, ListingInputFactory(kind=kind, target_groups=target_groups))
    assert listing.audience == expected


def test_a_stated_audience_is_kept_and_an_unknown_one_is_refused(organisation):
    admin, org = organisation
    listing = services.create_listing(admin, org, ListingInputFactory(target_groups=["teachers"], audience="youth"))
    assert listing.audience == "youth"
    with pytest.raises(ValidationFailed) as refused:
        services.create_listing(admin, org, ListingInputFactory(audience="ouders"))
    assert "audience" in refused.value.errors


def test_age_filters_and_the_home_page_keep_teacher_offers_apart(organisation, client):
    admin, org = organisation
    publish(admin, org, title="Robotclub voor tieners", min_age=12, max_age=16)
    publish(admin, org, kind="learning_network", title="Lerend netwerk robotica voor leerkrachten",
            target_groups=["teachers"], min_age=None, max_age=None, formats=["network"])
    publish(admin, org, title="Lespakket robotica voor de klas", target_groups=["teachers"], min_age=12,
            max_age=14, formats=["teaching_material"])
    db.session.commit()

    for query in ("age=15", "age_group=sec2", "q=robot+15+jaar"):
        page = client.get(f"/api/v1/listings?{query}").get_json()
        assert [card["title"] for card in page["results"]] == ["Robotclub voor tieners"], query
    page = client.get("/api/v1/listings?audience=professionals").get_json()
    assert {card["title"] for card in page["results"]} == {"Lerend netwerk robotica voor leerkrachten",
                                                           "Lespakket robotica voor de klas"}
    assert {card["audience"] for card in page["results"]} == {"professionals"}

    home = client.get("/").get_data(as_text=True)
    assert "Voor leerkrachten en scholen" in home and "audience=professionals" in home
    assert "2 aanbiedingen" in home.split('id="for-professionals"')[1].split("</section>")[0]
    youth_activities = home.split('id="by-kind"')[1].split("</section>")[0]
    assert "kind=activity&amp;audience=youth" in youth_activities and "1 aanbod" in youth_activities

    card = client.get("/zoeken?audience=professionals").get_data(as_text=True)
    assert "Voor leerkrachten en scholen" in card and "Alle leeftijden" not in card


def test_the_reported_case_online_free_15_years_finds_no_teacher_network(demo_client):
    """Reported in issue 10: "online, gratis, 15 jaar" returned three teacher networks in five results."""
    page = demo_client.get("/api/v1/listings?q=online&cost=free&age=15&per_page=100").get_json()
    assert page["total"] > 0
    assert {card["audience"] for card in page["results"]} == {"youth"}
    assert not [card for card in page["results"] if card["kind"] == "learning_network"]
    # the networks are there, under their own entry
    networks = demo_client.get("/api/v1/listings?q=online&audience=professionals&per_page=100").get_json()
    assert [card for card in networks["results"] if card["kind"] == "learning_network"]


def test_every_demo_learning_network_and_teacher_only_offer_is_for_professionals(demo_app):
    with demo_app.app_context():
        listings = db.session.scalars(select(Listing)).all()
        assert {listing.audience for listing in listings if listing.kind == "learning_network"} == {"professionals"}
        assert all(listing.audience == "professionals" for listing in listings
                   if set(listing.target_groups) == {"teachers"})
        assert sum(listing.audience == "youth" for listing in listings) > 150
