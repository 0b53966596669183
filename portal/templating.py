"""What every template can use: vocabularies, policy, and Dutch formatting of dates (portal/catalogue/date_wording.py),
ages and places."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from flask import Flask, g
from flask_babel import format_date, get_locale, gettext
from markupsafe import Markup, escape

from portal.catalogue import map_features, policy, vocab, workflow
from portal.catalogue.cards import listing_url_prefix
from portal.catalogue.date_wording import day_range, when_text
from portal.forms import fields_in_error
from portal.pagination import page_url
from portal.search.service import DEFAULT_RADIUS_KM, FILTERS, KM_CHOICES, SORT_CHOICES
from portal.search.when import WHEN_CHOICES


def _locale_name() -> str:
    """The request's locale as a cache key; asked of Flask-Babel once per request (a slow chain of lookups)."""
    if "locale_name" not in g:
        g.locale_name = str(get_locale())
    return g.locale_name


def age_range(min_age: int | None, max_age: int | None) -> str:
    return _age_range(_locale_name(), min_age, max_age)


@lru_cache(maxsize=1024)
def _age_range(locale: str, min_age: int | None, max_age: int | None) -> str:
    if min_age is None and max_age is None:
        return gettext("Alle leeftijden")
    if max_age is None:
        return gettext("Vanaf %(min)s jaar", min=min_age)
    if min_age is None:
        return gettext("Tot %(max)s jaar", max=max_age)
    if min_age == max_age:
        return gettext("%(age)s jaar", age=min_age)
    return gettext("%(min)s tot %(max)s jaar", min=min_age, max=max_age)


def availability_text(availability: str, waiting_list: bool = False, postponed_to: date | None = None) -> str:
    """What a parent reads about places: "Volzet", "Uitgesteld naar 12 maart 2027"; nothing while places are
    available, which goes without saying."""
    return _availability_text(_locale_name(), availability, waiting_list, postponed_to)


@lru_cache(maxsize=1024)
def _availability_text(locale: str, availability: str, waiting_list: bool, postponed_to: date | None) -> str:
    if availability == vocab.AVAILABLE or availability not in vocab.AVAILABILITY:
        return ""
    if availability == "full" and waiting_list:
        return gettext("Volzet, wachtlijst open")
    if availability == "postponed":
        if postponed_to is None:
            return gettext("Uitgesteld, nieuwe datum volgt")
        return gettext("Uitgesteld naar %(date)s", date=format_date(postponed_to, "d MMMM y"))
    return vocab.AVAILABILITY.label(availability)


def card_texts() -> dict:
    """The labels every card repeats, translated once per request."""
    if "card_texts" not in g:
        g.card_texts = {
            "kinds": vocab.LISTING_KINDS.labels(),
            "costs": vocab.COSTS.labels(),
            "age": gettext("Leeftijd:"), "where": gettext("Waar:"), "when": gettext("Wanneer:"),
            "for_whom": gettext("Voor wie:"), "professionals": gettext("Voor leerkrachten en scholen"),
            "cost": gettext("Kostprijs:"), "flanders_wide": gettext("Vlaanderenbreed"), "online": gettext("online"),
            "distance": gettext("Afstand:"), "everywhere": gettext("heel Vlaanderen"),
            "under_one_km": gettext("minder dan 1 km"),
            "listing_url": listing_url_prefix(),
        }
    return g.card_texts


def facet_checkboxes(name: str, values: list) -> Markup:
    """The checkboxes of one search facet. Built here rather than in a Jinja loop: with about sixty values a
    page, this is the hottest loop of the busiest page."""
    field = escape(name)
    rows = []
    for value in values:
        code = escape(value.code)
        empty = "" if value.count or value.selected else " check-empty"
        checked = " checked" if value.selected else ""
        rows.append(
            f'<div class="check{empty}"><input type="checkbox" id="f-{field}-{code}" name="{field}" '
            f'value="{code}"{checked}><label for="f-{field}-{code}">{escape(value.label)} '
            f'<span class="count">({value.count})</span></label></div>'
        )
    return Markup("\n".join(rows))


def labels(codes: list[str], vocabulary: vocab.Vocabulary) -> str:
    return ", ".join(vocabulary.label(code) for code in codes)


def paragraphs(text: str | None) -> list[str]:
    """Paragraphs of a text typed with blank lines between them (any line ending)."""
    return [part.strip() for part in re.split(r"(?:\r?\n){2,}", text or "") if part.strip()]


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.globals.update(
        vocab=vocab, policy=policy, workflow=workflow, search_filters=FILTERS, sort_choices=SORT_CHOICES,
        when_choices=WHEN_CHOICES, km_choices=KM_CHOICES, default_km=DEFAULT_RADIUS_KM,
        age_range=age_range, when_text=when_text, availability_text=availability_text, card_texts=card_texts,
        facet_checkboxes=facet_checkboxes, listing_map=map_features.listing_collection, get_locale=get_locale,
        fields_in_error=fields_in_error, page_url=page_url,
    )
    app.jinja_env.filters.update(
        day_range=day_range, labels=labels, paragraphs=paragraphs, long_date=lambda d: format_date(d, "d MMMM y")
    )
