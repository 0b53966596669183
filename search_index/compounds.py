"""Compounds split into the words they are made of, from Dutch word frequencies (the `wordfreq` package:
subtitles, Wikipedia, news and web text; data CC BY-SA 4.0).

Dutch writes a compound as one word (programmeerclub, wetenschapsweek, sterrenkijkavond), and a provider's
text and a parent's query seldom use the same one. A word splits where every part is a Dutch word of the
frequency list and the parts together are likelier than the whole (Koehn & Knight, 2003: the mean log
frequency of the parts against the whole word's), with the linking sounds -s-, -e- and -en- between parts.
Words common in their own right (programmeren, voorstellen, leerkrachten) are not split: their meaning is their
own. Parts come back as written; the caller normalises them like free words.
"""

from __future__ import annotations

import math
from functools import lru_cache

from wordfreq import get_frequency_dict

from search_index import lemmas
from search_index.lexicon import NOT_PARTS, STOP_WORDS

LANGUAGE = "nl"
MIN_PART = 3
MIN_PART_ZIPF = 2.0  # rarer words are too often names, typos or fragments to be a part
FREE_PART_ZIPF = 2.9  # a rarer part must be a word of the Dutch lexicon (not programm, tjes, robo)
SHORT_PART_ZIPF = 4.3  # a three-letter part must be a common Dutch word (les, dag, zon), not an ending (ers)
LEXICALISED_ZIPF = 4.5  # a word this common stays whole
SPLIT_MARGIN = 0.5  # a known word splits only when its parts are clearly likelier (not program + meren)
LINKS = ("", "s", "en", "e")


@lru_cache(maxsize=1)
def _zipfs() -> dict[str, float]:
    """Folded, alphabetic words of the frequency list with their Zipf value (log10 of uses per 10^9 words)."""
    from search_index.analysis import fold

    found: dict[str, float] = {}
    for word, frequency in get_frequency_dict(LANGUAGE, wordlist="large").items():
        zipf = math.log10(frequency * 1e9)
        if zipf < MIN_PART_ZIPF:
            break  # the list is ordered by frequency
        if word.isalpha():
            found.setdefault(fold(word), zipf)
    return found


def zipf(word: str) -> float:
    return _zipfs().get(word, 0.0)


def _part_zipf(word: str) -> float:
    if word in STOP_WORDS or word in NOT_PARTS or len(word) < MIN_PART:
        return 0.0
    value = zipf(word)
    if len(word) == MIN_PART and (value < SHORT_PART_ZIPF or not lemmas.known(word)):
        return 0.0  # nor an English word in Dutch text (and, the)
    if value >= FREE_PART_ZIPF:
        return value
    # a word of the lexicon too rare for the frequency list still is one (soldeer, knutsel)
    return max(value, MIN_PART_ZIPF) if lemmas.known(word) else 0.0


@lru_cache(maxsize=200_000)
def _best(word: str) -> tuple[tuple[str, ...], float] | None:
    """The likeliest reading of `word` as two or more parts, and the parts' mean Zipf value: the fewest parts
    first (otherwise short frequent words would cut up every long one: weten + schappen), then the likeliest."""
    best = None
    for cut in range(MIN_PART, len(word) - MIN_PART + 1):
        head, tail = word[:cut], word[cut:]
        readings = []
        if tail_zipf := _part_zipf(tail):
            readings.append(((tail,), tail_zipf))
        if split_tail := _best(tail):
            readings.append(split_tail)
        if not readings:
            continue
        for link in LINKS:
            if link and not head.endswith(link):
                continue
            left = head[: len(head) - len(link)]
            lefts = [left]
            if link in ("e", "en") and len(left) > MIN_PART and left[-1] == left[-2]:
                lefts.append(left[:-1])  # a short vowel doubles the consonant before -e(n)-: zonnewagen, bruggenbouw
            for left in lefts:
                if not (left_zipf := _part_zipf(left)):
                    continue
                for parts, mean in readings:
                    reading = ((left, *parts), (left_zipf + mean * len(parts)) / (1 + len(parts)))
                    if best is None or (-len(reading[0]), reading[1]) > (-len(best[0]), best[1]):
                        best = reading
    return best


@lru_cache(maxsize=200_000)
def split(word: str) -> tuple[str, ...]:
    """The parts of a folded compound (robotkamp -> robot, kamp; wetenschapsweek -> wetenschap, week), or ()."""
    whole = zipf(word)
    if whole >= LEXICALISED_ZIPF or len(word) < 2 * MIN_PART:
        return ()
    best = _best(word)
    return best[0] if best and best[1] > (whole + SPLIT_MARGIN if whole else 0.0) else ()


def warm() -> None:
    _zipfs()
