"""The demo catalogue's "Dagen en uren" texts agree with its dates on any day it is loaded: the dates they name lie
within the listing's dates (a registration deadline before them), on the weekday they say, and a school holiday
they name is one the listing's dates fall in. Checked for the anchor day, the loading day and a year of others."""

import re
import tomllib
from datetime import date, timedelta

import pytest

from portal.reference import school_calendar
from seeds import dates, loader

RAW_LISTINGS = [
    raw for path in sorted(loader.CATALOGUE_DIR.glob("*.toml"))
    for organisation in tomllib.loads(path.read_text(encoding="utf-8"))["organisations"]
    for raw in organisation.get("listings", [])
]
HOLIDAY_WORD = re.compile(r"(niet in de |behalve |buiten de )?\b(herfst|kerst|krokus|paas|zomer)(?:vakantie|-)", re.I)
HOLIDAY_TITLE = re.compile(r"\b(herfst|kerst|krokus|paas|zomer)(?:kamp|vakantie|school)", re.I)  # "Krokuskamp ..."
LOAD_DAYS = [loader.ANCHOR, date(2026, 12, 3)] + [loader.ANCHOR + timedelta(weeks=n) for n in range(3, 60, 4)]


def disagreements(data) -> list[str]:
    text, first = data.schedule_text or "", data.start_date
    if first is None or data.schedule == "permanent":
        return []
    last = data.end_date or (first if data.schedule == "once" else first + timedelta(days=400))
    found = []
    for mention in dates.mentions(text, (first, last)):
        if mention.weekday_word and dates.WEEKDAY_WORDS.index(mention.weekday_word) != mention.day.weekday():
            found.append(f"{mention.day} is no {mention.weekday_word}")
        if mention.deadline:
            if mention.day > first:
                found.append(f"deadline {mention.day} after the start {first}")
        elif not first <= mention.day <= last:
            found.append(f"{mention.day} outside {first} to {last}")
    holidays = {holiday.code for holiday in school_calendar.holidays_between(first, last)}
    if (title := HOLIDAY_TITLE.search(data.title)) and data.schedule != "periodic":
        code = f"{title.group(1).lower()}vakantie"
        if not any(h.code == code and first in h and last in h for h in school_calendar.holidays_between(first, last)):
            found.append(f"{first} to {last} is not in the {code}")
    for word in HOLIDAY_WORD.finditer(text):
        if not word.group(1) and f"{word.group(2).lower()}vakantie" not in holidays:
            found.append(f"{word.group(2)}vakantie is not within {first} to {last}")
    return found


@pytest.mark.parametrize("load_day", LOAD_DAYS, ids=str)
def test_every_schedule_text_agrees_with_its_dates(load_day):
    shift = loader.date_shift(load_day)
    problems = {}
    for raw in RAW_LISTINGS:
        found = disagreements(loader._listing_input(raw, shift))
        if found:
            problems[raw["title"]] = found
    assert problems == {}


def test_a_holiday_camp_stays_in_its_holiday_and_its_text_moves_with_it():
    camp = next(raw for raw in RAW_LISTINGS if raw["title"].startswith("Krokuskamp") and raw["schedule"] == "series")
    for load_day in LOAD_DAYS:
        data = loader._listing_input(camp, loader.date_shift(load_day))
        holiday = school_calendar.next_holiday("krokusvakantie", data.start_date - timedelta(days=7))
        assert data.start_date in holiday and data.end_date in holiday
        assert data.start_date.weekday() == camp["start_date"].weekday()


def test_the_texts_dates_move_by_the_listings_shift():
    span = (date(2026, 11, 25), date(2027, 1, 13))
    text = "Zes woensdagen van 14 tot 16.30 uur: 25/11, 2/12, 9/12, 16/12, 6/1 en 13/1"
    assert dates.shift_text(text, timedelta(weeks=1), span) == \
        "Zes woensdagen van 14 tot 16.30 uur: 2/12, 9/12, 16/12, 23/12, 13/1 en 20/1"
    assert dates.shift_text("Maandag 22 tot vrijdag 26 februari 2027, van 9 tot 16 uur", timedelta(weeks=1),
                            (date(2027, 2, 22), date(2027, 2, 26))) == \
        "Maandag 1 tot vrijdag 5 maart 2027, van 9 tot 16 uur"
    assert dates.shift_text("13 en 27 januari, 10 februari, 3, 17 en 24 maart 2027", timedelta(weeks=1),
                            (date(2027, 1, 13), date(2027, 3, 24))) == \
        "20 januari en 3 februari, 17 februari, 10, 24 en 31 maart 2027"
