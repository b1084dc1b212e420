"""Executive discipline by plan: each plan's figures, worst share on time first.

A ministry reads about two thousand plans at national scale. The figures of every plan come
from one GROUP BY over the counts kept by plan and month, and their order needs every plan's
title (ties are broken by name); but a page of the table builds its rows, their links and
their obligation-list queries for the plans it shows only (``discipline_plan_page``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from types import SimpleNamespace
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import F
from django.utils.translation import gettext as _

from jospar.control.discipline import (
    DisciplineFilter,
    Figures,
    Group,
    discipline_count_parts,
    discipline_obligations,
    grouped_by_parts,
    obligation_aggregates,
    worst_first_key,
)
from jospar.control.status import today
from jospar.core.models import User, pick_lang
from jospar.plans.models import Plan

# Rows of the by-plan table on one page.
PLANS_PER_PAGE = 50


def plan_groups(
    user: User, filters: DisciplineFilter, on: dt.date, *, from_obligations: bool = False
) -> Iterable[Mapping[str, Any]]:
    """Figures per plan (``plan_key``): from the counts (kept by plan), or from the
    obligations for a check."""
    if from_obligations:
        return (
            discipline_obligations(user, filters)
            .values(plan_key=F("activity__plan_id"))
            .annotate(**obligation_aggregates(on))
        )
    return grouped_by_parts(
        discipline_count_parts(user, filters, on, by_plan=True), on, plan_key=F("plan_id")
    )


@dataclass(frozen=True)
class RankedPlan:
    """A plan's place in the table before its row is built: its id (None: the project tasks
    of programs, which belong to no plan), its title and its figures."""

    key: int | None
    label: str
    figures: Figures


def ranked_plans(
    user: User,
    filters: DisciplineFilter,
    *,
    on: dt.date | None = None,
    from_obligations: bool = False,
) -> list[RankedPlan]:
    """Every plan with obligations in the period, worst share on time first."""
    on = on or today()
    figures = {
        row["plan_key"]: Figures.from_row(row)
        for row in plan_groups(user, filters, on, from_obligations=from_obligations)
    }
    # The titles as values (five hundred model instances cost 5 ms), in the reader's language
    # as ``Plan.title`` picks it.
    titles = {
        row["id"]: pick_lang(SimpleNamespace(**row), "title")
        for row in Plan.objects.filter(pk__in=[pk for pk in figures if pk is not None]).values(
            "id", "title_kk", "title_ru"
        )
    }

    def label(pk: int | None) -> str:
        if pk is None:
            return _("Project tasks of programs")
        return titles.get(pk) or f"#{pk}"

    ranked = [RankedPlan(pk, label(pk), found) for pk, found in figures.items()]
    ranked.sort(key=lambda plan: worst_first_key(plan.figures, plan.label))
    return ranked


def _group(filters: DisciplineFilter, plan: RankedPlan) -> Group:
    return Group(
        key=plan.key,
        label=plan.label,
        figures=plan.figures,
        query=replace(filters, plan_id=plan.key).query(),
    )


def discipline_by_plan(
    user: User,
    filters: DisciplineFilter,
    *,
    on: dt.date | None = None,
    from_obligations: bool = False,
) -> list[Group]:
    """Every plan's group (the API's answer and the checks)."""
    return [
        _group(filters, plan)
        for plan in ranked_plans(user, filters, on=on, from_obligations=from_obligations)
    ]


def discipline_plan_page(
    user: User, filters: DisciplineFilter, *, number: int, on: dt.date | None = None
) -> tuple[Page[Any], list[Group]]:
    """One page of the by-plan table (a page past the last is the last) and its groups."""
    page = Paginator(ranked_plans(user, filters, on=on), PLANS_PER_PAGE).get_page(number)
    return page, [_group(filters, plan) for plan in page.object_list]
