"""Search as the portal offers it: parameters from a URL, results as listings with highlights and facets.

The HTML search page and the JSON API both read SearchParams and call `search_listings`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from flask_babel import lazy_gettext as _l

from portal import clock
from portal.catalogue import vocab
from portal.catalogue.cards import Card, card_from_payload
from portal.catalogue.date_wording import day_range
from portal.catalogue.fields import MAX_AGE
from portal.reference import municipalities, places
from portal.reference.place_intent import read_place
from portal.search.documents import ONLINE
from portal.search.parent_words import read_parent_words
from portal.search.sync import searchable_index
from portal.search.time_words import read_time_words
from portal.search.when import WHEN_CHOICES, holidays_in, preset_period, search_period
from search_index import SORTS, Near, SearchQuery, clean_text

REGION_CHOICES = vocab.Vocabulary("region", [*((t.code, t.label) for t in vocab.REGIONS), (ONLINE, _l("Online"))])
SORT_CHOICES = vocab.Vocabulary("sort", [
    ("relevance", _l("Beste match")),
    ("soonest", _l("Eerstvolgende")),
    ("newest", _l("Nieuwste")),
    ("name", _l("Naam (A-Z)")),
    ("distance", _l("Afstand")),
])
MAX_PAGE = 500
INCLUDE_CANCELLED = "include_cancelled"  # the URL parameter; "1" shows cancelled offers too
YES = ("1", "true")

# The radius around a place named in the query or in `near` without `km`. A merged Flemish municipality spans
# up to some 15 km, and 15 km is the quarter of an hour by car (or an hour by bike) that surveys of parents
# name as the distance they drive to a weekly activity: the place itself and its neighbours, not the province.
DEFAULT_RADIUS_KM = 15
KM_CHOICES = (5, 10, 25, 50)  # the search page's "binnen ... km"; the API takes any radius up to MAX_KM
MAX_KM = 300  # farther than Flanders is wide
NEAREST_SHOWN = 5  # when nothing is within the radius: this many of the nearest offers instead
# Listings the search page's map shows at most (of all the search's pages): a map of a thousand offers is already
# one of clusters, and building them costs about as much as a results page of that size.
MAP_LIMIT = 1000


@dataclass(frozen=True)
class Filter:
    name: str  # the URL parameter, equal to the index's facet name
    label: object
    vocabulary: vocab.Vocabulary | None  # None: municipalities, from the reference data

    def accepts(self, code: str) -> bool:
        if self.vocabulary is None:
            return municipalities.get(code) is not None
        return code in self.vocabulary

    def label_of(self, code: str) -> str:
        if self.vocabulary is None:
            municipality = municipalities.get(code)
            return municipality.name if municipality else code
        return self.vocabulary.label(code)


FILTERS = {
    f.name: f
    for f in (
        Filter("kind", _l("Soort aanbod"), vocab.LISTING_KINDS),
        Filter("audience", _l("Voor wie"), vocab.AUDIENCES),
        Filter("age_group", _l("Leeftijd"), vocab.AGE_GROUP_VOCABULARY),
        Filter("region", _l("Provincie"), REGION_CHOICES),
        Filter("municipality", _l("Gemeente"), None),
        Filter("target_group", _l("Doelgroep"), vocab.TARGET_GROUPS),
        Filter("theme", _l("Thema"), vocab.THEMES),
        Filter("discipline", _l("STEM-domein"), vocab.DISCIPLINES),
        Filter("format", _l("Vorm"), vocab.FORMATS),
        Filter("cost", _l("Kostprijs"), vocab.COSTS),
        Filter("day", _l("Dag"), vocab.WEEKDAYS),
        Filter("part", _l("Dagdeel"), vocab.DAY_PARTS),
    )
}


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    age: int | None = None
    sort: str | None = None  # None: the default for the query (relevance with text, soonest without)
    page: int = 1
    when: str | None = None  # a WHEN_CHOICES code
    date_from: date | None = None  # a free range (URL: from, to), inclusive
    date_to: date | None = None
    include_cancelled: bool = False  # cancelled offers leave the results unless asked for
    near: str = ""  # a place name or postcode to search around
    km: int | None = None  # the radius around it, or around a place in the query (DEFAULT_RADIUS_KM without)
    lat: float | None = None  # a point to search around (apps), instead of `near`
    lon: float | None = None
    everywhere: bool = True  # with a place: also Flanders-wide and online offers ("overal=0" leaves them out)
    place_problem: str = ""  # why the place asked for cannot be placed (the API's reader): no results, this message
    words_taken: int = 0  # expressions of time and audience read from the query's words into the filters above

    @classmethod
    def from_args(cls, args) -> SearchParams:
        """Read a query string leniently: unknown codes are dropped, a bad number or date is ignored."""
        filters = {}
        for name, search_filter in FILTERS.items():
            codes = tuple(dict.fromkeys(code for code in args.getlist(name) if search_filter.accepts(code)))
            if codes:
                filters[name] = codes
        age = _number(args.get("age"))
        sort = args.get("sort")
        when = args.get("when")
        km = _number(args.get("km"))
        lat, lon = _degrees(args.get("lat")), _degrees(args.get("lon"))
        point = lat is not None and lon is not None and places.in_belgium(lat, lon)
        return cls(
            q=clean_text(args.get("q", "")),
            filters=filters,
            age=age if age is not None and 0 <= age <= MAX_AGE else None,
            sort=sort if sort in SORTS else None,
            page=min(max(_number(args.get("page")) or 1, 1), MAX_PAGE),
            when=when if when in WHEN_CHOICES else None,
            date_from=parse_day(args.get("from")),
            date_to=parse_day(args.get("to")),
            include_cancelled=args.get(INCLUDE_CANCELLED) in YES,
            near=clean_text(args.get("near", ""))[:100],
            km=km if km is not None and 1 <= km <= MAX_KM else None,
            lat=lat if point else None,
            lon=lon if point else None,
            everywhere="0" not in args.getlist("overal"),
        ).reading_query_words(clock.today())

    def reading_query_words(self, today: date) -> SearchParams:
        """These parameters with the query's time words ("woensdagnamiddag", "krokusvakantie") and a parent's
        words (parent_words: "voor mijn zoon", "activiteit") taken out of the text, and added as filters; a choice
        the visitor made wins over one in the words."""
        words = read_time_words(self.q, today)
        text, child = read_parent_words(words.text)
        if text == self.q:
            return self
        filters = dict(self.filters)
        for name, codes in (("day", words.days), ("part", words.parts)):
            if codes:
                filters[name] = tuple(dict.fromkeys((*filters.get(name, ()), *codes)))
        if child and "audience" not in filters:
            filters["audience"] = (vocab.YOUTH,)
        chose_days = self.when or self.date_from or self.date_to
        first, last = words.days_range if words.days_range and not chose_days else (self.date_from, self.date_to)
        return replace(self, q=text, filters=filters, when=self.when or words.when, date_from=first, date_to=last,
                       words_taken=words.taken + child)

    def period(self, today: date) -> tuple[date, date] | None:
        return search_period(self.when, self.date_from, self.date_to, today)

    def dates_label(self) -> str:
        """The free range in words, for its chip ("van 3 tot 9 maart 2027")."""
        return day_range(self.date_from, self.date_to)

    @property
    def effective_sort(self) -> str:
        if self.sort:
            return self.sort
        if self.q:
            return "relevance"  # near a place named in the query: the nearest first among equally relevant
        return "distance" if self.near or self.lat is not None else "soonest"

    def is_selected(self, name: str, code: str) -> bool:
        return code in self.filters.get(name, ())

    @property
    def active_filter_count(self) -> int:
        """How many removable chips these parameters give (the "Filters (3)" control): one per chosen value,
        the age, the period, the date range, the cancelled offers and the place asked for. A place read from the
        words gets its chip too; `SearchPage.filter_count` adds it. A new kind of filter counts here when it gets
        its chip."""
        return (sum(len(codes) for codes in self.filters.values()) + (self.age is not None) + bool(self.when)
                + bool(self.date_from or self.date_to) + self.include_cancelled
                + bool(self.near or self.lat is not None))

    def to_args(self, **changes) -> dict:
        """URL arguments for the first page of these parameters, with `changes` applied (e.g. page=2)."""
        args = {"q": self.q, **{name: list(codes) for name, codes in self.filters.items()},
                "age": self.age, "when": self.when, "from": _iso(self.date_from), "to": _iso(self.date_to),
                "sort": self.sort, INCLUDE_CANCELLED: 1 if self.include_cancelled else None, "near": self.near,
                "km": self.km, "lat": self.lat, "lon": self.lon, "overal": None if self.everywhere else "0"}
        args.update(changes)
        if args.get("page") == 1:
            del args["page"]
        return {key: value for key, value in args.items() if value not in ("", [], None)}

    def without(self, name: str, code: str | None = None) -> dict:
        """URL arguments without one filter value (or without the whole filter, the age, the period preset
        `when`, the free range `dates`, the cancelled offers or the place `near`)."""
        if name in ("age", "when", INCLUDE_CANCELLED):
            return self.to_args(**{name: None})
        if name == "dates":
            return self.to_args(**{"from": None, "to": None})
        if name == "near":
            return self.to_args(near=None, lat=None, lon=None, km=None, overal=None,
                                sort=None if self.sort == "distance" else self.sort)
        remaining = [c for c in self.filters.get(name, ()) if code is not None and c != code]
        changes = {name: remaining}
        if name == "region" and not remaining:
            changes["municipality"] = []  # municipalities are chosen within a province
        return self.to_args(**changes)


def _number(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def parse_day(value) -> date | None:
    """An ISO date (2027-02-08) of a year a search can mean, or None for anything else."""
    try:
        day = date.fromisoformat(value) if value and len(value) == 10 else None
    except ValueError:
        return None
    return day if day and 1900 <= day.year <= 2999 else None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _degrees(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if -180 <= number <= 180 else None


@dataclass(frozen=True)
class Where:
    """The place a search looks around: named in the query, in `near`, or given as a point."""

    label: str  # "Hasselt", "8000", "50.9310, 5.3378"
    latitude: float
    longitude: float
    km: int
    everywhere: bool
    remove_args: dict  # the search without it
    from_query: bool = False  # read from the words of the query

    def near(self, within_radius: bool = True) -> Near:
        """The engine's query: within the radius, or (for the nearest offers) at any distance."""
        return Near(self.latitude, self.longitude, self.km if within_radius else None, self.everywhere)

    @property
    def chip(self) -> str:
        return str(_l("in de buurt van %(place)s, %(km)s km", place=self.label, km=self.km))


@dataclass(frozen=True)
class _Resolved:
    text: str  # what the engine searches for
    where: Where | None
    tentative: Where | None = None  # a place named by an ordinary word: used only if the text finds nothing
    tentative_text: str = ""
    unknown_place: str | None = None  # why the place asked for is unknown: then nothing is searched


def _where(params: SearchParams, place: places.Place, written: str | None = None) -> Where:
    remove = params.to_args(q=_without(params.q, written)) if written is not None else params.without("near")
    return Where(label=place.name, latitude=place.latitude, longitude=place.longitude,
                 km=params.km or DEFAULT_RADIUS_KM, everywhere=params.everywhere, remove_args=remove,
                 from_query=written is not None)


def _without(q: str, written: str) -> str:
    return " ".join(q.replace(written, " ", 1).split())


def _resolve(params: SearchParams) -> _Resolved:
    """The text to search for and the place to search around (see place_intent for how a query names one)."""
    if params.place_problem:
        return _Resolved(params.q, None, unknown_place=params.place_problem)
    intent = read_place(params.q) if params.q else None
    if params.lat is not None and params.lon is not None:
        point = places.Place(f"{params.lat:.4f}, {params.lon:.4f}", "point", params.lat, params.lon, "")
        return _Resolved(intent.text if intent and intent.certain else params.q, _where(params, point))
    if params.near:
        place = places.lookup(params.near)
        if place is None:
            return _Resolved(params.q, None, unknown_place=str(_l(
                "We kennen geen Vlaamse of Brusselse gemeente, deelgemeente of postcode ‘%(place)s’.",
                place=params.near)))
        return _Resolved(intent.text if intent and intent.certain else params.q, _where(params, place))
    if intent is None:
        return _Resolved(params.q, None)
    if intent.certain:
        return _Resolved(intent.text, _where(params, intent.place, intent.written))
    return _Resolved(params.q, None, tentative=_where(params, intent.place, intent.written),
                     tentative_text=intent.text)


@dataclass(frozen=True)
class FacetValue:
    code: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Widening:
    """A way out of an empty result: drop one filter, and how many results that gives."""

    label: str
    args: dict
    total: int


@dataclass(frozen=True)
class SearchPage:
    results: list[Card]
    total: int
    page: int
    page_count: int
    facets: dict[str, list[FacetValue]]
    suggestion: str | None
    age: int | None
    widenings: list[Widening]
    when_options: list[tuple[str, str]]  # (WHEN_CHOICES code, its label with the days it means today)
    where: Where | None = None
    nearest: list[Card] = field(default_factory=list)  # nothing within the radius: the nearest offers instead
    unknown_place: str | None = None  # the place asked for is unknown: no results, and this message
    filter_count: int = 0  # the removable chips shown, for the "Filters (3)" control


def _shown_facets(params: SearchParams) -> tuple[str, ...]:
    """The facets the page shows: municipalities only within one chosen province."""
    one_region = len(params.filters.get("region", ())) == 1
    return tuple(name for name in FILTERS if name != "municipality" or one_region)


def _query(params: SearchParams, today: date, page_size: int, resolved: _Resolved | None = None) -> SearchQuery:
    resolved = resolved or _resolve(params)
    where = resolved.where
    period = params.period(today)
    return SearchQuery(
        text=resolved.text,
        understood=params.words_taken + bool(where and where.from_query),
        near=where.near() if where else None,
        filters={name: frozenset(codes) for name, codes in params.filters.items()},
        exclude={} if params.include_cancelled else {"availability": frozenset({vocab.CANCELLED})},
        age=params.age,
        today=today,
        period=period,
        holidays=holidays_in(period) if period and period[0] <= period[1] else (),
        sort=params.effective_sort,
        page=params.page,
        page_size=page_size,
        facets=_shown_facets(params),
    )


def _facet_values(params: SearchParams, counts: dict[str, dict[str, int]]) -> dict[str, list[FacetValue]]:
    shown = {}
    for name, search_filter in FILTERS.items():
        if name not in counts:
            continue  # not counted: not shown
        found = counts[name]
        if search_filter.vocabulary is None:
            region = params.filters["region"][0]
            codes = [m.code for m in municipalities.all_municipalities() if m.region == region]
            codes = [code for code in codes if found.get(code) or params.is_selected(name, code)]
        else:
            codes = list(search_filter.vocabulary.codes)
        labels = search_filter.vocabulary.labels() if search_filter.vocabulary else None
        shown[name] = [
            FacetValue(code, labels[code] if labels else search_filter.label_of(code), found.get(code, 0),
                       params.is_selected(name, code))
            for code in codes
        ]
    return shown


def _widenings(params: SearchParams, today: date) -> list[Widening]:
    """For an empty result: each filter (and the age) whose removal alone gives results, with their number."""
    candidates = [
        (f"{FILTERS[name].label}: {', '.join(FILTERS[name].label_of(code) for code in codes)}", name,
         replace(params, filters={k: v for k, v in params.filters.items() if k != name}))
        for name, codes in params.filters.items()
    ]
    if params.age is not None:
        candidates.append((str(_l("Leeftijd %(age)s jaar", age=params.age)), "age", replace(params, age=None)))
    if params.when:
        candidates.append((WHEN_CHOICES.label(params.when), "when", replace(params, when=None)))
    if params.date_from or params.date_to:
        candidates.append((params.dates_label(), "dates", replace(params, date_from=None, date_to=None)))
    widenings = []
    for label, name, wider in candidates:
        total = searchable_index().search(replace(_query(wider, today, 1, _resolve(wider)), page=1, facets=())).total
        if total:
            widenings.append(Widening(label, params.without(name), total))
    return widenings


def _cards(hits) -> list[Card]:
    # The index holds only published listings and their card data: a results page needs no database query.
    return [card_from_payload(hit.display, hit.title_html, hit.snippet_html, hit.distance_km) for hit in hits]


def _searched(params: SearchParams, today: date, page_size: int, as_page: bool = True):
    """The place and the engine's result: for a results page, with the facets' counts and highlighted snippets;
    otherwise (a map, an export) only the hits. A place named by an ordinary word without a clue ("robot mol",
    "robot as") is read both ways, and the place wins when the words as text find nothing as typed (no results,
    or only by correcting a word) or fewer results than around the place: "robot as" finds one listing in Asse by
    its name, and four robot clubs near As."""
    def query(resolved: _Resolved, size: int) -> SearchQuery:
        found = _query(params, today, size, resolved)
        return found if as_page else replace(found, facets=(), highlight=False)

    resolved = _resolve(params)
    if resolved.unknown_place:
        # an unknown place finds nothing rather than everything: a typo must not widen the search
        return resolved, replace(searchable_index().search(query(resolved, 1)), hits=[], total=0, facets={}, page=1)
    result = searchable_index().search(query(resolved, page_size))
    if resolved.tentative is not None:
        around = _Resolved(resolved.tentative_text, resolved.tentative)
        around_result = searchable_index().search(query(around, page_size))
        if result.total == 0 or result.suggestion is not None or around_result.total > result.total:
            return around, around_result
    return resolved, result


def _nearest(params: SearchParams, today: date, resolved: _Resolved, result) -> list[Card]:
    """Nothing within the radius: the nearest offers at any distance instead."""
    if resolved.where is None or result.total:
        return []
    wider = replace(_query(params, today, NEAREST_SHOWN, resolved), near=resolved.where.near(within_radius=False),
                    sort="distance", page=1, facets=())
    return [card for card in _cards(searchable_index().search(wider).hits) if card.distance_km is not None]


def search_listings(params: SearchParams, today: date, page_size: int) -> SearchPage:
    resolved, result = _searched(params, today, page_size)
    results = _cards(result.hits)
    nearest = _nearest(params, today, resolved, result)
    return SearchPage(
        where=resolved.where,
        nearest=nearest,
        unknown_place=resolved.unknown_place,
        results=results,
        total=result.total,
        page=result.page,
        page_count=result.page_count,
        facets=_facet_values(params, result.facets),
        suggestion=result.suggestion,
        age=result.age,
        widenings=_widenings(params, today) if result.total == 0 and not nearest else [],
        when_options=when_options(today),
        filter_count=params.active_filter_count + bool(resolved.where and resolved.where.from_query),
    )


def when_options(today: date) -> list[tuple[str, str]]:
    """The period presets as the search form offers them: "Krokusvakantie (van 8 tot 14 februari 2027)"."""
    return [(code, f"{label} ({day_range(*preset_period(code, today))})")
            for code, label in WHEN_CHOICES.labels().items()]


@dataclass(frozen=True)
class MapResults:
    """What the search page's map shows: the listings of every page of the search (or the nearest offers when
    nothing is within the radius), at most `limit` of them, in the page's order."""

    cards: list[Card]
    total: int  # how many the search finds (more than `cards` when capped)
    where: Where | None

    @property
    def capped(self) -> bool:
        return self.total > len(self.cards)

    @property
    def unplaced(self) -> int:
        """Listings shown that have no point of their own (Flanders-wide, online)."""
        return sum(1 for card in self.cards if not card.points)


def map_results(params: SearchParams, today: date, limit: int = MAP_LIMIT) -> MapResults:
    resolved, result = _searched(replace(params, page=1), today, limit, as_page=False)
    nearest = _nearest(params, today, resolved, result)
    if nearest:
        return MapResults(nearest, len(nearest), resolved.where)
    return MapResults(_cards(result.hits), result.total, resolved.where)


def matching_listing_ids(params: SearchParams, today: date, limit: int) -> tuple[list[int], int]:
    """The ids of the listings the search page shows for `params` over all its pages, in its order (at most
    `limit`), and how many match."""
    _, result = _searched(replace(params, page=1), today, limit, as_page=False)
    return [int(hit.id) for hit in result.hits], result.total


def published_counts(today: date) -> dict[str, dict[str, int]]:
    """What the search page would count for an empty search (past and cancelled activities excluded): per
    audience, and per kind among the offers for children and young people (the home page's entries)."""
    params = SearchParams(filters={"audience": (vocab.YOUTH,)})
    result = searchable_index().search(replace(_query(params, today, 1), facets=("kind", "audience")))
    return {"youth_kind": result.facets.get("kind", {}), "audience": result.facets.get("audience", {})}
