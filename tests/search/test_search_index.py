"""search_index on its own: plain documents in, plain results out, a real Whoosh index on disk."""

from datetime import UTC, date, datetime

import pytest

from search_index import IndexUnavailable, SearchIndex, SearchQuery

TODAY = date(2026, 11, 22)


def doc(doc_id, title, summary="", body="", **fields):
    return {"id": doc_id, "title": title, "summary": summary, "body": body, "organisation": "Testorganisatie",
            "places": fields.pop("places", []), **fields}


@pytest.fixture
def index(tmp_path):
    index = SearchIndex(tmp_path / "index")
    index.rebuild([
        doc("1", "Robotclub voor kinderen", "Elke woensdag robots bouwen", kind=["activity"],
            region=["limburg"], age_group=["primary"], theme=["ai"], places=["Genk", "Limburg"],
            min_age=8, max_age=12, start=date(2026, 9, 2), last_day=date(2027, 6, 30),
            published=datetime(2026, 8, 1, tzinfo=UTC)),
        doc("2", "Klimaatkamp", "Zonnepanelen en windmolens", "We creëren een windmolen.", kind=["activity"],
            region=["antwerpen"], age_group=["primary", "sec1"], theme=["climate", "energy"],
            min_age=10, max_age=14, start=date(2027, 4, 5), last_day=date(2027, 4, 9),
            published=datetime(2026, 10, 1, tzinfo=UTC)),
        doc("3", "Lerend netwerk wiskunde", "Voor leerkrachten", kind=["learning_network"],
            region=["limburg", "antwerpen"], min_age=None, max_age=None, last_day=date(2026, 6, 30)),
        doc("4", "Programmeerclub", "Scratch en micro:bit", "Een kampje met proefjes.", kind=["activity"],
            region=["online"], theme=["digitalisation"], min_age=9, max_age=None),
    ])
    return index


def ids(index, **query):
    return index.search(SearchQuery(**query)).ids


def test_dutch_plurals_diminutives_accents_and_places(index):
    assert ids(index, text="robot") == ["1"]
    assert ids(index, text="Robots") == ["1"]
    assert ids(index, text="robotje") == ["1"]
    assert ids(index, text="creeren") == ["2"]
    assert ids(index, text="Genk") == ["1"]
    assert ids(index, text="limburg") == ["1"]  # a province name among the places
    assert ids(index, text="proefje") == ["4"]
    assert ids(index, text="kamp") == ["2", "4"] or set(ids(index, text="kamp")) == {"2", "4"}


def test_compounds_synonyms_and_prefixes(index):
    assert ids(index, text="programmeren club") == ["4"]  # the parts of "programmeerclub"
    assert ids(index, text="coderen") == ["4"]  # a synonym of programmeren
    assert ids(index, text="robotkamp") == []  # both parts must be there
    assert ids(index, text="zonnepa") == ["2"]  # a prefix of a longer word
    assert ids(index, text="windmolens") == ["2"]


def test_typos_are_corrected_and_suggested(index):
    result = index.search(SearchQuery(text="robto"))
    assert result.ids == ["1"]
    assert result.suggestion == "robots"  # the nearest word the index has
    assert index.search(SearchQuery(text="robot")).suggestion is None


def test_words_written_together_are_split_into_known_words(tmp_path):
    index = SearchIndex(tmp_path / "split")
    index.rebuild([doc("1", "Repair Café voor jongeren"), doc("2", "Café met koffie"), doc("3", "Repair shop")])
    assert ids(index, text="repaircafe") == ["1"]


def test_title_outweighs_body(tmp_path):
    index = SearchIndex(tmp_path / "weights")
    index.rebuild([doc("body", "Knutselclub", "Allerlei", "Soms bouwen we ook een robot."),
                   doc("title", "Robot bouwen", "Allerlei", "Soms knutselen we.")])
    assert ids(index, text="robot") == ["title", "body"]


def test_filters_or_within_and_across_facets(index):
    assert set(ids(index, filters={"region": frozenset({"limburg"})})) == {"1", "3"}
    assert set(ids(index, filters={"theme": frozenset({"ai", "energy"})})) == {"1", "2"}
    assert ids(index, filters={"theme": frozenset({"ai", "energy"}), "region": frozenset({"antwerpen"})}) == ["2"]
    assert set(ids(index, filters={"unknown": frozenset({"x"})})) == {"1", "2", "3", "4"}  # ignored


def test_facet_counts_are_disjunctive(index):
    result = index.search(SearchQuery(filters={"region": frozenset({"limburg"}), "kind": frozenset({"activity"})}))
    assert result.ids == ["1"]
    # region is counted with the kind filter but without its own: the user can widen to antwerpen
    assert result.facets["region"] == {"limburg": 1, "antwerpen": 1, "online": 1}
    # kind is counted with the region filter only
    assert result.facets["kind"] == {"activity": 1, "learning_network": 1}
    assert result.facets["theme"] == {"ai": 1}


@pytest.mark.parametrize("age, expected", [(8, {"1", "3"}), (9, {"1", "3", "4"}), (13, {"2", "3", "4"}),
                                           (40, {"3", "4"})])
def test_exact_age_with_open_ends(index, age, expected):
    assert set(ids(index, age=age)) == expected


def test_age_is_read_from_the_text(index):
    result = index.search(SearchQuery(text="club 8 jaar"))
    assert result.age == 8 and result.ids == ["1"]
    assert index.search(SearchQuery(text="mijn zoon van 13 programmeren")).ids == ["4"]


def test_words_understood_as_filters_count_towards_the_half_a_document_must_match(index):
    # Three words need two; with the place and the period taken out as filters, one of the two left is enough.
    assert ids(index, text="robots kamp sterrenkunde") == []
    assert set(ids(index, text="robots kamp sterrenkunde", understood=2)) == {"1", "2", "4"}
    assert ids(index, text="robots kamp") == []  # two words, both needed, when nothing else was understood
    assert ids(index, text="de", understood=1) == ids(index)  # only small words are left: the filters decide
    assert index.search(SearchQuery(text="is 9 robot")).age == 9  # "mijn kind is 9": an age, understood too


def test_past_listings_leave_when_today_is_given(index):
    assert "3" in ids(index)
    assert "3" not in ids(index, today=TODAY)
    assert "3" in ids(index, today=date(2026, 6, 30))  # the last day still counts


def test_sorting(index):
    assert ids(index, sort="name") == ["2", "3", "4", "1"]
    assert ids(index, sort="soonest", today=TODAY) == ["1", "2", "4"]  # running first, undated last
    assert ids(index, sort="newest")[:2] == ["2", "1"]


def test_highlights_are_escaped(tmp_path):
    index = SearchIndex(tmp_path / "xss")
    index.rebuild([doc("1", "<script>alert(1)</script> Robotclub", "Bouw een <b>robot</b>")])
    hit = index.search(SearchQuery(text="robot")).hits[0]
    assert hit.title_html == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Robotclub</mark>"
    assert hit.snippet_html == "Bouw een &lt;b&gt;<mark>robot</mark>&lt;/b&gt;"


def test_without_highlighting_the_same_hits_with_escaped_titles_and_no_snippets(tmp_path):
    index = SearchIndex(tmp_path / "ix")
    index.rebuild([doc("1", "<script>alert(1)</script> Robotclub", "Bouw een <b>robot</b>"), doc("2", "Robotkamp")])
    marked = index.search(SearchQuery(text="robot"))
    plain = index.search(SearchQuery(text="robot", highlight=False))
    assert plain.ids == marked.ids and plain.total == marked.total == 2
    assert plain.hits[marked.ids.index("1")].title_html == "&lt;script&gt;alert(1)&lt;/script&gt; Robotclub"
    assert all(hit.snippet_html == "" and "<mark>" not in hit.title_html for hit in plain.hits)


@pytest.mark.parametrize("text", ['"robot', "robot AND", "robot)", "(robot", "robot*", "title:robot", "\x00robot",
                                  "🤖 robot", "+robot -"])
def test_syntax_characters_are_plain_text(index, text):
    assert ids(index, text=text) == ["1"]


@pytest.mark.parametrize("text", ["*", "-", "OR", "de het een", "C++", "🤖", "a " * 5000, "x" * 10000])
def test_queries_without_searchable_words_find_nothing_and_never_fail(index, text):
    result = index.search(SearchQuery(text=text))
    assert result.total == 0 and result.hits == []


def test_update_replaces_and_delete_removes_across_reopen(tmp_path):
    index = SearchIndex(tmp_path / "index")
    index.rebuild([])
    index.upsert([doc("0", "Robotkamp"), doc("1", "Dronekamp"), doc("2", "Codeerkamp")])
    index.upsert([doc("1", "Sterrenkijken")])
    assert index.search(SearchQuery(page_size=50)).total == 3  # no stale copy beside the new one
    assert ids(index, text="sterrenkijken") == ["1"]
    assert ids(index, text="dronekamp") == []
    index.delete(["2"])
    reopened = SearchIndex(tmp_path / "index")
    assert reopened.document_ids() == {"0", "1"}
    assert index.document_ids() == {"0", "1"}  # the first instance sees the change too


def test_an_absent_index_is_unavailable_until_built_and_never_grows_from_a_write(tmp_path):
    """No generation is not an empty catalogue: searching says so, and a write does not start an index that
    would hold only what it writes."""
    index = SearchIndex(tmp_path / "absent")
    with pytest.raises(IndexUnavailable):
        index.search(SearchQuery(text="robot"))
    with pytest.raises(IndexUnavailable):
        index.upsert([doc("1", "Robot")])
    assert index.position() is None
    index.rebuild([doc("1", "Robot")], position=7)
    assert ids(index, text="robot") == ["1"] and index.position() == 7


def test_rebuild_swaps_generations_without_an_empty_index(tmp_path):
    index = SearchIndex(tmp_path / "index")
    index.rebuild([doc("1", "Oud")])
    reader = SearchIndex(tmp_path / "index")
    assert reader.document_ids() == {"1"}
    index.rebuild([doc("2", "Nieuw"), doc("3", "Nieuwer")])
    assert reader.document_ids() == {"2", "3"}
    index.rebuild([doc("4", "Nieuwst")])
    assert reader.document_ids() == {"4"}
    # the previous generation stays for readers in other processes; older ones are cleaned up
    assert sorted(p.name for p in (tmp_path / "index").glob("gen-*")) == ["gen-000002", "gen-000003"]


def test_paging(index):
    first = index.search(SearchQuery(page=1, page_size=2, sort="name"))
    second = index.search(SearchQuery(page=2, page_size=2, sort="name"))
    assert first.total == 4 and first.page_count == 2
    assert first.ids + second.ids == ["2", "3", "4", "1"]
    assert index.search(SearchQuery(page=9, page_size=2)).ids == []


def test_search_index_does_not_import_flask_or_the_orm():
    import subprocess
    import sys
    code = ("import sys, search_index; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy', 'portal')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_among_equal_matches_the_more_recently_confirmed_comes_first(tmp_path):
    index = SearchIndex(tmp_path / "freshness")
    text = ("Robotclub", "Elke woensdag robots bouwen", "We bouwen robots.")
    index.rebuild([doc("old", *text, confirmed=date(2025, 12, 1)), doc("new", *text, confirmed=date(2026, 11, 1)),
                   doc("unknown", *text)])
    assert ids(index, text="robots", today=TODAY) == ["new", "old", "unknown"]
    index.rebuild([doc("old", *text, confirmed=date(2026, 11, 1)), doc("new", *text, confirmed=date(2025, 12, 1))])
    assert ids(index, text="robots", today=TODAY) == ["old", "new"]


def test_freshness_never_lifts_a_clearly_weaker_match(tmp_path):
    index = SearchIndex(tmp_path / "freshness-weak")
    index.rebuild([doc("title", "Robot bouwen", "Allerlei", "Soms knutselen we.", confirmed=date(2025, 11, 1)),
                   doc("body", "Knutselclub", "Allerlei", "Soms bouwen we ook een robot.", confirmed=TODAY)])
    assert ids(index, text="robot", today=TODAY) == ["title", "body"]
