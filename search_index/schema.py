"""The index schema: analysed text fields, facet keyword fields, and per-document value columns."""

from whoosh import columns
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema

from search_index.analysis import dutch_analyzer, plain_analyzer

# Text fields and their weight in scoring: title above summary above body.
TEXT_FIELDS = {"title": 3.0, "summary": 2.0, "organisation": 1.5, "places": 1.5, "body": 1.0}
# Facet fields hold vocabulary codes; a document may carry several values per facet.
FACETS = ("kind", "audience", "age_group", "region", "municipality", "target_group", "theme", "discipline", "format",
          "cost", "availability", "day", "part")
# Per-document values, read as whole columns per segment. Open ends are stored as these sentinels.
# `weekdays` is a bit mask of the session weekdays (bit 0 Monday; 0: any day), `skips_holidays` 1 or 0.
# `last_day` is when an offer takes place last (periods), `joinable_until` the last day one can still join it.
# everywhere: 1 for an offer that is not bound to its locations (Flanders-wide or online).
# confirmed: the day its organisation last confirmed it (0: not known), for ranking fresher offers higher.
NUMBER_COLUMNS = {"min_age": -1, "max_age": 999, "start": 0, "last_day": 99_999_999,
                  "joinable_until": 99_999_999, "published": 0, "confirmed": 0,
                  "body_length": 0, "weekdays": 0, "skips_holidays": 0, "ageless": 0, "sinks": 0, "everywhere": 0}


def build_schema() -> Schema:
    stemmed, plain = dutch_analyzer(), plain_analyzer()
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        title=TEXT(analyzer=stemmed, stored=True),
        summary=TEXT(analyzer=stemmed, stored=True),
        body=TEXT(analyzer=stemmed, stored=True),
        organisation=TEXT(analyzer=stemmed, stored=True),
        places=TEXT(analyzer=plain, stored=True),
        spelling=TEXT(analyzer=plain),  # surface words of all text, for "bedoelde je"
        display=STORED,  # the caller's own data for showing a hit, returned as it was given
        version=COLUMN(columns.VarBytesColumn()),  # the source row's version, for reconciling
        sort_title=COLUMN(columns.VarBytesColumn()),
        points=COLUMN(columns.VarBytesColumn()),  # the locations as float64 (latitude, longitude) pairs, degrees
        **{name: KEYWORD(commas=True, lowercase=False) for name in FACETS},
        **{name: COLUMN(columns.NumericColumn("q", default=default)) for name, default in NUMBER_COLUMNS.items()},
    )
