"""Keyset pagination over (a nullable date, id), and counts that stop at a bound.

A deep page of an ``OFFSET`` list reads every row before it; a keyset page reads from where the
previous one ended (``?after=2016-03-25.123``) along an index on (date, id), so page 1,000 costs
what page 1 does. Rows with no date come last (as PostgreSQL orders them), read by id alone.

Where no kept count answers "how many", ``bounded_count`` reads at most ``COUNT_BOUND + 1``
rows: the page says "more than 10,000" instead of scanning millions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, cast

from django.core.paginator import Paginator
from django.db.models import F, Model, Q, QuerySet
from django.utils.functional import cached_property

from jospar.core.edge import date_or_none, id_or_none

COUNT_BOUND = 10_000

M = TypeVar("M", bound=Model)

Cursor = tuple[dt.date | None, int]


@dataclass(frozen=True)
class Total:
    """How many rows a list holds: exact, or "more than ``n``" when only bounded."""

    n: int
    more: bool = False


def bounded_count(qs: QuerySet[Any, Any], bound: int = COUNT_BOUND) -> Total:
    """Count at most ``bound + 1`` rows of ``qs``."""
    # Only the keys are counted: an annotation of the list (a subquery per row) is not
    # computed for rows that are only counted.
    n = qs.order_by().values("pk")[: bound + 1].count()
    return Total(bound, more=True) if n > bound else Total(n)


def cursor_text(cursor: Cursor) -> str:
    day, pk = cursor
    return f"{day.isoformat() if day else '-'}.{pk}"


def parse_cursor(value: Any) -> Cursor | None:
    """``"2016-03-25.123"`` or ``"-.123"`` (no date) → a cursor; anything else → None."""
    if not isinstance(value, str) or value.count(".") != 1 or len(value) > 40:
        return None
    day_text, pk_text = value.split(".")
    pk = id_or_none(pk_text)
    if pk is None:
        return None
    if day_text == "-":
        return (None, pk)
    day = date_or_none(day_text)
    return None if day is None else (day, pk)


@dataclass
class _Paginator:
    count: int
    more: bool


@dataclass
class KeysetPage(Generic[M]):
    """One page of a keyset list; ``paginator.count`` is the list's total (see ``more``)."""

    object_list: list[M]
    total: Total
    next_cursor: str | None = None
    previous_cursor: str | None = None
    is_first: bool = True
    paginator: _Paginator = field(init=False)

    def __post_init__(self) -> None:
        self.paginator = _Paginator(count=self.total.n, more=self.total.more)

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def __iter__(self) -> Any:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def _key(obj: Model, name: str) -> Cursor:
    return (getattr(obj, name), int(obj.pk))


def _after(name: str, cursor: Cursor) -> tuple[Q, Q]:
    """Rows after ``cursor``: (the dated part, the undated part)."""
    day, pk = cursor
    if day is None:
        return Q(pk__in=[]), Q(**{f"{name}__isnull": True, "pk__gt": pk})
    dated = Q(**{f"{name}__gte": day}) & (Q(**{f"{name}__gt": day}) | Q(pk__gt=pk))
    return dated, Q(**{f"{name}__isnull": True})


def _before(name: str, cursor: Cursor) -> tuple[Q, Q]:
    """Rows before ``cursor``: (the dated part, the undated part)."""
    day, pk = cursor
    if day is None:
        return Q(**{f"{name}__isnull": False}), Q(**{f"{name}__isnull": True, "pk__lt": pk})
    dated = Q(**{f"{name}__lte": day}) & (Q(**{f"{name}__lt": day}) | Q(pk__lt=pk))
    return dated, Q(pk__in=[])


def keyset_page(
    qs: QuerySet[M],
    *,
    name: str,
    size: int,
    total: Total,
    after: Cursor | None = None,
    before: Cursor | None = None,
) -> KeysetPage[M]:
    """The page of ``qs`` (ordered here by ``name`` then id) after or before a cursor; at most
    two queries whatever the depth (the dated part and the undated part; one on the first
    page)."""
    forward = (F(name).asc(nulls_last=True), "pk")
    backward = (F(name).desc(nulls_first=True), "-pk")
    dated_q = Q(**{f"{name}__isnull": False})
    if before is not None and after is None:
        dated, undated = _before(name, before)
        # Both parts are always read (the second for at least one row): the same number of
        # queries on every page.
        rows: list[M] = list(qs.filter(undated).order_by(*backward)[: size + 1])
        rows += list(qs.filter(dated & dated_q).order_by(*backward)[: max(size + 1 - len(rows), 1)])
        more_before = len(rows) > size
        rows = list(reversed(rows[:size]))
        return KeysetPage(
            object_list=rows,
            total=total,
            previous_cursor=cursor_text(_key(rows[0], name)) if more_before and rows else None,
            next_cursor=cursor_text(before),
            is_first=not more_before,
        )
    if after is None:
        # The first page has no cursor to split the rows at: one walk of the index in the
        # list's order (dated rows, then undated ones), with no second query to plan (3 to 5 ms
        # of the obligation list at national scale).
        rows = list(qs.order_by(*forward)[: size + 1])
    else:
        dated, undated = _after(name, after)
        rows = list(qs.filter(dated & dated_q).order_by(*forward)[: size + 1])
        rows += list(qs.filter(undated).order_by(*forward)[: max(size + 1 - len(rows), 1)])
    more_after = len(rows) > size
    rows = rows[:size]
    return KeysetPage(
        object_list=rows,
        total=total,
        next_cursor=cursor_text(_key(rows[-1], name)) if more_after and rows else None,
        previous_cursor=cursor_text(_key(rows[0], name)) if after is not None and rows else None,
        is_first=after is None,
    )


class BoundedPaginator(Paginator):  # type: ignore[type-arg]
    """Django's paginator with a count that stops at ``bound`` (``more`` says it did): pages
    up to the bound are numbered; a list longer than that is narrowed by its filters, or worked
    from its head (a queue, oldest first)."""

    def __init__(self, object_list: Any, per_page: int, *, bound: int = COUNT_BOUND) -> None:
        super().__init__(object_list, per_page)
        self.bound = bound

    @cached_property
    def total(self) -> Total:
        return bounded_count(cast("QuerySet[Any, Any]", self.object_list), self.bound)

    @cached_property
    def count(self) -> int:
        return self.total.n

    @property
    def more(self) -> bool:
        return self.total.more
