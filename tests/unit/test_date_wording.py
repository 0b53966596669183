"""Dates read naturally (portal/catalogue/date_wording.py), in Dutch and English: one-day events say "op", ranges
name a month once, weekly offers say their day, hours and holiday pause."""

from datetime import date

import pytest
from flask_babel import force_locale

from portal.catalogue.date_wording import When, day_range, when_text


@pytest.fixture(autouse=True)
def _request(_empty_app):
    with _empty_app.test_request_context():
        yield


def test_day_ranges_in_dutch():
    assert day_range(date(2027, 2, 3), date(2027, 2, 3)) == "op 3 februari 2027"
    assert day_range(date(2027, 2, 15), date(2027, 2, 19)) == "van 15 tot 19 februari 2027"
    assert day_range(date(2027, 2, 28), date(2027, 3, 3)) == "van 28 februari tot 3 maart 2027"
    assert day_range(date(2026, 12, 28), date(2027, 1, 2)) == "van 28 december 2026 tot 2 januari 2027"
    assert day_range(date(2026, 9, 2), None) == "vanaf 2 september 2026"
    assert day_range(None, date(2027, 3, 3)) == "tot 3 maart 2027"


def test_a_one_day_event_says_op_not_vanaf():
    assert when_text(When("once", date(2027, 2, 3))) == "op 3 februari 2027"
    assert when_text(When("once", date(2027, 2, 3), start_time="14:00", end_time="16:30")) == \
        "op 3 februari 2027, 14-16.30 u"


def test_a_camp_names_its_days_and_hours():
    camp = When("series", date(2027, 2, 8), date(2027, 2, 12), start_time="09:00", end_time="16:00")
    assert when_text(camp) == "van 8 tot 12 februari 2027, 9-16 u"


def test_a_weekly_club_says_its_day_hours_and_pause():
    club = When("periodic", date(2026, 9, 16), date(2027, 6, 16), weekdays=("wo",), start_time="14:00",
                end_time="16:00", school_holidays_off=True)
    assert when_text(club) == ("elke woensdag 14-16 u, niet in de schoolvakanties, "
                               "van 16 september 2026 tot 16 juni 2027")
    assert when_text(When("periodic", date(2026, 9, 19), weekdays=("za", "wo"), day_parts=("voormiddag",))) == \
        "elke woensdagvoormiddag en zaterdagvoormiddag, vanaf 19 september 2026"
    assert when_text(When("permanent", weekdays=("di", "do"), start_time="09:00", end_time="12:00")) == \
        "elke dinsdag en donderdag 9-12 u"
    assert when_text(When("permanent")) == ""


def test_the_same_in_english():
    club = When("periodic", date(2026, 9, 16), date(2027, 6, 16), weekdays=("wo",), start_time="14:00",
                end_time="16:00", school_holidays_off=True)
    with force_locale("en"):
        assert day_range(date(2027, 2, 3), date(2027, 2, 3)) == "on 3 February 2027"
        assert day_range(date(2027, 2, 28), date(2027, 3, 3)) == "from 28 February to 3 March 2027"
        assert when_text(club) == ("every Wednesday 14:00-16:00, not during school holidays, "
                                   "from 16 September 2026 to 16 June 2027")
