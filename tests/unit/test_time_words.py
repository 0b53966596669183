"""Time words in a query become filters and leave the text; ordinary words (and compounds) stay text."""

import pytest

from portal.search.time_words import read_time_words


@pytest.mark.parametrize("query, text, when, days, parts", [
    ("robot woensdagnamiddag", "robot", None, ("wo",), ("namiddag",)),
    ("codeerclub op zaterdag", "codeerclub", None, ("za",), ()),
    ("zaterdagvoormiddag lego", "lego", None, ("za",), ("voormiddag",)),
    ("woensdagen en zaterdagen", "", None, ("wo", "za"), ()),
    ("dinsdagavond sterrenkunde", "sterrenkunde", None, ("di",), ("avond",)),
    ("kamp krokusvakantie", "kamp", "krokusvakantie", (), ()),
    ("robotkamp in de paasvakantie", "robotkamp", "paasvakantie", (), ()),
    ("Dit weekend sterrenkijken", "sterrenkijken", "weekend", (), ()),
    ("kamp in de zomer", "kamp", "zomervakantie", (), ()),
    ("deze maand workshop", "workshop", "month", (), ()),
    ("in het weekend", "", None, ("za", "zo"), ()),
    ("'s namiddags proefjes", "proefjes", None, (), ("namiddag",)),
])
def test_time_words_become_filters(query, text, when, days, parts):
    words = read_time_words(query)
    assert (words.text, words.when, words.days, words.parts) == (text, when, days, parts)


@pytest.mark.parametrize("query", ["woensdagclub", "zomerkamp robots", "krokus", "stop de avondklok", "de middagpauze"])
def test_ordinary_words_stay_text(query):
    words = read_time_words(query)
    assert (words.text, words.when, words.days, words.parts) == (query, None, (), ())
