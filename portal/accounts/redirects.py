"""Where to go after login: only to a path on this site (no open redirect)."""

from __future__ import annotations

from urllib.parse import urlsplit

from portal.text import CONTROL_CHARACTERS


def safe_next(target: str | None) -> str | None:
    """`target` when it is a local path ("/mijn/..."), otherwise None. Refuses absolute and scheme-relative
    URLs (`https://evil.example`, `//evil.example`), backslashes that browsers read as slashes
    (`/\\evil.example`), schemes such as `javascript:`, and control characters."""
    if not target or len(target) > 2000 or "\\" in target or CONTROL_CHARACTERS.search(target):
        return None
    if any(ch in target for ch in "\t\r\n") or not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
