"""search_index on its own: plain documents in, plain results out, a real Whoosh index on disk."""

from datetime import date

import pytest

from search_index import SearchIndex, SearchQuery

TODAY = date(2026, 11, 22)


def doc(doc_id, title, summary="", body="", **facets):
    return {"id": doc_id, "title": title, "summary": summary, "body": body, "organisation": "Testclub",
            "places": facets.pop("places", []), "last_day": facets.pop("last_day", None), **facets}


@pytest.fixture
def index(tmp_path):
    index = SearchIndex(tmp_path / "index")
    index.rebuild([
        doc("1", "Robotclub voor kinderen", "Elke woensdag robots bouwen", kind=["activity"],
            region=["limburg"], age_group=["primary"], theme=["ai"], places=["Genk"]),
        doc("2", "Klimaatkamp", "Zonnepanelen en windmolens", "We creëren een windmolen.", kind=["activity"],
            region=["antwerpen"], age_group=["primary", "sec1"], theme=["climate", "energy"]),
        doc("3", "Lerend netwerk wiskunde", "Voor leerkrachten", kind=["learning_network"],
            region=["limburg", "antwerpen"], theme=[], last_day=date(2026, 6, 30)),
    ])
    return index


def ids(index, **query):
    return index.search(SearchQuery(**query)).ids


def test_dutch_analysis_plurals_and_accents(index):
    assert ids(index, text="robot") == ["1"]
    assert ids(index, text="Robots") == ["1"]
    assert ids(index, text="creeren") == ["2"]
    assert ids(index, text="Genk") == ["1"]  # places are searchable
    assert ids(index, text="robot klimaat") == []  # every word must match


def test_filters_combine_or_within_and_and_across_facets(index):
    assert set(ids(index, filters={"region": frozenset({"limburg"})})) == {"1", "3"}
    assert set(ids(index, filters={"theme": frozenset({"ai", "energy"})})) == {"1", "2"}
    assert ids(index, filters={"theme": frozenset({"ai", "energy"}), "region": frozenset({"antwerpen"})}) == ["2"]
    assert ids(index, filters={"unknown_facet": frozenset({"x"})}, page_size=10) != []  # ignored, not an error


def test_past_listings_leave_results_when_today_is_given(index):
    assert "3" in ids(index)
    assert "3" not in ids(index, today=TODAY)
    assert set(ids(index, today=date(2026, 6, 30))) == {"1", "2", "3"}  # the last day still counts


@pytest.mark.parametrize("text", ['"robot', "robot AND", "OR", "*", "-", "title:robot", "robot)", "(((", "\x00\x07robot",
                                  "🤖 robot", "robot" * 2000, "a " * 5000, "NOT NOT", "r?b*t~2^3"])
def test_malformed_queries_never_fail(index, text):
    result = index.search(SearchQuery(text=text))
    assert result.total >= 0


def test_update_replaces_and_delete_removes_across_reopen(tmp_path):
    index = SearchIndex(tmp_path / "index")
    index.upsert([doc("0", "Robotkamp"), doc("1", "Dronekamp"), doc("2", "Codeerkamp")])
    index.upsert([doc("1", "Sterrenkijken")])
    assert index.search(SearchQuery(page_size=50)).total == 3  # no stale copy beside the new one
    assert ids(index, text="sterrenkijken") == ["1"]
    assert ids(index, text="dronekamp") == []
    index.delete(["2"])
    reopened = SearchIndex(tmp_path / "index")
    assert reopened.document_ids() == {"0", "1"}


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
    first = index.search(SearchQuery(page=1, page_size=2))
    second = index.search(SearchQuery(page=2, page_size=2))
    assert first.total == 3 and first.page_count == 2
    assert len(first.ids) == 2 and len(second.ids) == 1
    assert set(first.ids) | set(second.ids) == {"1", "2", "3"}
    assert index.search(SearchQuery(page=9, page_size=2)).ids == []


def test_search_index_does_not_import_flask_or_the_orm():
    import subprocess
    import sys
    code = "import sys, search_index; print(sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy', 'portal')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
