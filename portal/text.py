"""Small text helpers shared by the portal."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Case- and accent-insensitive form of `text`, for comparisons (creëren -> creeren)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def slugify(text: str, max_length: int = 80) -> str:
    """A URL-safe slug of a-z, 0-9 and hyphens; 'item' when nothing remains."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return slug[:max_length].rstrip("-") or "item"


WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")


def whole_number(text: str | None) -> int | None:
    """`text` as a whole number written in ASCII digits, else None. Not `str.isdigit`: it accepts "²" and other
    digits that int() refuses."""
    return int(text) if text and WHOLE_NUMBER.fullmatch(text) else None
