"""Spelling correction from the index's own vocabulary ("bedoelde je ...").

Candidates come from a deletion index (every word with one letter deleted, as in SymSpell), so a lookup
usually touches a handful of words; when that finds nothing, words with the same first letter and a
similar length are compared. The best candidate is the nearest by edit distance (a swap of neighbours
counts as one edit), then the most frequent.
"""

from __future__ import annotations

MIN_WORD = 4  # shorter words are too ambiguous to correct


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def distance(a: str, b: str) -> int:
    """Optimal string alignment distance: edits, with a swap of neighbours counting as one."""
    previous2, previous = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


class Speller:
    def __init__(self, frequencies: dict[str, int]):
        self.frequencies = frequencies
        self.by_delete: dict[str, list[str]] = {}
        self.by_initial: dict[str, list[str]] = {}
        for word in frequencies:
            if len(word) >= MIN_WORD - 1 and not word.isdigit():
                for key in _deletes(word) | {word}:
                    self.by_delete.setdefault(key, []).append(word)
                self.by_initial.setdefault(word[0], []).append(word)

    def correct(self, word: str) -> str | None:
        """The likeliest intended word for `word`, or None when nothing is close enough."""
        if len(word) < MIN_WORD or word.isdigit():
            return None
        allowed = 1 if len(word) <= 4 else 2
        candidates = set()
        for key in _deletes(word) | {word}:
            candidates.update(self.by_delete.get(key, ()))
        best = self._best(word, candidates, allowed)
        if best is None:
            nearby = (c for c in self.by_initial.get(word[0], ()) if abs(len(c) - len(word)) <= allowed)
            best = self._best(word, nearby, allowed)
        return best

    def split(self, word: str) -> tuple[str, str] | None:
        """Two words of the vocabulary that `word` was written as (repaircafe -> repair, cafe), or None."""
        best = None
        for cut in range(MIN_WORD - 1, len(word) - MIN_WORD + 2):
            left, right = word[:cut], word[cut:]
            for joint in ("", "s", "e", "en"):  # linking sounds, as in wetenschapsweek
                if not left.endswith(joint):
                    continue
                head = left[: len(left) - len(joint)]
                if head in self.frequencies and right in self.frequencies:
                    rank = min(self.frequencies[head], self.frequencies[right])
                    if best is None or rank > best[0]:
                        best = (rank, head, right)
        return (best[1], best[2]) if best else None

    def _best(self, word: str, candidates, allowed: int) -> str | None:
        best = None
        for candidate in candidates:
            if candidate == word:
                continue
            edits = distance(word, candidate)
            if edits <= allowed:
                rank = (edits, -self.frequencies[candidate], candidate)
                best = min(best, rank) if best else rank
        return best[2] if best else None
