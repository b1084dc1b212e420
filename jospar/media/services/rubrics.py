"""Rubrics a plan prescribes, found in publications, and their cadence: how many publications
each period was expected to carry the rubric, and how many did.

A rubric is found in a publication whose title or text names it (or one of its other names),
compared with the Kazakh letters folded (``crosslang.fold``), so that «Туған жер» and «Туган
жер» are one rubric. A new publication is tagged when it is recorded; a rubric that is created
or renamed is looked for in the publications already collected.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from jospar.core.audit import audit_record
from jospar.core.errors import PermissionRefused, ServiceError
from jospar.core.models import User
from jospar.media.access import can_keep_rubrics
from jospar.media.crosslang import fold
from jospar.media.models import Publication, PublicationRubric, Rubric, RubricPeriod
from jospar.plans.models import Activity

NAME_MAX = 200
ALIASES_MAX = 10
EXPECTED_MAX = 1000
BACKFILL_BATCH = 2000


@dataclass(frozen=True)
class RubricInput:
    name: str
    aliases: tuple[str, ...] = ()
    expected: int = 1
    period: str = RubricPeriod.MONTH
    active: bool = True


def _names(rubric: Rubric) -> list[str]:
    return [n for n in (rubric.name, *[str(a) for a in rubric.aliases]) if n.strip()]


def _pattern(names: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(fold(" ".join(n.split()))) for n in names)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def rubrics_tag(*, publications: list[Publication]) -> int:
    """Tag the publications with the active rubrics they name (called while they are
    recorded): the rubrics are read and their patterns compiled once for the lot, and the
    tags written in one insert."""
    rubrics = list(Rubric.objects.filter(active=True).only("pk", "name", "aliases"))
    if not rubrics or not publications:
        return 0
    patterns = [(r, _pattern(_names(r))) for r in rubrics]
    tags: list[PublicationRubric] = []
    for publication in publications:
        body = fold(" ".join(f"{publication.title}\n{publication.text}".split()))
        tags.extend(
            PublicationRubric(
                publication=publication, rubric=r, published_on=publication.published_on
            )
            for r, pattern in patterns
            if pattern.search(body)
        )
    PublicationRubric.objects.bulk_create(tags, ignore_conflicts=True, batch_size=BACKFILL_BATCH)
    return len(tags)


def _backfill(rubric: Rubric) -> int:
    """Look for the rubric in the publications already collected (trigram indexes on
    PostgreSQL); what no longer names it is untagged."""
    names = _names(rubric)
    pattern = _pattern(names)
    condition = Q()
    for name in names:
        spaced = " ".join(name.split())
        for form in {spaced, fold(spaced)}:
            condition |= Q(title__icontains=form) | Q(text__icontains=form)
    matched: list[int] = []
    found = Publication.objects.all()
    if connection.vendor == "postgresql":
        # Narrowed by the trigram indexes; SQLite's LIKE folds only ASCII letters' case, so
        # the embedded default (a small table) reads every text.
        found = found.filter(condition)
    rows = found.values_list("pk", "title", "text").iterator()
    for pk, title, text in rows:
        if pattern.search(fold(" ".join(f"{title}\n{text}".split()))):
            matched.append(pk)
    PublicationRubric.objects.filter(rubric=rubric).exclude(publication_id__in=matched).delete()
    days = dict(Publication.objects.filter(pk__in=matched).values_list("pk", "published_on"))
    PublicationRubric.objects.bulk_create(
        [
            PublicationRubric(publication_id=pk, rubric=rubric, published_on=days[pk])
            for pk in matched
        ],
        ignore_conflicts=True,
        batch_size=BACKFILL_BATCH,
    )
    return len(matched)


def _checked(data: RubricInput) -> RubricInput:
    problems: dict[str, list[str]] = {}
    name = " ".join(data.name.split()).strip('«»"“” ')
    if not (2 <= len(name) <= NAME_MAX):
        problems["name"] = [_("Give the rubric's name (2 to 200 characters).")]
    aliases = tuple(
        a for a in (" ".join(x.split()).strip('«»"“” ') for x in data.aliases) if len(a) >= 2
    )
    if len(aliases) > ALIASES_MAX or any(len(a) > NAME_MAX for a in aliases):
        problems["aliases"] = [_("At most 10 other names, each up to 200 characters.")]
    if not (1 <= data.expected <= EXPECTED_MAX):
        problems["expected"] = [_("Give how many publications are expected (1 to 1000).")]
    if data.period not in RubricPeriod.values:
        problems["period"] = [_("Choose the period: a week, a month or a quarter.")]
    if problems:
        first = next(iter(problems.values()))[0]
        raise ServiceError("invalid_rubric", first, problems)
    return RubricInput(name, aliases, data.expected, data.period, data.active)


def _facts(rubric: Rubric) -> dict[str, Any]:
    return {
        "name": rubric.name,
        "aliases": list(rubric.aliases),
        "expected": rubric.expected,
        "period": rubric.period,
        "active": rubric.active,
        "activity": rubric.activity_id,
    }


def rubric_create(*, actor: User, activity: Activity, data: RubricInput) -> Rubric:
    if not can_keep_rubrics(actor, activity):
        raise PermissionRefused(
            "not_allowed", _("Only an administrator or the plan's controller sets rubrics.")
        )
    data = _checked(data)
    with transaction.atomic():
        rubric = Rubric.objects.create(
            name=data.name,
            aliases=list(data.aliases),
            activity=activity,
            expected=data.expected,
            period=data.period,
            active=data.active,
        )
        found = _backfill(rubric)
        audit_record(
            actor=actor,
            action="media.rubric_created",
            object_type="media.Rubric",
            object_id=rubric.pk,
            after={**_facts(rubric), "publications": found},
        )
    return rubric


def rubric_update(*, actor: User, rubric: Rubric, data: RubricInput) -> Rubric:
    if not can_keep_rubrics(actor, rubric.activity):
        raise PermissionRefused(
            "not_allowed", _("Only an administrator or the plan's controller sets rubrics.")
        )
    data = _checked(data)
    with transaction.atomic():
        locked = Rubric.objects.select_for_update().get(pk=rubric.pk)
        before = _facts(locked)
        renamed = (locked.name, list(locked.aliases)) != (data.name, list(data.aliases))
        locked.name, locked.aliases = data.name, list(data.aliases)
        locked.expected, locked.period, locked.active = data.expected, data.period, data.active
        locked.save()
        found = _backfill(locked) if renamed else None
        audit_record(
            actor=actor,
            action="media.rubric_updated",
            object_type="media.Rubric",
            object_id=locked.pk,
            before=before,
            after={**_facts(locked), "publications": found},
        )
    return locked


# --- cadence ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodCount:
    start: dt.date
    end: dt.date
    expected: int
    found: int

    @property
    def met(self) -> bool:
        return self.found >= self.expected


@dataclass(frozen=True)
class Cadence:
    rubric: Rubric
    periods: list[PeriodCount]

    @property
    def expected(self) -> int:
        return sum(p.expected for p in self.periods)

    @property
    def found(self) -> int:
        return sum(p.found for p in self.periods)

    @property
    def met(self) -> int:
        return sum(1 for p in self.periods if p.met)


def periods(period: str, since: dt.date, until: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The weeks (Monday to Sunday), months or quarters that start within [since, until]."""
    out = []
    if period == RubricPeriod.WEEK:
        start = since + dt.timedelta(days=(7 - since.weekday()) % 7)
        while start <= until:
            out.append((start, start + dt.timedelta(days=6)))
            start += dt.timedelta(days=7)
        return out
    step = 1 if period == RubricPeriod.MONTH else 3
    month = since.month if step == 1 else 3 * ((since.month - 1) // 3) + 1
    start = dt.date(since.year, month, 1)
    if start < since:
        start = _add_months(start, step)
    while start <= until:
        following = _add_months(start, step)
        out.append((start, following - dt.timedelta(days=1)))
        start = following
    return out


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def cadence(rubrics: list[Rubric], since: dt.date, until: dt.date) -> list[Cadence]:
    """Expected against found per period for each rubric: one query for all of them."""
    spans = {r.pk: periods(r.period, since, until) for r in rubrics}
    if not rubrics:
        return []
    low = min((s[0][0] for s in spans.values() if s), default=since)
    high = max((s[-1][1] for s in spans.values() if s), default=until)
    counts: dict[tuple[int, dt.date], int] = {}
    rows = (
        PublicationRubric.objects.filter(
            rubric_id__in=[r.pk for r in rubrics], published_on__range=(low, high)
        )
        .values_list("rubric_id", "published_on")
        .annotate(n=Count("pk"))
    )
    for rubric_id, day, n in rows:
        counts[(rubric_id, day)] = n
    out = []
    for rubric in rubrics:
        found = []
        for start, end in spans[rubric.pk]:
            n = sum(
                v for (rid, day), v in counts.items() if rid == rubric.pk and start <= day <= end
            )
            found.append(PeriodCount(start, end, rubric.expected, n))
        out.append(Cadence(rubric, found))
    return out
