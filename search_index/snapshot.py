"""Numpy views of one index generation, for fast filtering, facet counting, scoring and sorting.

Facet counts use bitsets: per facet, one row of 64-bit words per value (bit n set when document n carries
the value), built once per generation. Counting a facet over a result is one AND with the result's packed
bits and one population count per row, whatever the number of values.

Whoosh segments are immutable apart from deletions, so everything read from a segment (facet postings,
value columns, term postings) is cached per segment and reused by every later generation that still
contains it. A publish adds a small segment: the next snapshot reads only that segment and concatenates.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from search_index.schema import FACETS, NUMBER_COLUMNS

POSTINGS_CACHE_SIZE = 4096
EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)


@dataclass
class FacetData:
    """One facet over a document range: its values and the documents of each."""

    values: list[str]
    docs: list[np.ndarray]  # per value, sorted document numbers


class SegmentData:
    """What one segment contributes. Reads happen lazily through the segment's reader."""

    def __init__(self, reader):
        self.reader = reader
        self.count = reader.doc_count_all()
        self.ids = [value.decode() if isinstance(value, bytes) else value for value in reader.column_reader("id")]
        # A field the segment's schema lacks (an index written before the field existed) reads as its default,
        # so searches keep working until `flask search rebuild` fills it.
        known = set(reader.schema.names())
        self.numbers = {
            name: np.fromiter(reader.column_reader(name), dtype=np.int64, count=self.count) if name in known
            else np.full(self.count, default, dtype=np.int64)
            for name, default in NUMBER_COLUMNS.items()
        }
        self.facets = {name: self._facet(name) for name in FACETS}
        self.points = self._points()
        self._postings: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
        self._terms: dict[str, list[str]] = {}

    def _facet(self, name: str) -> FacetData:
        values, docs = [], []
        if name not in self.reader.schema:
            return FacetData(values=values, docs=docs)  # an older index, without this facet
        for value in self.reader.lexicon(name):
            text = value.decode() if isinstance(value, bytes) else value
            values.append(text)
            docs.append(np.fromiter(self.reader.postings(name, value).all_ids(), dtype=np.int32))
        return FacetData(values=values, docs=docs)

    def _points(self) -> tuple[np.ndarray, np.ndarray]:
        """Each location point's document number, and the points as (latitude, longitude) in degrees."""
        docs, pairs = [], []
        for docnum, packed in enumerate(self.reader.column_reader("points")):
            found = np.frombuffer(packed, dtype=np.float64).reshape(-1, 2) if packed else np.zeros((0, 2))
            docs.append(np.full(len(found), docnum, dtype=np.int32))
            pairs.append(found)
        if not docs:
            return np.zeros(0, dtype=np.int32), np.zeros((0, 2))
        return np.concatenate(docs), np.concatenate(pairs)

    def live(self, current_reader) -> np.ndarray:
        """Documents not deleted; deletions are the one thing that changes in a segment, so ask its current reader."""
        mask = np.ones(self.count, dtype=bool)
        if current_reader.has_deletions():
            mask[list(current_reader.segment().deleted_docs())] = False
        return mask

    def postings(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """Document numbers and term frequencies of `term` in `field`."""
        key = (field, term)
        if key not in self._postings:
            docs, weights = [], []
            if (field, term) in self.reader:
                matcher = self.reader.postings(field, term)
                while matcher.is_active():
                    docs.append(matcher.id())
                    weights.append(matcher.weight())
                    matcher.next()
            self._postings[key] = (np.array(docs, dtype=np.int32), np.array(weights, dtype=np.float32))
        return self._postings[key]

    def terms(self, field: str) -> list[str]:
        """The field's terms, sorted, for prefix expansion."""
        if field not in self._terms:
            self._terms[field] = [t.decode() if isinstance(t, bytes) else t for t in self.reader.lexicon(field)]
        return self._terms[field]

    def spelling(self) -> dict[str, int]:
        return {
            (text.decode() if isinstance(text, bytes) else text): info.doc_frequency()
            for text, info in self.reader.iter_field("spelling")
        }

    def sort_titles(self) -> list[bytes]:
        return list(self.reader.column_reader("sort_title"))

    def versions(self) -> list[str]:
        return [v.decode() if isinstance(v, bytes) else v for v in self.reader.column_reader("version")]


class Snapshot:
    """One generation of the index as numpy arrays over all documents (deleted ones masked out)."""

    def __init__(self, key, leaves: list[tuple[SegmentData, int, object]]):
        self.key = key
        self.parts = [(part, base) for part, base, _ in leaves]  # (segment data, first document number)
        self.count = sum(part.count for part, _ in self.parts)
        self.live = _concat([part.live(reader) for part, _, reader in leaves], bool)
        self.live_count = int(self.live.sum())
        self.ids = [doc_id for part, _ in self.parts for doc_id in part.ids]
        self.numbers = {name: _concat([p.numbers[name] for p, _ in self.parts], np.int64) for name in NUMBER_COLUMNS}
        body = self.numbers["body_length"][self.live]
        self.average_body_length = float(body.mean()) if len(body) else 1.0
        self.facets = {name: self._merge_facet(name) for name in FACETS}
        self._bits = {name: self._facet_bits(self.facets[name]) for name in FACETS}
        # Location points, grouped by document (segments are in document order, and so is each segment's list)
        self.point_docs = _concat([part.points[0] + base for part, base in self.parts], np.int32)
        degrees = np.concatenate([p.points[1] for p, _ in self.parts]) if self.parts else np.zeros((0, 2))
        self.point_lat, self.point_lon = np.radians(degrees[:, 0]), np.radians(degrees[:, 1])
        self._point_cos = np.cos(self.point_lat)
        # Layer j holds every document's (j+1)-th point: a document's nearest point is the minimum over the
        # layers, a few whole-array operations instead of one reduction per document.
        first = np.flatnonzero(np.diff(self.point_docs, prepend=-1)) if len(self.point_docs) else np.zeros(0, int)
        rank = np.arange(len(self.point_docs)) - np.repeat(first, np.diff(np.append(first, len(self.point_docs))))
        self._point_layers = [np.flatnonzero(rank == j) for j in range(int(rank.max(initial=-1)) + 1)]
        self._postings: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._name_rank: np.ndarray | None = None
        self._spelling: dict[str, int] | None = None

    def _merge_facet(self, name: str) -> FacetData:
        values = sorted({value for part, _ in self.parts for value in part.facets[name].values})
        index = {value: number for number, value in enumerate(values)}
        per_value: list[list[np.ndarray]] = [[] for _ in values]
        for part, base in self.parts:
            facet = part.facets[name]
            for local, docs in enumerate(facet.docs):
                per_value[index[facet.values[local]]].append(docs + base)
        return FacetData(values=values, docs=[_concat(docs, np.int32) for docs in per_value])

    def _facet_bits(self, facet: FacetData) -> np.ndarray:
        rows = np.zeros((len(facet.values), self.count), dtype=bool)
        for row, docs in zip(rows, facet.docs, strict=True):
            row[docs] = True
        return self.pack(rows)

    def pack(self, mask: np.ndarray) -> np.ndarray:
        """A boolean mask over the documents (or a stack of them) as rows of 64-bit words."""
        words = -(-self.count // 64)
        padded = np.zeros((*mask.shape[:-1], words * 64), dtype=bool)
        padded[..., : self.count] = mask
        return np.packbits(padded, axis=-1).view(np.uint64)

    def nearness(self, latitude: float, longitude: float) -> np.ndarray:
        """Per document, the haversine of the angle from the point to its nearest location (`to_km` makes it a
        distance, `from_km` a radius; it orders as the distance does); infinite without locations."""
        found = np.full(self.count, np.inf)
        lat, lon = math.radians(latitude), math.radians(longitude)
        h = (np.sin((self.point_lat - lat) / 2) ** 2
             + math.cos(lat) * self._point_cos * np.sin((self.point_lon - lon) / 2) ** 2)
        for layer in self._point_layers:
            docs = self.point_docs[layer]
            found[docs] = np.minimum(found[docs], h[layer])
        return found

    @staticmethod
    def to_km(nearness):
        """Great-circle distance in km of a `nearness` value (or array)."""
        return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(nearness, 1.0)))

    @staticmethod
    def from_km(km: float) -> float:
        return math.sin(min(km / (2 * EARTH_RADIUS_KM), math.pi / 2)) ** 2

    def value_mask(self, facet: str, codes) -> np.ndarray:
        """Documents carrying any of `codes` in `facet`."""
        data = self.facets[facet]
        mask = np.zeros(self.count, dtype=bool)
        for code in codes:
            position = _find(data.values, code)
            if position is not None:
                mask[data.docs[position]] = True
        return mask

    def count_values(self, facet: str, packed_mask: np.ndarray) -> dict[str, int]:
        """How many documents of `packed_mask` (see `pack`) carry each value of `facet`; zero counts left out."""
        data = self.facets[facet]
        if not data.values:
            return {}
        counts = np.bitwise_count(self._bits[facet] & packed_mask).sum(axis=1, dtype=np.int64)
        return {value: int(n) for value, n in zip(data.values, counts, strict=True) if n}

    def postings(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        key = (field, term)
        found = self._postings.get(key)
        if found is None:
            docs, weights = [], []
            for part, base in self.parts:
                part_docs, part_weights = part.postings(field, term)
                docs.append(part_docs + base)
                weights.append(part_weights)
            found = (_concat(docs, np.int32), _concat(weights, np.float32))
            self._postings[key] = found
            if len(self._postings) > POSTINGS_CACHE_SIZE:
                self._postings.popitem(last=False)
        else:
            self._postings.move_to_end(key)
        return found

    def idf(self, document_frequency: int) -> float:
        n = max(self.live_count, 1)
        return math.log(1 + (n - document_frequency + 0.5) / (document_frequency + 0.5))

    def prefix_terms(self, field: str, prefix: str, limit: int = 50) -> list[str]:
        found: set[str] = set()
        for part, _ in self.parts:
            terms = part.terms(field)
            start = bisect_left(terms, prefix)
            for term in terms[start:start + limit]:
                if not term.startswith(prefix):
                    break
                found.add(term)
        return sorted(found)[:limit]

    def name_rank(self) -> np.ndarray:
        """Each document's position in title order."""
        if self._name_rank is None:
            titles = [title for part, _ in self.parts for title in part.sort_titles()]
            order = sorted(range(len(titles)), key=titles.__getitem__)
            rank = np.empty(len(titles), dtype=np.int64)
            rank[order] = np.arange(len(titles))
            self._name_rank = rank
        return self._name_rank

    def spelling(self) -> dict[str, int]:
        """Surface words of the whole index and their document frequencies."""
        if self._spelling is None:
            merged: dict[str, int] = {}
            for part, _ in self.parts:
                for word, frequency in part.spelling().items():
                    merged[word] = merged.get(word, 0) + frequency
            self._spelling = merged
        return self._spelling

    def locate(self, docnum: int) -> tuple[SegmentData, int]:
        for part, base in self.parts:
            if base <= docnum < base + part.count:
                return part, docnum - base
        raise IndexError(docnum)


def _concat(arrays: list[np.ndarray], dtype) -> np.ndarray:
    return np.concatenate(arrays).astype(dtype, copy=False) if arrays else np.zeros(0, dtype=dtype)


def _find(items: list[str], value: str) -> int | None:
    position = bisect_left(items, value)
    return position if position < len(items) and items[position] == value else None
