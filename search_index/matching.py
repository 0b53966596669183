"""From the words a user typed to matching documents and their scores, as arrays over a snapshot.

Each word matches through its stem and synonyms in every text field, through the parts of a compound
(programmeerclub = programmeer + club), through terms it is a prefix of, and through its place-name
form. A word found nowhere is split into two words of the index's vocabulary when it was written as one
(repaircafe), or else corrected to a close word of that vocabulary (robto), and is otherwise left out.
With three or more words, a document must match half of them (at least two), so that
"paasvakantie activiteit kinderen berlare" still finds the Easter activity in Berlare. Words the caller already
took out of the text as filters (the place, the period, the age) count as matched: "activiteit kinderen" with
Berlare and the Easter holidays understood needs one of its two words. Documents rank
first by the words they match, each word weighted by how rare it is (berlare counts for more than
kinderen), then by BM25 per field, weighted title > summary > organisation/places > body.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from search_index.analysis import compound_parts, normalise, synonyms, words
from search_index.schema import TEXT_FIELDS
from search_index.snapshot import Snapshot
from search_index.spelling import Speller

K1, B = 1.2, 0.75
PREFIX_WEIGHT = 0.3  # a word that only starts a longer term counts for less
PART_WEIGHT = 0.7
MIN_PREFIX = 4
MAX_WORDS = 12
COVERAGE = 100.0  # times a matched word's idf: outweighs any BM25 difference within the word
PLAIN_FIELDS = frozenset({"places"})

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

    def _add(self, mask, score, field_name: str, term: str, weight: float) -> bool:
        docs, frequencies = self.snapshot.postings(field_name, term)
        if not len(docs):
            return False
        if field_name == "body":
            lengths = self.snapshot.numbers["body_length"][docs] / self.snapshot.average_body_length
            norm = K1 * (1 - B + B * lengths)
        else:
            norm = K1
        score[docs] += weight * self.snapshot.idf(len(docs)) * frequencies * (K1 + 1) / (frequencies + norm)
        mask[docs] = True
        return True

    def _word(self, word: str, match: TextMatch) -> tuple[np.ndarray, np.ndarray]:
        count = self.snapshot.count
        mask, score = np.zeros(count, dtype=bool), np.zeros(count, dtype=np.float32)
        stem = normalise(word)
        stems = synonyms(stem)
        for name, boost in TEXT_FIELDS.items():
            if name in PLAIN_FIELDS:
                if self._add(mask, score, name, word, boost):
                    match.places.add(word)
                continue
            for term in stems:
                if self._add(mask, score, name, term, boost):
                    match.stems.add(term)
            if len(word) >= MIN_PREFIX:
                for term in self.snapshot.prefix_terms(name, stem):
                    if term not in stems and self._add(mask, score, name, term, boost * PREFIX_WEIGHT):
                        match.stems.add(term)
        parts = compound_parts(word)
        if parts:
            part_masks = []
            part_score = np.zeros(count, dtype=np.float32)
            for part in parts:
                part_mask = np.zeros(count, dtype=bool)
                for name, boost in TEXT_FIELDS.items():
                    if name not in PLAIN_FIELDS:
                        self._add(part_mask, part_score, name, part, boost * PART_WEIGHT)
                part_masks.append(part_mask)
            all_parts = np.logical_and.reduce(part_masks)
            if all_parts.any():
                match.stems.update(parts)
                mask |= all_parts
                score += np.where(all_parts, part_score, 0)
        return mask, score

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
            mask, score = self._word(word, match)
            if not (mask & live).any() and (halves := self.speller().split(word)):
                (left_mask, left_score), (right_mask, right_score) = (self._word(half, match) for half in halves)
                mask, score = left_mask & right_mask, left_score + right_score
            if not (mask & live).any():
                corrected = self.speller().correct(word)
                if corrected:
                    mask, score = self._word(corrected, match)
                    if (mask & live).any():
                        match.corrections[word] = corrected
            if (mask & live).any():
                found.append((mask, score))
        if not found:
            match.coverage = match.score
            return match  # words, but none of them anywhere: no results
        concepts = len(found) + understood
        required = len(found) if concepts <= 2 else max(1, max(2, math.ceil(concepts / 2)) - understood)
        matched = np.sum([mask for mask, _ in found], axis=0)
        match.mask = (matched >= required) & live
        coverage = np.sum([mask * self.snapshot.idf(int((mask & live).sum())) for mask, _ in found], axis=0)
        match.score = np.sum([score for _, score in found], axis=0) + COVERAGE * coverage
        match.coverage = np.round(coverage, 6)
        return match
