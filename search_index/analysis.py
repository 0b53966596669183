"""Dutch text analysis, as parents type it.

A word goes through: lowercase and accent folding (creëren = creeren); a small owned lexicon of irregular
forms that no stemmer joins (kinderen -> kind, meisjes -> meisje); diminutive stripping (robotje -> robot,
balletje -> bal); a few plural rules the stemmer misses (robots, technologieën); Snowball's Kraaij-Pohlmann
Dutch stemmer (PyStemmer, in C); and undoubling of a final long vowel so that programmeer and programmeren
meet. Compounds built from known parts (programmeerclub, robotkamp, zomerkamp) are also indexed as their
parts. Synonym groups widen queries, not documents.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer
from whoosh.analysis import Filter, RegexTokenizer

from search_index.lexicon import COMPOUND_PARTS, IRREGULAR, STOP_WORDS, SYNONYM_GROUPS

_stemmer = Stemmer.Stemmer("dutch")
_DOUBLE_VOWEL_END = re.compile(r"(aa|ee|oo|uu)([^aeiouy]+)$")
TOKEN_PATTERN = r"\w+"
MIN_PART = 3  # shortest compound part


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


@lru_cache(maxsize=200_000)
def normalise(word: str) -> str:
    """The index term of one folded, lowercase word."""
    if word in IRREGULAR:
        return IRREGULAR[word]
    if word.isdigit():
        return word
    base = _strip_plural(_strip_diminutive(word))
    if base in IRREGULAR:
        return IRREGULAR[base]
    stem = _stemmer.stemWord(base)
    return _DOUBLE_VOWEL_END.sub(lambda m: m.group(1)[0] + m.group(2), stem)


def _part_stem(part: str) -> str | None:
    if len(part) >= MIN_PART and part in COMPOUND_PARTS:
        return normalise(part)
    return None


@lru_cache(maxsize=100_000)
def compound_parts(word: str) -> tuple[str, ...]:
    """The normalised parts of a compound of known parts (robotkamp -> robot, kamp), or ()."""
    if word in COMPOUND_PARTS or word in IRREGULAR:
        return ()
    word = _strip_plural(_strip_diminutive(word))  # kerstkampje -> kerstkamp
    if len(word) < 2 * MIN_PART or word in COMPOUND_PARTS:
        return ()
    for split in range(len(word) - MIN_PART, MIN_PART - 1, -1):  # longest head first
        head, tail = word[:split], word[split:]
        tail_stem = _part_stem(tail)
        tail_parts = (tail_stem,) if tail_stem else compound_parts(tail)
        if not tail_parts:
            continue
        for joint in ("", "s", "en", "e"):  # linking sounds: wetenschapsweek, sterrenkijken
            if joint and not head.endswith(joint):
                continue
            left = head[: len(head) - len(joint)] if joint else head
            left_stem = _part_stem(left)
            if left_stem:
                return (left_stem, *tail_parts)
    return ()


class DutchFilter(Filter):
    """Normalises each token; with `compounds`, also emits the parts of known compounds at the same position."""

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
                if part != token.text:
                    token.text = part
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


_SYNONYMS: dict[str, frozenset[str]] = {}
for _group in SYNONYM_GROUPS:
    _stems = frozenset(normalise(fold(member)) for member in _group)
    for _stem in _stems:
        _SYNONYMS[_stem] = _SYNONYMS.get(_stem, frozenset()) | _stems


def synonyms(stem: str) -> frozenset[str]:
    """The stem and every stem of its synonym groups."""
    return _SYNONYMS.get(stem, frozenset()) | {stem}
