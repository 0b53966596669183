"""From the words a user typed to matching documents and their scores, as arrays over a snapshot.

Each word matches through its stem in every text field, and with less weight through its synonyms, through
the compounds of documents it is a part of (robot in robotkamp), through its own parts when it is a compound
(programmeerclub = programmeer + club, found as words or as parts), through terms it is a prefix of, and
through its place-name form. A word found nowhere is split into two words of the index's vocabulary when it
was written as one (repaircafe), or else corrected to a close word of that vocabulary (robto), and is
otherwise left out. With three or more words, a document must match half of them (at least two; words like
zoon or activiteit that only say whom or what a parent looks for rank without counting here), so that
"paasvakantie activiteit kinderen berlare" still finds the Easter activity in Berlare. Words the caller already
took out of the text as filters (the place, the period, the age) count as matched: "activiteit kinderen" with
Berlare and the Easter holidays understood needs one of its two words. Documents rank
first by the words they match, each word weighted by how rare it is (berlare counts for more than
kinderen); among those matching every word, the documents whose title or summary names every word (each
through any of the routes above) come first: they are about the query, not merely mentioning it. Then BM25 per
field, weighted title > summary > organisation/places > body.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from search_index.analysis import PART_MARK, compound_parts, normalise, synonyms, words
from search_index.lexicon import SOFT_WORDS
from search_index.schema import TEXT_FIELDS
from search_index.snapshot import Snapshot
from search_index.spelling import Speller

K1, B = 1.2, 0.75
PREFIX_WEIGHT = 0.3  # a word that only starts a longer term counts for less
PART_WEIGHT = 0.7  # a word found only as part of a compound counts for less than the word itself
SYNONYM_WEIGHT = 0.8  # a related word counts for less than the word typed
MIN_PREFIX = 4
MAX_WORDS = 12
COVERAGE = 100.0  # times a matched word's idf: outweighs any BM25 difference within the word
PLAIN_FIELDS = frozenset({"places"})
CENTRAL_FIELDS = frozenset({"title", "summary"})
_SOFT = frozenset(normalise(word) for word in SOFT_WORDS)

AGE_PATTERNS = (
    re.compile(r"\b(\d{1,2})\s*-?\s*(?:jaar|jarige|jarigen|jr)\b", re.IGNORECASE),
    re.compile(r"\bvan\s+(\d{1,2})\b(?!\s*(?:tot|-|jaar))", re.IGNORECASE),
    re.compile(r"\b(?:is|wordt)\s+(\d{1,2})\b(?!\s*(?:tot|-))", re.IGNORECASE),  # "mijn kind is 9"
)


def extract_age(text: str) -> tuple[str, int | None]:
    """Parents type ages in the query ("robotkamp 10 jaar", "mijn dochter van 9"): take them out as a filter."""
    for pattern in AGE_PATTERNS:
        found = pattern.search(text)
        if found and 2 <= int(found.group(1)) <= 99:
            return (text[: found.start()] + " " + text[found.end():]).strip(), int(found.group(1))
    return text, None


@dataclass
class TextMatch:
    mask: np.ndarray
    score: np.ndarray
    stems: set[str] = field(default_factory=set)  # index terms to highlight
    places: set[str] = field(default_factory=set)
    # how much of the query a document matches: the idf of the words it matches, summed (equal = as relevant)
    coverage: np.ndarray | None = None
    corrections: dict[str, str] = field(default_factory=dict)  # typed word -> corrected word


class Matcher:
    def __init__(self, snapshot: Snapshot, speller: Callable[[], Speller]):
        self.snapshot = snapshot
        self.speller = speller  # built only when a word needs correcting

    def _add(self, mask, score, field_name: str, term: str, weight: float, frequency: int | None = None) -> bool:
        """Score the documents holding `term`, by its rarity or by that of `frequency` documents when given."""
        docs, frequencies = self.snapshot.postings(field_name, term)
        if not len(docs):
            return False
        if field_name == "body":
            lengths = self.snapshot.numbers["body_length"][docs] / self.snapshot.average_body_length
            norm = K1 * (1 - B + B * lengths)
        else:
            norm = K1
        idf = self.snapshot.idf(len(docs) if frequency is None else frequency)
        score[docs] += weight * idf * frequencies * (K1 + 1) / (frequencies + norm)
        mask[docs] = True
        return True

    def _word(self, word: str, match: TextMatch) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The documents matching one word, their scores, and those matching it in the title or summary."""
        count = self.snapshot.count
        mask, central = np.zeros(count, dtype=bool), np.zeros(count, dtype=bool)
        score = np.zeros(count, dtype=np.float32)
        stem = normalise(word)
        stems = synonyms(stem)
        for name, boost in TEXT_FIELDS.items():
            field_mask = np.zeros(count, dtype=bool)
            if name in PLAIN_FIELDS:
                if self._add(field_mask, score, name, word, boost):
                    match.places.add(word)
            else:
                # a word and its synonyms are one concept: scored by the rarity of all of them together, so
                # that a rarer synonym does not outweigh the word typed
                terms = [(term, marked) for term in stems for marked in (term, PART_MARK + term)]
                together = len(np.unique(np.concatenate([self.snapshot.postings(name, t)[0] for _, t in terms])))
                for term, marked in terms:
                    weight = boost if term == stem else boost * SYNONYM_WEIGHT
                    weight *= 1 if marked == term else PART_WEIGHT
                    if self._add(field_mask, score, name, marked, weight, together):
                        match.stems.add(term)
                if len(word) >= MIN_PREFIX:
                    for term in self.snapshot.prefix_terms(name, stem):
                        if term not in stems and self._add(field_mask, score, name, term, boost * PREFIX_WEIGHT):
                            match.stems.add(term)
            mask |= field_mask
            if name in CENTRAL_FIELDS:
                central |= field_mask
        parts = compound_parts(word)
        if parts:
            part_masks, part_centrals = [], []
            part_score = np.zeros(count, dtype=np.float32)
            for part in parts:
                part_mask, part_central = np.zeros(count, dtype=bool), np.zeros(count, dtype=bool)
                for name, boost in TEXT_FIELDS.items():
                    if name in PLAIN_FIELDS:
                        continue
                    field_mask = np.zeros(count, dtype=bool)
                    for term in (part, PART_MARK + part):
                        self._add(field_mask, part_score, name, term, boost * PART_WEIGHT)
                    part_mask |= field_mask
                    if name in CENTRAL_FIELDS:
                        part_central |= field_mask
                part_masks.append(part_mask)
                part_centrals.append(part_central)
            all_parts = np.logical_and.reduce(part_masks)
            if all_parts.any():
                match.stems.update(parts)
                mask |= all_parts
                score += np.where(all_parts, part_score, 0)
                central |= np.logical_and.reduce(part_centrals)
        return mask, score, central

    def match(self, text: str, understood: int = 0) -> TextMatch | None:
        """Documents matching `text`, or None when there are no words to search for. `understood` words of the
        query were met otherwise (as filters) and count towards the half a document must match."""
        typed = words(text)[:MAX_WORDS]
        if not typed:
            return None
        live = self.snapshot.live
        match = TextMatch(mask=np.zeros(self.snapshot.count, dtype=bool),
                          score=np.zeros(self.snapshot.count, dtype=np.float32))
        found = []
        for word in typed:
            mask, score, central = self._word(word, match)
            if not (mask & live).any() and (halves := self.speller().split(word)):
                (left, left_score, left_central), (right, right_score, right_central) = (
                    self._word(half, match) for half in halves)
                mask, score, central = left & right, left_score + right_score, left_central & right_central
            if not (mask & live).any():
                corrected = self.speller().correct(word)
                if corrected:
                    mask, score, central = self._word(corrected, match)
                    if (mask & live).any():
                        match.corrections[word] = corrected
            if (mask & live).any():
                found.append((mask, score, central, normalise(word) in _SOFT))
        if not found:
            match.coverage = match.score
            return match  # words, but none of them anywhere: no results
        # soft words (zoon, activiteit) rank but do not restrict, unless there is nothing else
        firm = [entry for entry in found if not entry[3]] or found
        concepts = len(firm) + understood
        required = len(firm) if concepts <= 2 else max(1, max(2, math.ceil(concepts / 2)) - understood)
        matched = np.sum([mask for mask, _, _, _ in firm], axis=0)
        match.mask = (matched >= required) & live
        idfs = [self.snapshot.idf(int((mask & live).sum())) for mask, _, _, _ in found]
        coverage = np.sum([mask * idf for (mask, _, _, _), idf in zip(found, idfs, strict=True)], axis=0)
        # about the query: every firm word in the title or summary; ranks above any document that is not
        central = np.logical_and.reduce([central for _, _, central, _ in firm])
        match.score = (np.sum([score for _, score, _, _ in found], axis=0) + COVERAGE * coverage
                       + COVERAGE * sum(idfs) * central)
        match.coverage = np.round(coverage, 6)
        return match
