import pytest

from portal.templating import age_range, paragraphs


@pytest.fixture(autouse=True)
def _request(_empty_app):
    with _empty_app.test_request_context():
        yield


def test_age_ranges():
    assert age_range(9, 12) == "9 tot 12 jaar"
    assert age_range(None, None) == "Alle leeftijden"
    assert age_range(16, None) == "Vanaf 16 jaar"
    assert age_range(None, 6) == "Tot 6 jaar"
    assert age_range(10, 10) == "10 jaar"


def test_paragraphs_accept_any_line_ending():
    assert paragraphs("Een.\r\n\r\nTwee.\n\n\nDrie.\nnog drie") == ["Een.", "Twee.", "Drie.\nnog drie"]
    assert paragraphs(None) == []
