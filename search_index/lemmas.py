"""Dictionary forms of Dutch words from simplemma's Dutch lexicon (MIT; built from open Wiktionary-derived
word lists), for what the Kraaij-Pohlmann stemmer cannot join: irregular plurals and diminutives (steden ->
stad, schepen -> schip, blaadjes -> blaadje -> blad), plurals in -eren (kinderen, eieren), verb forms
(gerecycleerd -> recycleren).

The lexicon is loaded on first use (a few seconds, about 60 MB): `warm()` does it up front, before a process
forks its index writers.
"""

from __future__ import annotations

from functools import lru_cache

import simplemma

LANGUAGE = "nl"
ROUNDS = 2  # a diminutive plural is two steps from its noun: blaadjes -> blaadje -> blad


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The dictionary form of a folded word (lowercase), or the word itself when the lexicon does not know it."""
    for _ in range(ROUNDS):
        found = simplemma.lemmatize(word, lang=LANGUAGE).casefold()
        if found == word or not found.isalpha():
            break
        word = found
    return word


def known(word: str) -> bool:
    return simplemma.is_known(word, lang=LANGUAGE)


def warm() -> None:
    lemma.__wrapped__("kinderen")
