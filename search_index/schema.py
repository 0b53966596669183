"""The index schema and its Dutch text analysis."""

from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.lang import stopwords_for_language
from whoosh.support.charset import accent_map

# Facet fields hold vocabulary codes; a document may carry several values per facet.
FACETS = ("kind", "age_group", "region", "target_group", "theme", "discipline", "format", "cost")


def dutch_analyzer():
    """Lowercase, accent folding (creëren = creeren), Dutch stop words and stemming (robots ~ robot)."""
    return (
        RegexTokenizer(r"\w+")
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(stoplist=stopwords_for_language("nl"), minsize=2)
        | StemFilter(lang="nl", cachesize=50000)
    )


def build_schema() -> Schema:
    analyzer = dutch_analyzer()
    facet_fields = {name: KEYWORD(commas=True, lowercase=False) for name in FACETS}
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer, field_boost=3.0),
        summary=TEXT(analyzer=analyzer, field_boost=2.0),
        body=TEXT(analyzer=analyzer),
        organisation=TEXT(analyzer=analyzer, field_boost=1.5),
        places=TEXT(analyzer=analyzer, field_boost=1.5),
        # Ordinal of the last day the listing runs; permanent and open-ended listings get date.max.
        last_day=NUMERIC(int, bits=32, signed=False),
        sort_title=ID(sortable=True),
        **facet_fields,
    )
