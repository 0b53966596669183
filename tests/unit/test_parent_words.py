"""A parent's words for a child become the youth audience and leave the text; "activiteit" says nothing."""

import pytest
from werkzeug.datastructures import MultiDict

from portal.search.parent_words import read_parent_words
from portal.search.service import SearchParams


@pytest.mark.parametrize("query, text, child", [
    ("soldeerclub voor mijn zoon van 13", "soldeerclub van 13", True),
    ("iets voor de kinderen in gent", "iets in gent", True),
    ("kamp voor kids", "kamp", True),
    ("paasvakantie activiteit kinderen berlare", "paasvakantie berlare", True),
    ("een activiteit met robots", "met robots", False),
    ("robot voor mijn dochter", "robot voor mijn dochter", False),  # a girl: offers for girls, found by the text
    ("kinderboerderij", "kinderboerderij", False),
    ("kindercampus jongerenwerking", "kindercampus jongerenwerking", False),
])
def test_parent_words_leave_the_text(query, text, child):
    assert read_parent_words(query) == (text, child)


def test_a_child_in_the_words_asks_for_youth_offers_unless_the_visitor_chose():
    read = SearchParams.from_args(MultiDict({"q": "robot voor mijn zoon"}))
    assert (read.q, read.filters, read.words_taken) == ("robot", {"audience": ("youth",)}, 1)
    chosen = SearchParams.from_args(MultiDict({"q": "robot voor mijn zoon", "audience": "professionals"}))
    assert chosen.filters == {"audience": ("professionals",)}
    both = SearchParams.from_args(MultiDict({"q": "kamp voor kinderen in de krokusvakantie"}))
    assert (both.q, both.when, both.words_taken) == ("kamp", "krokusvakantie", 2)
