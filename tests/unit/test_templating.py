from datetime import date

import pytest

from portal.templating import age_range, date_range, paragraphs


@pytest.fixture(autouse=True)
def _request(_empty_app):
    with _empty_app.test_request_context():
        yield


def test_dates_in_dutch_and_open_ends_say_vanaf():
    assert date_range(date(2026, 12, 28), date(2026, 12, 30)) == "28 december tot 30 december 2026"
    assert date_range(date(2026, 12, 28), date(2027, 1, 2)) == "28 december 2026 tot 2 januari 2027"
    assert date_range(date(2026, 12, 28), date(2026, 12, 28)) == "maandag 28 december 2026"
    assert date_range(date(2026, 9, 2), None) == "vanaf 2 september 2026"


def test_age_ranges():
    assert age_range(9, 12) == "9 tot 12 jaar"
    assert age_range(None, None) == "Alle leeftijden"
    assert age_range(16, None) == "Vanaf 16 jaar"
    assert age_range(None, 6) == "Tot 6 jaar"
    assert age_range(10, 10) == "10 jaar"


def test_paragraphs_accept_any_line_ending():
    assert paragraphs("Een.\r\n\r\nTwee.\n\n\nDrie.\nnog drie") == ["Een.", "Twee.", "Drie.\nnog drie"]
    assert paragraphs(None) == []
