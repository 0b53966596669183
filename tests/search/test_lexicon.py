"""Every entry of the owned lexicon (search_index/lexicon.py) and what the maintained data gives around it:
lemmas from simplemma, compounds from word frequencies, related words at a lower weight than the word typed."""

import pytest

from search_index import SearchIndex, SearchQuery
from search_index.analysis import compound_parts, normalise
from search_index.lexicon import IRREGULAR, NOT_PARTS, SYNONYM_GROUPS


@pytest.mark.parametrize(("form", "term"), [
    ("kids", "kind"), ("meisjes", "meisje"), ("meid", "meisje"), ("meiden", "meisje"), ("meidje", "meisje"),
    ("jongen", "jongen"), ("jongens", "jongen"), ("jongetje", "jongen"), ("jongetjes", "jongen"),
    ("zoon", "zoon"), ("zonen", "zoon"), ("zoontje", "zoon"), ("bladeren", "blad"),
])
def test_each_irregular_entry_meets_its_word(form, term):
    assert normalise(form) == normalise(term)


def test_the_irregular_entries_are_all_pinned():
    pinned = {"kids", "meisje", "meisjes", "meid", "meiden", "meidje", "jongen", "jongens", "jongetje", "jongetjes", "zoon", "zonen",
              "zoontje", "bladeren"}
    assert set(IRREGULAR) == pinned


@pytest.mark.parametrize(("apart", "word"), [("jongen", "jongeren"), ("zoon", "zon")])
def test_irregular_entries_keep_words_apart_that_the_stemmer_joins(apart, word):
    assert normalise(apart) != normalise(word)


@pytest.mark.parametrize(("form", "word"), [
    # from the lexicon, not from an owned list: irregular plurals and diminutives, -eren plurals, ge- nouns
    ("kinderen", "kind"), ("steden", "stad"), ("schepen", "schip"), ("eieren", "ei"), ("blaadjes", "blad"),
    ("lessen", "les"), ("leerlingen", "leerling"), ("gezinnen", "gezin"),
    ("gebouwen", "gebouw"), ("gemeenten", "gemeente"), ("gezondheid", "gezond"), ("basisscholen", "basisschool"),
    ("robotjes", "robot"), ("programmeer", "programmeren"), ("geprogrammeerd", "programmeren"),
])
def test_lemmas_from_the_lexicon(form, word):
    assert normalise(form) == normalise(word)


@pytest.mark.parametrize(("noun", "other"), [("gezond", "zon"), ("gebouw", "bouwen"), ("gezin", "zin")])
def test_a_ge_noun_keeps_its_ge(noun, other):
    assert normalise(noun) != normalise(other)


@pytest.mark.parametrize("word", ["verkennen", "herhalen", "ontdekken", "prothese", "internet",
                                  "wetenschappen", "contacteren"])
def test_prefixes_and_endings_are_not_compound_parts(word):
    assert not NOT_PARTS & set(compound_parts(word)) and not compound_parts(word)


def test_every_not_part_is_pinned():
    assert NOT_PARTS == {"ver", "her", "ont", "pro", "inter", "schap", "schappen", "eren"}


@pytest.mark.parametrize("group", SYNONYM_GROUPS, ids=lambda group: group[0])
def test_each_synonym_group_finds_its_words_below_the_word_typed(tmp_path, group):
    """A document per member; searching a member finds every document of the group, its own first."""
    index = SearchIndex(tmp_path / "index")
    index.rebuild({"id": member, "title": f"Workshop {member}"} for member in group)
    for member in group:
        found = index.search(SearchQuery(text=member)).ids
        assert set(found) == set(group), member
        assert normalise(found[0]) == normalise(member) or found[0] == member, (member, found)
