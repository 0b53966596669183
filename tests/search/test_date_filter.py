"""The date filter: an offer matches a period when it takes place in it (its dates overlap it and, for a weekly
offer, a session falls in it, holidays skipped when it pauses in them); facet counts stay exact with a period,
day and part of day active; the API and the page read presets, free ranges and time words."""

from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from portal.catalogue.models import Listing, listing_details
from portal.clock import today
from portal.extensions import db
from portal.reference.school_calendar import next_holiday
from portal.search.documents import listing_document
from portal.search.sync import search_index
from portal.search.when import WHEN_CHOICES, holidays_in, preset_period
from search_index import FACETS, SearchIndex, SearchQuery
from tests.search.upcoming import is_upcoming

KROKUS = (date(2027, 2, 8), date(2027, 2, 14))
HOLIDAYS = (KROKUS,)
SEPTEMBER, JUNE = date(2026, 9, 2), date(2027, 6, 30)
DOCUMENTS = [
    {"id": "saturday-event", "title": "Sterrenkijkdag", "start": date(2027, 2, 13), "last_day": date(2027, 2, 13),
     "days": [5]},
    {"id": "krokus-camp", "title": "Krokuskamp", "start": date(2027, 2, 8), "last_day": date(2027, 2, 12)},
    {"id": "wednesday-club-pausing", "title": "Robotclub", "start": SEPTEMBER, "last_day": JUNE, "days": [2],
     "skips_holidays": True},
    {"id": "wednesday-club", "title": "Codeerclub", "start": SEPTEMBER, "last_day": JUNE, "days": [2]},
    {"id": "saturday-club-pausing", "title": "Proefjesclub", "start": SEPTEMBER, "last_day": JUNE, "days": [5],
     "skips_holidays": True},
    {"id": "museum", "title": "Museum"},  # permanent: no dates, no days
    {"id": "march-event", "title": "Wetenschapsdag", "start": date(2027, 3, 6), "last_day": date(2027, 3, 6)},
    {"id": "ended-club", "title": "Oude club", "start": SEPTEMBER, "last_day": date(2027, 1, 31), "days": [2]},
]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    found = SearchIndex(tmp_path_factory.mktemp("date-filter"))
    found.rebuild(DOCUMENTS)
    return found


def ids(index, first, last, holidays=HOLIDAYS, day=date(2027, 1, 1)):
    return set(index.search(SearchQuery(period=(first, last), holidays=holidays, today=day, page_size=50)).ids)


def test_the_krokusvakantie_finds_what_takes_place_in_it(index):
    assert ids(index, *KROKUS) == {"saturday-event", "krokus-camp", "wednesday-club", "museum"}


def test_a_weekly_club_matches_a_period_only_when_one_of_its_sessions_falls_in_it(index):
    weekend = (date(2027, 2, 20), date(2027, 2, 21))
    assert ids(index, *weekend) == {"saturday-club-pausing", "museum"}
    assert ids(index, date(2027, 2, 15), date(2027, 2, 19)) == {"wednesday-club-pausing", "wednesday-club",
                                                                "museum"}
    # the krokus Saturday falls in a holiday, the one after it does not
    assert "saturday-club-pausing" not in ids(index, date(2027, 2, 13), date(2027, 2, 13))
    assert "saturday-club-pausing" in ids(index, date(2027, 2, 13), date(2027, 2, 20))


def test_overlap_of_dates_and_the_day_the_search_is_made(index):
    assert ids(index, date(2027, 3, 1), date(2027, 3, 7)) >= {"march-event"}
    assert "ended-club" not in ids(index, date(2027, 2, 1), date(2027, 2, 28))
    assert "ended-club" in ids(index, date(2027, 1, 1), date(2027, 1, 31))
    # a period that started before today counts from today: yesterday's Saturday event is gone
    assert "saturday-event" not in ids(index, *KROKUS, day=date(2027, 2, 14))


def test_presets_seen_from_a_thursday():
    thursday = date(2026, 12, 3)
    assert preset_period("weekend", thursday) == (date(2026, 12, 5), date(2026, 12, 6))
    assert preset_period("weekend", date(2026, 12, 6)) == (date(2026, 12, 6), date(2026, 12, 6))
    assert preset_period("week", thursday) == (thursday, date(2026, 12, 9))
    assert preset_period("month", thursday) == (thursday, date(2026, 12, 31))
    assert preset_period("krokusvakantie", thursday) == KROKUS
    assert preset_period("zomervakantie", thursday) == (date(2027, 7, 1), date(2027, 8, 31))


# Brute force over the demo catalogue, day by day, against the engine's bitset counts.

@pytest.fixture(scope="module")
def documents(demo_app):
    with demo_app.test_request_context():
        listings = db.session.scalars(select(Listing).where(Listing.status == "published").options(*listing_details()))
        yield [listing_document(listing) for listing in listings]


def takes_place(document, first, last, holidays, day):
    if not is_upcoming(document, day):
        return False
    low = max(first, day, document["start"] or first)
    high = min(last, document["last_day"] or last)
    for offset in range((high - low).days + 1):
        current = low + timedelta(days=offset)
        if document["days"] and current.weekday() not in document["days"]:
            continue
        if document["skips_holidays"] and any(a <= current <= b for a, b in holidays):
            continue
        return True
    return False


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_facet_counts_stay_exact_with_a_period(demo_app, documents, data):
    day = today()
    when = data.draw(st.sampled_from(WHEN_CHOICES.codes))
    first, last = preset_period(when, day)
    holidays = holidays_in((first, last))
    present = [facet for facet in FACETS if any(document[facet] for document in documents)]
    chosen = data.draw(st.lists(st.sampled_from(present), max_size=2, unique=True))
    filters = {facet: frozenset(data.draw(st.lists(st.sampled_from(sorted({c for d in documents for c in d[facet]})),
                                                   min_size=1, max_size=2))) for facet in chosen}
    with demo_app.app_context():
        result = search_index().search(SearchQuery(filters=filters, today=day, period=(first, last),
                                                   holidays=holidays))

    def passes(document, skip=None):
        return takes_place(document, first, last, holidays, day) and all(
            set(document[f]) & codes for f, codes in filters.items() if f != skip)

    assert result.total == sum(passes(document) for document in documents)
    assert result.facets == {facet: dict(Counter(code for document in documents if passes(document, skip=facet)
                                                 for code in document[facet])) for facet in FACETS}


def test_the_demo_catalogue_answers_each_holiday(demo_app, documents):
    """Every holiday preset finds demo offers, and the camps among them lie within that holiday."""
    day = today()
    for code in ("herfstvakantie", "kerstvakantie", "krokusvakantie", "paasvakantie", "zomervakantie"):
        holiday = next_holiday(code, day)
        with demo_app.app_context():
            result = search_index().search(SearchQuery(today=day, period=(holiday.first, holiday.last),
                                                       holidays=((holiday.first, holiday.last),), page_size=500,
                                                       filters={"format": frozenset({"camp"})}))
        assert result.total, code
        found = {document["id"]: document for document in documents}
        for hit in result.hits:
            assert takes_place(found[hit.id], holiday.first, holiday.last, ((holiday.first, holiday.last),), day)


# The API and the page

def test_the_api_reads_a_preset_a_range_and_time_words(demo_client):
    answer = demo_client.get("/api/v1/listings?when=krokusvakantie&per_page=100").get_json()
    krokus = next_holiday("krokusvakantie", today())
    assert answer["query"]["when"] == "krokusvakantie" and answer["total"] > 0
    assert all(card["schedule"] != "once" or krokus.first.isoformat() <= card["start_date"] <= krokus.last.isoformat()
               for card in answer["results"])

    words = demo_client.get("/api/v1/listings?q=robot woensdagnamiddag").get_json()
    assert words["query"]["q"] == "robot"
    assert words["query"]["filters"] == {"day": ["wo"], "part": ["namiddag"]}
    assert words["total"] > 0
    assert all("wo" in card["weekdays"] or card["schedule"] in ("once", "series") for card in words["results"])

    spring = demo_client.get("/api/v1/listings?q=kamp paasvakantie").get_json()
    assert spring["query"]["q"] == "kamp" and spring["query"]["when"] == "paasvakantie"

    ranged = demo_client.get("/api/v1/listings?from=2027-03-01&to=2027-03-07").get_json()
    assert ranged["query"]["from"] == "2027-03-01" and ranged["query"]["to"] == "2027-03-07"


def test_a_month_in_the_words_is_the_range_of_that_month_unless_the_visitor_chose_days(demo_client):
    july = date(today().year + (today().month > 7), 7, 1)
    answer = demo_client.get("/api/v1/listings?q=kamp in juli&per_page=100").get_json()
    assert answer["query"]["q"] == "kamp"
    assert (answer["query"]["from"], answer["query"]["to"]) == (max(july, today()).isoformat(), f"{july.year}-07-31")
    assert answer["total"] > 0
    for card in answer["results"]:  # each takes place in July
        assert card["start_date"] is None or card["start_date"] <= f"{july.year}-07-31"
        assert card["end_date"] is None or card["end_date"] >= max(july, today()).isoformat()
    chosen = demo_client.get("/api/v1/listings?q=kamp in juli&when=krokusvakantie").get_json()
    assert chosen["query"]["when"] == "krokusvakantie" and chosen["query"]["from"] is None


@pytest.mark.parametrize("query, parameter", [
    ("when=paasvakantie2", "when"), ("from=2027-02-30", "from"), ("to=9999-12-31", "to"), ("from=2027-03-02&to=2027-03-01", "to"),
    ("day=woensdag", "day"), ("part=middag", "part"),
])
def test_the_api_refuses_a_bad_period_in_dutch(demo_client, query, parameter):
    answer = demo_client.get(f"/api/v1/listings?{query}")
    assert answer.status_code == 400
    assert [detail["parameter"] for detail in answer.get_json()["error"]["details"]] == [parameter]


def test_the_page_shows_time_words_as_removable_chips(demo_client):
    page = demo_client.get("/zoeken?q=woensdagnamiddag+krokusvakantie").get_data(as_text=True)
    assert 'class="active-filters"' in page
    for chip in ("woensdag", "namiddag", "Krokusvakantie"):
        assert f"{chip} <span aria-hidden" in page
    assert 'value="krokusvakantie" selected' in page
    page = demo_client.get("/zoeken?from=2027-02-08&to=2027-02-12").get_data(as_text=True)
    assert "van 8 tot 12 februari 2027 <span aria-hidden" in page


def test_an_index_written_before_the_schedule_fields_still_searches(tmp_path):
    """An index on disk from before `day`, `part`, `weekdays` and `skips_holidays` existed: searching it works
    (those read as empty) until `flask search rebuild` fills them."""
    from whoosh import index as whoosh_index
    from whoosh.fields import Schema

    from search_index.engine import document_fields
    from search_index.schema import build_schema

    new = ("day", "part", "weekdays", "skips_holidays")
    old_schema = Schema(**{name: field for name, field in build_schema().items() if name not in new})
    (tmp_path / "gen-000001").mkdir()
    old = whoosh_index.create_in(tmp_path / "gen-000001", old_schema)
    writer = old.writer()
    fields = document_fields({"id": "1", "title": "Robotclub", "start": date(2027, 1, 1)})
    writer.add_document(**{name: value for name, value in fields.items() if name not in new})
    writer.commit()
    (tmp_path / "CURRENT").write_text("gen-000001")
    result = SearchIndex(tmp_path).search(SearchQuery(text="robotclub", period=KROKUS))
    assert result.ids == ["1"] and result.facets["day"] == {}
