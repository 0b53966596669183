"""Time words in a query become filters and leave the text; ordinary words (and compounds) stay text."""

from datetime import date

import pytest

from portal.search.time_words import read_time_words

FRIDAY = date(2026, 12, 4)


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
    words = read_time_words(query, FRIDAY)
    assert (words.text, words.when, words.days, words.parts) == (text, when, days, parts)


@pytest.mark.parametrize("query", ["woensdagclub", "zomerkamp robots", "krokus", "stop de avondklok", "de middagpauze"])
def test_ordinary_words_stay_text(query):
    words = read_time_words(query, FRIDAY)
    assert (words.text, words.when, words.days, words.parts) == (query, None, (), ())


@pytest.mark.parametrize("query, text, first, last", [
    ("robot volgend weekend", "robot", date(2026, 12, 12), date(2026, 12, 13)),  # "dit weekend" is the 5th-6th
    ("kamp volgende week", "kamp", date(2026, 12, 7), date(2026, 12, 13)),
    ("programmeren volgende maand", "programmeren", date(2027, 1, 1), date(2027, 1, 31)),
    ("kamp in juli", "kamp", date(2027, 7, 1), date(2027, 7, 31)),
    ("sterrenkijken in december", "sterrenkijken", FRIDAY, date(2026, 12, 31)),  # this month, from today
    ("kamp in de maand augustus", "kamp", date(2027, 8, 1), date(2027, 8, 31)),
    ("workshop morgen", "workshop", date(2026, 12, 5), date(2026, 12, 5)),
    ("vandaag", "", FRIDAY, FRIDAY),
])
def test_days_counted_from_today_become_a_range(query, text, first, last):
    words = read_time_words(query, FRIDAY)
    assert (words.text, words.days_range) == (text, (first, last))


def test_the_next_weekend_seen_on_a_weekend_is_the_one_after():
    assert read_time_words("volgend weekend", date(2026, 12, 6)).days_range == (date(2026, 12, 12), date(2026, 12, 13))


@pytest.mark.parametrize("query", ["meimaand", "julifeest", "morgenster", "weekendkamp"])
def test_words_holding_a_month_or_day_stay_text(query):
    assert read_time_words(query, FRIDAY).days_range is None
