"""One page of a long list: the moderation queue and every admin list show PAGE_SIZE rows at a time, with the
total, in a stable order, and the templates draw the links with one macro (templates/_pagination.html)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import url_for
from sqlalchemy import Select, func, select

from portal.extensions import db

PAGE_SIZE = 50
T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    page: int  # 1-based, within 1..page_count
    page_count: int  # at least 1, also for an empty list
    total: int


@dataclass(frozen=True)
class Window:
    """Where a page lies in a list of `total` rows; a page number past either end shows the nearest page."""

    page: int
    page_count: int
    total: int
    size: int

    @classmethod
    def of(cls, total: int, page: int | None, size: int | None = None) -> Window:
        size = size or PAGE_SIZE  # read when called: tests make pages short
        page_count = max(1, math.ceil(total / size))
        return cls(min(max(1, page or 1), page_count), page_count, total, size)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    def page_of(self, items: list[T]) -> Page[T]:
        return Page(items=items, page=self.page, page_count=self.page_count, total=self.total)


def paginate(statement: Select, page: int | None, size: int | None = None) -> Page:
    """One page of the rows of an ORM select (ordered by the caller, uniquely, so pages never overlap): two
    statements, a count and the page itself, whatever the length of the list. Loader options of the select
    (selectinload) apply to the page's rows only."""
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    window = Window.of(total, page, size)
    return window.page_of(list(db.session.scalars(statement.offset(window.offset).limit(window.size))))


def page_url(endpoint: str, args: dict, param: str, number: int, anchor: str | None = None) -> str:
    """The address of page `number` of a list at `endpoint` with its other URL arguments `args`: page 1 carries
    no number, so it is the list's own address (templates/_pagination.html)."""
    args = {key: value for key, value in args.items() if key != param}
    if number > 1:
        args[param] = number
    return url_for(endpoint, _anchor=anchor, **args)
