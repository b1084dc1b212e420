"""Indicators computed from jospar's own data, each rule named and defined here, in one place.

A computed indicator names its rule (``Indicator.rule``); ``compute(rule, period, region)`` is
the fresh computation and ``services.computed.computed_refresh`` stores it as the value of the
period (nationally, and by region where the indicator is regional) with the time it was
computed. A test holds the stored value equal to a fresh computation.

The rules (days are Kazakhstan's):

* ``civic_solved_promptly`` — citizens' reports done in the period by the state body no later
  than the day the answer was due (Civic Control's own definition,
  ``jospar.civic.selectors.figures``);
* ``civic_solved_by_citizens`` — reports done in the period that the citizen recorded as
  solved without the akimat;
* ``civic_reports_per_month`` — reports placed on the portal in the period, divided by the
  number of months in it;
* ``control_on_time_share`` — of the control schedule's reports in force whose deadline fell in
  the period and has passed (or that were submitted), the percentage submitted on time (the
  control loop's ``submitted_on_time``); none due: no value;
* ``initiatives_beneficiaries`` — the Map of civic initiatives: people reached by the initiatives
  implemented in the period (the results' "beneficiaries reached"; an initiative whose results
  name none counts 0) — "users of implemented projects (coverage)";
* ``initiatives_by_ngos_citizens`` — initiatives implemented in the period that a citizen or an
  NGO proposed (every initiative on the Map is; a later kind of author, such as a state body,
  would not count);
* ``initiatives_with_patrons`` — initiatives implemented in the period with at least one
  patron's pledge not withdrawn;
* ``initiatives_events_with_volunteers`` — initiatives of the type "event" implemented in the
  period with volunteer hours confirmed by the author (a volunteer's pledge not withdrawn whose
  confirmed hours are above 0);
* ``media_publications`` — information-space monitoring: publications about the programs and
  plans in the period (proposed as evidence for an activity or a program node, the proposal not
  rejected; by the source's region), ``jospar.media.selectors.program_publication_counts``;
* ``media_reprints`` — of those, the reprints (a publication of a story that is not the story's
  first: the quarterly monitoring report's definition).

The initiatives' region is the initiative's; the period's days are Kazakhstan's (Asia/Almaty).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jospar.civic.selectors.reports import ALMATY, figures
from jospar.control.models import Obligation
from jospar.control.status import submitted_on_time, today
from jospar.indicators.periods import Period
from jospar.initiatives.models import (
    AuthorKind,
    Initiative,
    InitiativeKind,
    InitiativeState,
    Pledge,
    PledgerKind,
    PledgeState,
)
from jospar.media.selectors import program_publication_counts


@dataclass(frozen=True)
class Rule:
    name: str
    label: Promise
    unit: str
    compute: Callable[[Period, int | None], Decimal | None]


def _civic(period: Period, region_id: int | None) -> dict[str, Any]:
    return figures(region_id, (period.start, period.end))


def _solved_promptly(period: Period, region_id: int | None) -> Decimal | None:
    return Decimal(int(_civic(period, region_id)["solved_promptly"]))


def _solved_by_citizens(period: Period, region_id: int | None) -> Decimal | None:
    return Decimal(int(_civic(period, region_id)["solved_by_citizens"]))


def _reports_per_month(period: Period, region_id: int | None) -> Decimal | None:
    months = _civic(period, region_id)["published_by_month"]
    placed = sum(int(row["count"]) for row in months)
    return (Decimal(placed) / Decimal(period.months)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def _on_time_share(period: Period, region_id: int | None) -> Decimal | None:
    where = Q(in_force=True, deadline__gte=period.start, deadline__lte=period.end) & (
        Q(deadline__lt=today()) | Q(submitted_at__isnull=False)
    )
    if region_id is not None:
        where &= Q(region_id=region_id) | Q(organisation__region_id=region_id)
    counts = Obligation.objects.filter(where).aggregate(
        due=Count("id"),
        on_time=Count("id", filter=Q(submitted_at__isnull=False) & submitted_on_time()),
    )
    if not counts["due"]:
        return None
    share = Decimal(100) * Decimal(counts["on_time"]) / Decimal(counts["due"])
    return share.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _implemented(period: Period, region_id: int | None) -> Any:
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=ALMATY)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=ALMATY)
    rows = Initiative.objects.filter(
        state=InitiativeState.IMPLEMENTED, implemented_at__gte=start, implemented_at__lt=end
    )
    return rows if region_id is None else rows.filter(region_id=region_id)


def _pledged(kind: str, **extra: Any) -> Exists:
    return Exists(
        Pledge.objects.filter(
            initiative=OuterRef("pk"), kind=kind, state=PledgeState.PLEDGED, **extra
        )
    )


def _beneficiaries(period: Period, region_id: int | None) -> Decimal | None:
    total = _implemented(period, region_id).aggregate(n=Sum("beneficiaries_reached"))["n"]
    return Decimal(int(total or 0))


def _by_ngos_citizens(period: Period, region_id: int | None) -> Decimal | None:
    rows = _implemented(period, region_id).filter(
        author_kind__in=[AuthorKind.CITIZEN, AuthorKind.NGO]
    )
    return Decimal(rows.count())


def _with_patrons(period: Period, region_id: int | None) -> Decimal | None:
    return Decimal(_implemented(period, region_id).filter(_pledged(PledgerKind.PATRON)).count())


def _events_with_volunteers(period: Period, region_id: int | None) -> Decimal | None:
    rows = _implemented(period, region_id).filter(
        _pledged(PledgerKind.VOLUNTEER, confirmed_quantity__gt=0), kind=InitiativeKind.EVENT
    )
    return Decimal(rows.count())


def _publications(period: Period, region_id: int | None) -> Decimal | None:
    return Decimal(program_publication_counts(period.start, period.end, region_id)[0])


def _reprints(period: Period, region_id: int | None) -> Decimal | None:
    return Decimal(program_publication_counts(period.start, period.end, region_id)[1])


RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule(
            "civic_solved_promptly",
            _("Problems solved promptly by state bodies (Civic Control)"),
            "",
            _solved_promptly,
        ),
        Rule(
            "civic_solved_by_citizens",
            _("Problems solved by citizens themselves (Civic Control)"),
            "",
            _solved_by_citizens,
        ),
        Rule(
            "civic_reports_per_month",
            _("Citizens' reports placed per month (Civic Control)"),
            "",
            _reports_per_month,
        ),
        Rule(
            "control_on_time_share",
            _("Share of the control schedule's reports submitted on time"),
            "%",
            _on_time_share,
        ),
        Rule(
            "initiatives_beneficiaries",
            _("People reached by the implemented civic initiatives"),
            "",
            _beneficiaries,
        ),
        Rule(
            "initiatives_by_ngos_citizens",
            _("Civic initiatives implemented with NGOs and citizens"),
            "",
            _by_ngos_citizens,
        ),
        Rule(
            "initiatives_with_patrons",
            _("Civic initiatives implemented with patrons"),
            "",
            _with_patrons,
        ),
        Rule(
            "initiatives_events_with_volunteers",
            _("Events implemented with volunteers (civic initiatives)"),
            "",
            _events_with_volunteers,
        ),
        Rule(
            "media_publications",
            _("Publications about the programs (information-space monitoring)"),
            "",
            _publications,
        ),
        Rule(
            "media_reprints",
            _("Reprints of publications about the programs (information-space monitoring)"),
            "",
            _reprints,
        ),
    )
}


def compute(rule: str, period: Period, region_id: int | None) -> Decimal | None:
    """The fresh value of a rule for a period, nationally (None) or for one region."""
    return RULES[rule].compute(period, region_id)
