"""What every template can use: vocabularies, policy, and Dutch date formatting."""

from __future__ import annotations

from datetime import date

from flask import Flask
from flask_babel import format_date, get_locale, gettext

from portal.catalogue import policy, vocab
from portal.search.service import FILTERS


def date_range(start: date | None, end: date | None) -> str:
    if start is None:
        return ""
    if end is None or end == start:
        return format_date(start, "EEEE d MMMM y")
    if start.year == end.year:
        return gettext("%(start)s tot %(end)s", start=format_date(start, "d MMMM"), end=format_date(end, "d MMMM y"))
    return gettext("%(start)s tot %(end)s", start=format_date(start, "d MMMM y"), end=format_date(end, "d MMMM y"))


def age_range(min_age: int | None, max_age: int | None) -> str:
    if min_age is None and max_age is None:
        return gettext("Alle leeftijden")
    if max_age is None:
        return gettext("Vanaf %(min)s jaar", min=min_age)
    if min_age is None:
        return gettext("Tot %(max)s jaar", max=max_age)
    if min_age == max_age:
        return gettext("%(age)s jaar", age=min_age)
    return gettext("%(min)s tot %(max)s jaar", min=min_age, max=max_age)


def labels(codes: list[str], vocabulary: vocab.Vocabulary) -> str:
    return ", ".join(vocabulary.label(code) for code in codes)


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.globals.update(vocab=vocab, policy=policy, search_filters=FILTERS)
    app.jinja_env.filters.update(
        date_range=date_range, labels=labels, long_date=lambda d: format_date(d, "d MMMM y")
    )
    app.jinja_env.globals.update(age_range=age_range, get_locale=get_locale)
