"""Compounds split by word frequencies (search_index/compounds.py), in documents and in queries."""

import pytest

from search_index import SearchIndex, SearchQuery
from search_index.analysis import compound_parts, normalise
from search_index.compounds import split


@pytest.mark.parametrize(("word", "parts"), [
    ("robotkamp", ("robot", "kamp")),
    ("programmeerclub", ("programmeer", "club")),  # a verb stem as the first part
    ("wetenschapsweek", ("wetenschap", "week")),  # linking -s-
    ("sterrenkijkavond", ("sterren", "kijkavond")),  # the fewest parts; kijkavond splits again
    ("kleuteronderwijs", ("kleuter", "onderwijs")),
    ("veiligheidsschoenen", ("veiligheid", "schoenen")),
    ("computerwetenschappen", ("computer", "wetenschappen")),  # the fewest parts, not weten + schappen
    ("soldeerclub", ("soldeer", "club")),  # a lexicon word too rare for the frequency list
])
def test_compounds_split_into_their_words(word, parts):
    assert split(word) == parts


@pytest.mark.parametrize("word", ["programmeren", "technologie", "leerlingen", "activiteiten", "informatica",
                                  "robotica", "vlaanderen", "begeleiders"])
def test_words_that_are_no_compounds_stay_whole(word):
    assert split(word) == ()


@pytest.mark.parametrize(("word", "stems"), [
    ("kerstkampje", {"kerst", "kamp"}),  # a diminutive compound
    ("dronekampen", {"drone", "kamp"}),  # a plural compound
    ("proefjesclub", {"proef", "club"}),  # a diminutive plural as first part
    ("lerarenopleiding", {"leraar", "opleiding"}),
    ("sterrenkundecursus", {"sterrenkunde", "cursus", "ster", "kunde"}),  # the parts of a part too
])
def test_parts_are_normalised_like_free_words(word, stems):
    assert set(compound_parts(word)) == {normalise(stem) for stem in stems}


@pytest.fixture
def index(tmp_path):
    index = SearchIndex(tmp_path / "index")
    index.rebuild([
        {"id": "camp", "title": "Robotzomerkamp in Genk", "summary": "Een week bouwen en programmeren"},
        {"id": "robot", "title": "Robot bouwen in Hasselt", "summary": "Een namiddag met een robot"},
        {"id": "week", "title": "Wetenschapsweek op school", "summary": "Proeven voor de hele klas"},
        {"id": "stars", "title": "Sterrenkijkavond voor gezinnen", "summary": "Met telescopen naar de maan"},
    ])
    return index


def ids(index, text):
    return index.search(SearchQuery(text=text)).ids


def test_a_part_finds_the_compound_in_a_document(index):
    assert ids(index, "zomerkamp") == ["camp"]
    assert ids(index, "kamp") == ["camp"]
    assert ids(index, "wetenschap") == ["week"]
    assert ids(index, "sterren kijken") == ["stars"]  # -en- linking and the verb stem kijk


def test_the_whole_word_ranks_above_the_part(index):
    assert ids(index, "robot") == ["robot", "camp"]


def test_a_query_compound_finds_its_parts_in_another_compound(index):
    assert ids(index, "robotkamp") == ["camp"]  # robot + kamp, both inside robotzomerkamp
    assert ids(index, "avondsterren") == ["stars"]


def test_english_words_in_dutch_text_are_no_parts():
    # common in Dutch text too ("Girls Code the Robot"), so frequent, but not Dutch words
    assert split("theclub") == () and split("andclub") == ()
    assert split("theaterclub") == ("theater", "club")
