"""A national-scale synthetic control schedule, for benchmarks and demonstrations.

`synth_build` makes plans of activities with executors (the directory's bodies, synthetic
ministries and the akimats), the obligations the control schedule would derive from them
(activity × executor × report date; the group of akimats expanded over the regions that existed
on the plan's date) and execution reports, with outcomes drawn per body: most reports on time,
some late, some returned for revision (then resubmitted or not), some accepted, some never sent.
Every fact agrees with the status rules (`jospar.control.status`).

Synthetic rows are marked so that `synth_reset` finds them again: plans by an approval number
starting ``SYNTH-``, organisations by an English name starting ``[synth]``, users by a username
starting ``synth-``. The same seed gives the same data.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.control.discipline_counts import discipline_counts_rebuild
from jospar.control.models import (
    ControlDecision,
    DisciplineCount,
    ExecutionReport,
    Obligation,
    ReportAttachment,
    ReportLink,
    Review,
)
from jospar.control.synth_load import (
    TableWriter,
    analyze,
    indexes_set_aside,
    is_postgresql,
    lock_tables,
    next_id,
    reset_sequences,
)
from jospar.control.synth_rows import (
    ACTIVITY_FIELDS,
    ALMATY,
    EARLY,
    EXECUTOR_FIELDS,
    OBLIGATION_FIELDS,
    PLAN_FIELDS,
    REPORT_FIELDS,
    RESUBMITTED,
    RETURNED,
    Body,
    Facts,
    SynthActivity,
)
from jospar.core.audit import audit_record
from jospar.core.models import Organisation, OrganisationKind, Region, Role, RoleGrant, User
from jospar.plans.models import Activity, ActivityExecutor, Plan, PlanUpload

PLAN_MARK = "SYNTH-"
TITLE_MARK = "[synth] "
ORG_MARK = "[synth] "
USER_MARK = "synth-"
# Above this many obligations (on PostgreSQL) indexes and foreign keys are rebuilt after the
# load instead of being maintained row by row.
BULK_THRESHOLD = 100_000

Progress = Callable[[str], None]


@dataclass(frozen=True)
class SynthSpec:
    plans: int = 2000
    obligations: int = 2_000_000
    reports: int = 1_500_000
    ministries: int = 60
    first_year: int = 2015
    last_year: int = 2026
    seed: int = 2015

    @classmethod
    def small(cls) -> SynthSpec:
        return cls(plans=6, obligations=1500, reports=1100, ministries=6, seed=7)


@dataclass
class SynthResult:
    plans: int = 0
    activities: int = 0
    executors: int = 0
    obligations: int = 0
    reports: int = 0
    organisations: int = 0
    users: int = 0
    seconds: float = 0.0
    removed: dict[str, int] = field(default_factory=dict)


# --- reset ------------------------------------------------------------------------------------


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def synth_reset(*, recount: bool = True) -> dict[str, int]:
    """Delete every synthetic row, dependants first, in set-based statements (no row loop);
    then count the obligations left again (``DisciplineCount``) unless ``recount`` is false."""
    plans = f"SELECT id FROM {_q(Plan._meta.db_table)} WHERE approval_number LIKE %s"
    activities = f"SELECT id FROM {_q(Activity._meta.db_table)} WHERE plan_id IN ({plans})"
    obligations = (
        f"SELECT id FROM {_q(Obligation._meta.db_table)} WHERE activity_id IN ({activities})"
    )
    reports = (
        f"SELECT id FROM {_q(ExecutionReport._meta.db_table)} "
        f"WHERE obligation_id IN ({obligations})"
    )
    mark = [f"{PLAN_MARK}%"]
    steps: list[tuple[str, str]] = [
        ("reviews", f"DELETE FROM {_q(Review._meta.db_table)} WHERE report_id IN ({reports})"),
        (
            "attachments",
            f"DELETE FROM {_q(ReportAttachment._meta.db_table)} WHERE report_id IN ({reports})",
        ),
        ("links", f"DELETE FROM {_q(ReportLink._meta.db_table)} WHERE report_id IN ({reports})"),
        (
            "reports",
            f"DELETE FROM {_q(ExecutionReport._meta.db_table)} "
            f"WHERE obligation_id IN ({obligations})",
        ),
        (
            "decisions",
            f"DELETE FROM {_q(ControlDecision._meta.db_table)} WHERE activity_id IN ({activities})",
        ),
        (
            "obligations",
            f"DELETE FROM {_q(Obligation._meta.db_table)} WHERE activity_id IN ({activities})",
        ),
        (
            "executors",
            f"DELETE FROM {_q(ActivityExecutor._meta.db_table)} "
            f"WHERE activity_id IN ({activities})",
        ),
        (
            "uploads",
            f"UPDATE {_q(PlanUpload._meta.db_table)} SET target_plan_id = NULL "
            f"WHERE target_plan_id IN ({plans})",
        ),
        ("activities", f"DELETE FROM {_q(Activity._meta.db_table)} WHERE plan_id IN ({plans})"),
        ("plans", f"DELETE FROM {_q(Plan._meta.db_table)} WHERE approval_number LIKE %s"),
    ]
    removed: dict[str, int] = {}
    with connection.cursor() as cursor:
        for label, sql in steps:
            cursor.execute(sql, mark * sql.count("%s"))
            removed[label] = cursor.rowcount
        # The synthetic people and bodies last; a row elsewhere that still points at one makes
        # its foreign key refuse the whole reset at commit, rather than lose that row.
        users = f"SELECT id FROM {_q(User._meta.db_table)} WHERE username LIKE %s"
        cursor.execute(
            f"DELETE FROM {_q(RoleGrant._meta.db_table)} WHERE user_id IN ({users})",
            [f"{USER_MARK}%"],
        )
        cursor.execute(
            f"DELETE FROM {_q(User._meta.db_table)} WHERE username LIKE %s", [f"{USER_MARK}%"]
        )
        removed["users"] = cursor.rowcount
        cursor.execute(
            f"DELETE FROM {_q(Organisation._meta.db_table)} WHERE name_en LIKE %s",
            [f"{ORG_MARK}%"],
        )
        removed["organisations"] = cursor.rowcount
    if recount:
        discipline_counts_rebuild()
    return removed


# --- the directory: bodies and their people -------------------------------------------------


def _ministries(spec: SynthSpec, rng: random.Random) -> list[Organisation]:
    existing = {o.name_en: o for o in Organisation.objects.filter(name_en__startswith=ORG_MARK)}
    wanted = []
    for i in range(1, spec.ministries + 1):
        name_en = f"{ORG_MARK}Ministry {i}"
        if name_en in existing:
            continue
        kind = OrganisationKind.MINISTRY if i <= 25 else OrganisationKind.AGENCY
        wanted.append(
            Organisation(
                kind=kind,
                name_en=name_en,
                name_ru=f"{ORG_MARK}Министерство № {i}",
                name_kk=f"{ORG_MARK}№ {i} министрлік",
                abbr_ru=f"СМ{i}",
                abbr_kk=f"СМ{i}",
            )
        )
    Organisation.objects.bulk_create(wanted)
    return list(
        Organisation.objects.filter(name_en__startswith=ORG_MARK).order_by("id")[: spec.ministries]
    )


def _users(organisations: list[Organisation]) -> tuple[dict[int, int], int]:
    """One executor per body (the author of its reports), a controller and an observer."""
    names = {f"{USER_MARK}exec-{o.pk}": o for o in organisations}
    have = set(User.objects.filter(username__in=list(names)).values_list("username", flat=True))
    new = [
        User(username=name, organisation=org, password="!", first_name="Synthetic")
        for name, org in names.items()
        if name not in have
    ]
    for special in ("controller", "observer"):
        name = f"{USER_MARK}{special}"
        if not User.objects.filter(username=name).exists():
            new.append(User(username=name, password="!", first_name="Synthetic"))
    User.objects.bulk_create(new)
    users = {u.username: u.pk for u in User.objects.filter(username__startswith=USER_MARK)}
    grants = [RoleGrant(user_id=users[name], role=Role.EXECUTOR) for name in names]
    grants += [
        RoleGrant(user_id=users[f"{USER_MARK}controller"], role=Role.CONTROLLER),
        RoleGrant(user_id=users[f"{USER_MARK}observer"], role=Role.OBSERVER),
    ]
    RoleGrant.objects.bulk_create(grants, ignore_conflicts=True)
    return {org.pk: users[name] for name, org in names.items()}, len(new)


# --- plans and their activities -------------------------------------------------------------


def _report_dates(rng: random.Random, start: dt.date, end: dt.date, last: dt.date) -> list[dt.date]:
    """Quarterly, half-yearly, yearly or one-off report dates over a plan's period."""
    day = rng.choice((5, 10, 15, 20, 25))
    kind = rng.random()
    months: tuple[int, ...]
    if kind < 0.35:
        months = (1, 4, 7, 10)
    elif kind < 0.55:
        months = (1, 7)
    elif kind < 0.8:
        months = (12,) if rng.random() < 0.5 else (1,)
    else:
        span = max((end - start).days, 1)
        return [min(start + dt.timedelta(days=rng.randrange(span)), last)]
    dates = []
    for year in range(start.year, end.year + 2):
        for month in months:
            due = dt.date(year, month, day)
            # A report falls due after the period it covers has begun, and up to a month past
            # its end.
            if start < due <= min(end + dt.timedelta(days=31), last):
                dates.append(due)
    return dates or [min(end, last)]


def _pick(rng: random.Random, bodies: list[Body], cum: list[float], k: int) -> list[Body]:
    chosen: list[Body] = []
    for _attempt in range(k * 3):
        body = bodies[bisect_left(cum, rng.random() * cum[-1])]
        if all(b is not body for b in chosen):
            chosen.append(body)
        if len(chosen) == k:
            break
    return chosen


# --- the build ----------------------------------------------------------------------------------

TABLES = [
    Plan._meta.db_table,
    Activity._meta.db_table,
    ActivityExecutor._meta.db_table,
    Obligation._meta.db_table,
    ExecutionReport._meta.db_table,
]


def synth_build(
    *, actor: User | None, spec: SynthSpec, reset: bool = False, progress: Progress | None = None
) -> SynthResult:
    """Build the synthetic data set in one transaction, then refresh the planner's statistics."""
    say = progress or (lambda _message: None)
    started = time.perf_counter()
    result = SynthResult()
    with transaction.atomic():
        lock_tables(TABLES)
        if is_postgresql() and spec.obligations >= BULK_THRESHOLD:
            say(_("Setting indexes and foreign keys aside for the load"))
            with indexes_set_aside(TABLES):
                _reset_and_build(spec, result, say, reset)
                say(_("Rebuilding indexes and foreign keys"))
        else:
            _reset_and_build(spec, result, say, reset)
        reset_sequences([Plan, Activity, ActivityExecutor, Obligation, ExecutionReport])
        # Written by COPY, not by the services: counted here, all at once.
        discipline_counts_rebuild()
        audit_record(
            actor=actor,
            action="control.synth_built",
            object_type="control.synth",
            object_id=spec.seed,
            after={
                "plans": result.plans,
                "activities": result.activities,
                "obligations": result.obligations,
                "reports": result.reports,
            },
        )
    say(_("Refreshing the statistics"))
    analyze([*TABLES, DisciplineCount._meta.db_table])
    result.seconds = time.perf_counter() - started
    return result


def _reset_and_build(spec: SynthSpec, result: SynthResult, say: Progress, reset: bool) -> None:
    if reset:
        say(_("Removing the previous synthetic data"))
        result.removed = synth_reset(recount=False)
    _build(spec, result, say)


def _build(spec: SynthSpec, result: SynthResult, say: Progress) -> None:
    rng = random.Random(spec.seed)
    today = timezone.localdate()
    now = timezone.now()
    last = dt.date(spec.last_year, 12, 31)

    ministries = _ministries(spec, rng)
    directory = list(
        Organisation.objects.filter(
            merged_into__isnull=True, region__isnull=True, kind__in=_DIRECTORY_KINDS
        )
        .exclude(name_en__startswith=ORG_MARK)
        .order_by("id")[:100]
    )
    regions = list(Region.objects.select_related("akimat").order_by("id"))
    akimats = [r.akimat for r in regions if getattr(r, "akimat", None) is not None]
    authors, result.users = _users([*ministries, *directory, *akimats])
    result.organisations = len(ministries)
    fallback = authors[ministries[0].pk]

    bodies = [Body(o.pk, authors[o.pk], rng.uniform(0.45, 0.97)) for o in [*ministries, *directory]]
    rng.shuffle(bodies)
    # A few bodies carry most activities, as ministries do.
    cum = list(accumulate(1 / (i + 1) ** 0.8 for i in range(len(bodies))))
    region_bodies: dict[int, Body] = {}
    for region in regions:
        akimat = getattr(region, "akimat", None)
        akimat_id = akimat.pk if akimat is not None else None
        region_bodies[region.pk] = Body(
            akimat_id,
            authors.get(akimat_id, fallback) if akimat_id else fallback,
            rng.uniform(0.5, 0.95),
            region_id=region.pk,
        )

    plan_id, activity_id = next_id(Plan), next_id(Activity)
    executor_id, obligation_id = next_id(ActivityExecutor), next_id(Obligation)
    report_id = next_id(ExecutionReport)

    plans: list[tuple[Any, ...]] = []
    activity_rows: list[tuple[Any, ...]] = []
    executor_rows: list[tuple[Any, ...]] = []
    structure: list[SynthActivity] = []
    made = 0
    first_year = spec.first_year
    for p in range(spec.plans):
        start = dt.date(rng.randrange(first_year, spec.last_year), rng.choice((1, 1, 4, 7)), 1)
        years = rng.choice((1, 2, 3, 3, 4, 5))
        end = min(dt.date(start.year + years, start.month, 1) - dt.timedelta(days=1), last)
        approved = start - dt.timedelta(days=rng.randrange(10, 60))
        number = p + 1
        plans.append(
            (
                plan_id,
                f"{TITLE_MARK}№ {number} іс-шаралар жоспары",
                f"{TITLE_MARK}План мероприятий № {number}",
                approved,
                f"{PLAN_MARK}{number}",
                start,
                end,
                dt.datetime.combine(approved, dt.time(10), tzinfo=ALMATY),
            )
        )
        existing = [r for r in regions if r.existed_on(approved)]
        remaining = max(spec.obligations - made, 0)
        budget = remaining / max(spec.plans - p, 1) * rng.uniform(0.5, 1.5)
        planned, position = 0, 0
        while planned < budget or position == 0:
            position += 1
            dates = _report_dates(rng, start, end, last)
            executors = _pick(rng, bodies, cum, rng.choice((1, 1, 2, 2, 3, 4)))
            grouped = rng.random() < 0.12
            in_force = rng.random() > 0.015
            act = SynthActivity(activity_id, plan_id, in_force, dates, [], [])
            for i, body in enumerate(executors):
                # Now and then a later revision drops an executor: its obligations are withdrawn.
                alive = rng.random() > 0.01
                act.executors.append((executor_id, body, alive))
                executor_rows.append(
                    (
                        executor_id,
                        activity_id,
                        i + 1,
                        f"СМ{body.organisation_id}",
                        f"СМ{body.organisation_id}",
                        body.organisation_id,
                        False,
                        i == 0 and len(executors) > 1,
                        False,
                        "",
                        "",
                        alive,
                    )
                )
                executor_id += 1
            if grouped:
                act.group_executor_id = executor_id
                act.regions = [region_bodies[r.pk] for r in existing]
                executor_rows.append(
                    (
                        executor_id,
                        activity_id,
                        len(executors) + 1,
                        "облыстардың, Астана, Алматы және Шымкент қалаларының әкімдіктері",
                        "акиматы областей, городов Астаны, Алматы и Шымкента",
                        None,
                        True,
                        False,
                        False,
                        "",
                        "",
                        True,
                    )
                )
                executor_id += 1
            activity_rows.append(
                (
                    activity_id,
                    plan_id,
                    f"{position}",
                    position,
                    "",
                    "",
                    f"№ {number} жоспардың {position}-іс-шарасы",
                    f"Мероприятие {position} плана № {number}",
                    ["Президент Әкімшілігіне ақпарат"],
                    ["информация в АП"],
                    "",
                    "",
                    "",
                    "",
                    start,
                    end,
                    [d.isoformat() for d in dates],
                    [],
                    in_force,
                )
            )
            structure.append(act)
            planned += (len(act.executors) + len(act.regions)) * len(dates)
            activity_id += 1
        made += planned
        plan_id += 1
    result.plans, result.activities, result.executors = (
        len(plans),
        len(activity_rows),
        len(executor_rows),
    )
    TableWriter(Plan, PLAN_FIELDS).write(plans)
    TableWriter(Activity, ACTIVITY_FIELDS).write(activity_rows)
    TableWriter(ActivityExecutor, EXECUTOR_FIELDS).write(executor_rows)
    say(
        _(
            "%(plans)s plans, %(activities)s activities, %(executors)s executors; about "
            "%(obligations)s obligations to write"
        )
        % {
            "plans": result.plans,
            "activities": result.activities,
            "executors": result.executors,
            "obligations": made,
        }
    )

    # How often a past obligation is reported, so that the reports come out near the target.
    past = sum(
        (len(a.executors) + len(a.regions)) * sum(1 for d in a.dates if d < today)
        for a in structure
    )
    future = made - past
    per_submitted = 1 + RETURNED * RESUBMITTED
    submit = (spec.reports - future * EARLY * per_submitted) / max(past * per_submitted, 1)
    facts = Facts(rng, today, now, min(max(submit, 0.05), 0.99), report_id)

    obligations = TableWriter(Obligation, OBLIGATION_FIELDS)
    reports = TableWriter(ExecutionReport, REPORT_FIELDS)
    batch: list[tuple[Any, ...]] = []
    report_batch: list[tuple[Any, ...]] = []
    plan_created = {row[0]: row[7] for row in plans}
    step = max(made // 10, 1)
    shown = 0

    def flush() -> None:
        result.obligations += obligations.write(batch)
        result.reports += reports.write(report_batch)
        batch.clear()
        report_batch.clear()

    for act in structure:
        created = plan_created[act.plan_id]
        owed = [(eid, body, alive) for eid, body, alive in act.executors]
        owed += [(act.group_executor_id or 0, body, True) for body in act.regions]
        for due in act.dates:
            for eid, body, alive in owed:
                deadline = facts.deadline(due)
                batch.append(
                    (
                        obligation_id,
                        act.id,
                        eid,
                        body.organisation_id,
                        body.region_id,
                        due,
                        deadline,
                        *facts.draw(obligation_id, body, due, deadline, report_batch),
                        act.in_force and alive,
                        created,
                    )
                )
                obligation_id += 1
        if len(batch) >= 50_000:
            flush()
            if result.obligations - shown >= step:
                shown = result.obligations
                say(
                    _("%(obligations)s obligations, %(reports)s reports")
                    % {"obligations": result.obligations, "reports": result.reports}
                )
    flush()
    say(
        _("%(obligations)s obligations, %(reports)s reports written")
        % {"obligations": result.obligations, "reports": result.reports}
    )


_DIRECTORY_KINDS = [
    OrganisationKind.PRESIDENTIAL,
    OrganisationKind.MINISTRY,
    OrganisationKind.AGENCY,
    OrganisationKind.STATE_INSTITUTION,
]
