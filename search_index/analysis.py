"""Dutch text analysis, as providers write it and parents type it.

A word goes through: lowercase and accent folding (creëren = creeren); a small owned lexicon of what no data
source knows (meiden -> meisje, zonen -> zoon); its dictionary form from simplemma's lexicon (steden -> stad,
blaadjes -> blad, kinderen -> kind; lemmas.py); diminutive stripping (robotje -> robot) and a few plural rules
the stemmer misses (robots, technologieën) for words the lexicon does not know; Snowball's Kraaij-Pohlmann
Dutch stemmer (PyStemmer, in C), which keeps the ge- of a word the lexicon knows as a word (gebouw, gezondheid);
and undoubling of a final long vowel so that programmeer and programmeren meet.

Compounds split into parts by word frequencies (compounds.py: programmeerclub, wetenschapsweek,
sterrenkijkavond), on both sides: a document indexes each part, normalised like a free word, as a part term
(PART_MARK + term) beside the whole word, so that a part matches with less weight than the word itself; a query
compound matches documents holding all its parts. Synonym groups widen queries, not documents.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer
from whoosh.analysis import Filter, RegexTokenizer

from search_index import compounds, lemmas
from search_index.lexicon import IRREGULAR, STOP_WORDS, SYNONYM_GROUPS

_stemmer = Stemmer.Stemmer("dutch")
_DOUBLE_VOWEL_END = re.compile(r"(aa|ee|oo|uu)([^aeiouy]+)$")
TOKEN_PATTERN = r"\w+"
PART_MARK = "~"  # before the index term of a compound's part; never part of a token


def fold(text: str) -> str:
    """Lowercase without accents."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _strip_diminutive(word: str) -> str:
    if len(word) < 6:
        return word
    if word.endswith("jes"):
        word = word[:-1]
    if word.endswith("etje") and len(word) > 6 and word[-5] == word[-6]:
        return word[:-5]  # balletje -> bal, bolletje -> bol
    if word.endswith("je"):
        # robotje -> robot, kampje -> kamp, proefje -> proef. Rarer forms (boompje, cadeautje) keep a
        # letter too many; index and query agree on it all the same.
        return word[:-2]
    return word


def _strip_plural(word: str) -> str:
    if word.endswith("ieen"):
        return word[:-2]  # technologieen -> technologie
    if len(word) >= 5 and word.endswith("ts"):
        return word[:-1]  # robots -> robot (the stemmer keeps -ts)
    return word


def _stem_word(word: str, known: bool) -> str:
    stem = _stemmer.stemWord(word)
    if known and word.startswith("ge") and not stem.startswith("ge"):
        # The stemmer drops ge- as from a participle (gebouwd -> bouw); a ge- that is still there after the
        # lexicon gave the dictionary form belongs to the word (gebouw, gezondheid, gemeente).
        stem = "ge" + _stemmer.stemWord(word[2:])
    return stem


@lru_cache(maxsize=200_000)
def normalise(word: str) -> str:
    """The index term of one folded, lowercase word."""
    if word in IRREGULAR:
        return IRREGULAR[word]
    if word.isdigit():
        return word
    known = lemmas.known(word)
    base = lemmas.lemma(word) if known else _strip_plural(_strip_diminutive(word))
    if base in IRREGULAR:
        return IRREGULAR[base]
    stem = _stem_word(base, known)
    return _DOUBLE_VOWEL_END.sub(lambda m: m.group(1)[0] + m.group(2), stem)


@lru_cache(maxsize=200_000)
def compound_parts(word: str) -> tuple[str, ...]:
    """The normalised parts of a compound and of its parts (robotkamp -> robot, kamp; kerstkampje -> kerst,
    kamp), or ()."""
    if word in IRREGULAR:
        return ()
    # the dictionary form first: wetenschappen is wetenschap in the plural, not wetenschap + pen
    base = lemmas.lemma(word) if lemmas.known(word) else _strip_plural(_strip_diminutive(word))
    parts = compounds.split(base) or compounds.split(word)
    stems = tuple(map(normalise, parts))
    if normalise(word) in stems:
        return ()  # an inflection, not a compound
    # with the parts of its parts: sterrenkundecursus is sterrenkunde + cursus, and so also sterren + kunde
    return tuple(dict.fromkeys(stems + tuple(stem for part in parts for stem in compound_parts(part))))


def warm() -> None:
    """Load the language data now, not on the first word (before a process forks its index writers)."""
    lemmas.warm()
    compounds.warm()


class DutchFilter(Filter):
    """Normalises each token; with `compounds`, also emits the part terms of a compound at the same position."""

    def __init__(self, compounds: bool = True):
        self.compounds = compounds

    def __eq__(self, other):
        return isinstance(other, DutchFilter) and other.compounds == self.compounds

    def __call__(self, tokens):
        for token in tokens:
            word = fold(token.text)
            if word in STOP_WORDS or len(word) < 2:
                continue
            parts = compound_parts(word) if self.compounds and token.mode == "index" else ()
            token.text = normalise(word)
            yield token
            for part in parts:
                token.text = PART_MARK + part
                yield token


class FoldFilter(Filter):
    """Lowercase and accent folding only: for place names and the spelling vocabulary."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = fold(token.text)
            if len(token.text) >= 2:
                yield token


def dutch_analyzer():
    return RegexTokenizer(TOKEN_PATTERN) | DutchFilter()


def plain_analyzer():
    return RegexTokenizer(TOKEN_PATTERN) | FoldFilter()


def words(text: str) -> list[str]:
    """The folded words of a query, stop words and duplicates removed, in order."""
    found = [fold(w) for w in re.findall(TOKEN_PATTERN, text)]
    return list(dict.fromkeys(w for w in found if len(w) >= 2 and w not in STOP_WORDS))


@lru_cache(maxsize=1)
def _synonym_table() -> dict[str, frozenset[str]]:
    table: dict[str, frozenset[str]] = {}
    for group in SYNONYM_GROUPS:
        stems = frozenset(normalise(fold(member)) for member in group)
        for stem in stems:
            table[stem] = table.get(stem, frozenset()) | stems
    return table


def synonyms(stem: str) -> frozenset[str]:
    """The stem and every stem of its synonym groups."""
    return _synonym_table().get(stem, frozenset()) | {stem}
