"""Small text helpers shared by the portal."""

from __future__ import annotations

import re
import unicodedata

# Characters nobody means to type: C0 and C1 control characters (tab and line breaks aside), and the
# bidirectional overrides and isolates that make a name read as something it is not. PostgreSQL refuses NUL.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]")


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
