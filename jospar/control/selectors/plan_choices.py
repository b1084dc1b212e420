"""The plan filter's choices: every plan where they are few, a search where they are many.

A ministry owes reports in up to two thousand plans; a drop-down of all of them weighed 120 KB in
every obligation list and discipline page and could not be read on a phone. Above
``SELECT_ALL_UP_TO`` plans the filter lists the latest ``SHOWN`` (and the chosen one), and words
of a title or an approval number find the others."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, QuerySet, Value, When

from jospar.control.selectors.counts import obligation_plans
from jospar.core.models import User
from jospar.plans.models import Plan

SELECT_ALL_UP_TO = 200
SHOWN = 50
# Words of a search used at most: a longer query narrows no further.
MAX_WORDS = 8

PlanRow = tuple[int, str, str]  # id, title in Kazakh, title in Russian


@dataclass(frozen=True)
class PlanChoices:
    rows: list[PlanRow]
    # More plans than listed: the filter shows its search field.
    searchable: bool = False
    # The search (or the latest, without one) found more than ``rows`` holds.
    more: bool = False
    search: str = ""
    selected: int | None = None


def _found(plans: QuerySet[Plan], words: list[str]) -> list[PlanRow]:
    """The newest plans whose titles or approval number hold every word, ``SHOWN`` + 1 at most.

    Compared case-folded in Python: the databases' case-insensitive match folds Latin letters
    only (SQLite), or as the server's locale does (PostgreSQL), and people type "жоспар" for
    "Жоспар"; a reader's plans are a few thousand short rows."""
    folded = [word.casefold() for word in words]
    out: list[PlanRow] = []
    rows = plans.values_list("id", "title_kk", "title_ru", "approval_number")
    for pk, title_kk, title_ru, number in rows.iterator(chunk_size=1000):
        text = f"{title_kk}\n{title_ru}\n{number}".casefold()
        if all(word in text for word in folded):
            out.append((pk, title_kk, title_ru))
            if len(out) > SHOWN:
                break
    return out


def _newest_first(row: tuple[int, str, str, dt.date | None]) -> tuple[bool, int, int]:
    """``obligation_plans``' order in Python: the latest approved first, undated last."""
    pk, _kk, _ru, approved_on = row
    return (approved_on is None, -(approved_on.toordinal() if approved_on else 0), -pk)


def plan_choices(user: User, *, search: str = "", selected: int | None = None) -> PlanChoices:
    """The plans the user's obligation list and dashboards can be filtered by, newest first:
    all of them up to ``SELECT_ALL_UP_TO``; beyond, the ``SHOWN`` newest matching ``search``,
    with ``selected`` always among them (first) when the user may choose it. Two queries at
    most, whatever the number of plans and wherever the chosen one is among them."""
    plans = obligation_plans(user)
    words = search.split()[:MAX_WORDS]
    # The chosen plan, if the user may choose it, comes first: no query of its own.
    chosen_first = Case(When(pk=selected or 0, then=Value(0)), default=Value(1))
    first = list(
        plans.order_by(chosen_first, *plans.query.order_by).values_list(
            "id", "title_kk", "title_ru", "approved_on"
        )[: SELECT_ALL_UP_TO + 1]
    )
    if len(first) <= SELECT_ALL_UP_TO:
        rows = [(pk, kk, ru) for pk, kk, ru, _day in sorted(first, key=_newest_first)]
        return PlanChoices(rows=rows, selected=selected)
    chosen = [(pk, kk, ru) for pk, kk, ru, _day in first[:1] if pk == selected]
    found = _found(plans, words) if words else [(pk, kk, ru) for pk, kk, ru, _day in first]
    found = [row for row in found if row[0] != selected]
    return PlanChoices(
        rows=chosen + found[:SHOWN],
        searchable=True,
        more=len(found) > SHOWN,
        search=search,
        selected=selected,
    )
