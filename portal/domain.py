"""Domain errors raised by services. Views and the CLI turn them into Dutch messages or HTTP statuses."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the catalogue refused an operation; nothing was changed."""


class NotFound(DomainError):
    """There is no such thing, or the acting user may not know it exists."""


class PermissionDenied(DomainError):
    """The acting user may not do this."""


class InvalidTransition(DomainError):
    """The listing's current state does not allow this change."""


class ValidationFailed(DomainError):
    """The input breaks business rules. `errors` maps a field name to its Dutch messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{field}: {' '.join(map(str, msgs))}" for field, msgs in errors.items()))
