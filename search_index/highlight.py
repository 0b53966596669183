"""Highlighted titles and snippets: HTML-escaped text with the matching words in <mark>."""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from search_index.analysis import TOKEN_PATTERN, compound_parts, fold, normalise

_TOKEN = re.compile(TOKEN_PATTERN)
SNIPPET_CHARS = 220
SCANNED_CHARS = 1500  # a passage deeper in a long text is rarely the best preview, and scanning costs


@lru_cache(maxsize=200_000)
def _token_terms(token: str) -> tuple[str, frozenset[str]]:
    """A text token's folded form and every index term it produces (its stem and compound parts)."""
    word = fold(token)
    return word, frozenset((normalise(word), *compound_parts(word)))


class Highlighter:
    def __init__(self, stems: set[str], places: set[str]):
        self.stems = stems
        self.places = places

    def _is_match(self, token: str) -> bool:
        word, terms = _token_terms(token)
        return word in self.places or not terms.isdisjoint(self.stems)

    def _spans(self, text: str) -> list[tuple[int, int]]:
        if not (self.stems or self.places):
            return []
        return [m.span() for m in _TOKEN.finditer(text) if self._is_match(m.group())]

    def mark(self, text: str, start: int = 0, end: int | None = None) -> str:
        end = len(text) if end is None else end
        out, position = [], start
        for span_start, span_end in self._spans(text[start:end]):
            span_start, span_end = span_start + start, span_end + start
            out.append(escape(text[position:span_start]))
            out.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
            position = span_end
        out.append(escape(text[position:end]))
        return "".join(out)

    def snippet(self, texts: list[str], length: int = SNIPPET_CHARS) -> str:
        """The passage of `texts` (in order of preference) with the most matches, about `length` characters."""
        best = None
        for text in texts:
            if best is not None:
                break  # an earlier text (the summary) matched: prefer it and skip the long body
            spans = self._spans(text[:SCANNED_CHARS])
            for index, (span_start, _) in enumerate(spans):
                covered = sum(1 for s, _ in spans[index:] if s < span_start + length)
                if best is None or covered > best[0]:
                    best = (covered, text, span_start)
        if best is None:
            text = next((t for t in texts if t), "")
            return self._window(text, 0, length)
        _, text, span_start = best
        return self._window(text, max(0, span_start - 40), length)

    def _window(self, text: str, start: int, length: int) -> str:
        if start > 0:
            space = text.rfind(" ", 0, start)
            start = space + 1 if space >= 0 else start
        end = min(len(text), start + length)
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > start else end
        prefix = "… " if start > 0 else ""
        suffix = " …" if end < len(text) else ""
        return prefix + self.mark(text, start, end) + suffix
