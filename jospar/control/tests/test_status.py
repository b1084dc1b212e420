"""The status computed in SQL (``status_expression``, ``status_filter``) and in Python
(``status_of``) agree: on a table of cases, and on facts hypothesis makes up."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jospar.control.models import Obligation, ObligationStatus
from jospar.control.status import status_expression, status_filter, status_of
from jospar.control.tests.conftest import World

pytestmark = pytest.mark.django_db

ON = dt.date(2016, 6, 15)
S = ObligationStatus


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def d(offset: int) -> dt.date:
    return ON + dt.timedelta(days=offset)


# (deadline offset, submitted offset, returned offset, accepted offset) → status on ON.
CASES: list[tuple[int, int | None, int | None, int | None, ObligationStatus]] = [
    (30, None, None, None, S.NOT_YET_DUE),
    (8, None, None, None, S.NOT_YET_DUE),
    (7, None, None, None, S.DUE_SOON),
    (0, None, None, None, S.DUE_SOON),
    (-1, None, None, None, S.OVERDUE),
    (5, -2, None, None, S.SUBMITTED_ON_TIME),
    (-5, -5, None, None, S.SUBMITTED_ON_TIME),
    (-5, -3, None, None, S.SUBMITTED_LATE),
    (10, -3, -1, None, S.RETURNED),
    (-1, -3, -2, None, S.OVERDUE),
    (0, -3, -2, None, S.RETURNED),
    (10, 0, -1, None, S.SUBMITTED_ON_TIME),  # resubmitted after the return
    (-2, 0, -3, None, S.SUBMITTED_LATE),
    (-30, -3, None, -1, S.ACCEPTED),
    (-30, None, None, -1, S.ACCEPTED),  # marked executed without a report
    (10, -3, -2, -1, S.ACCEPTED),
]
# The same facts with the first submission's lateness (days) → status on ON.
FIRST_LATE_CASES: list[tuple[int, int | None, int | None, int | None, int, ObligationStatus]] = [
    (10, 0, -1, None, 7, S.SUBMITTED_LATE),  # late at first, on time after the return
    (10, 0, -1, None, 0, S.SUBMITTED_ON_TIME),
    (10, -3, -1, None, 7, S.RETURNED),  # returned: the new date governs
]


def _make(
    world: World,
    facts: list[tuple[int, int | None, int | None, int | None]],
    first_late: list[int | None] | None = None,
) -> list[Obligation]:
    """Obligations with these facts (offsets from ON), one per row; made like the schedule's."""
    template = world.own
    made = []
    for i, (deadline, submitted, returned, accepted) in enumerate(facts):
        late = first_late[i] if first_late else None
        made.append(
            Obligation(
                activity_id=template.activity_id,
                executor_id=template.executor_id,
                organisation_id=template.organisation_id,
                due_on=dt.date(2000, 1, 1) + dt.timedelta(days=i),
                deadline=d(deadline),
                submitted_at=at(d(submitted)) if submitted is not None else None,
                submitted_on=d(submitted) if submitted is not None else None,
                # A return is later in its day than the submission it returns.
                returned_at=at(d(returned), 15) if returned is not None else None,
                accepted_at=at(d(accepted), 17) if accepted is not None else None,
                first_late_days=late if submitted is not None else None,
            )
        )
    Obligation.objects.bulk_create(made)
    return list(Obligation.objects.filter(due_on__lt=dt.date(2001, 1, 1)).order_by("due_on"))


def _check(rows: list[Obligation], on: dt.date) -> dict[int, str]:
    ids = [o.pk for o in rows]
    sql = dict(
        Obligation.objects.filter(pk__in=ids)
        .annotate(s=status_expression(on))
        .values_list("pk", "s")
    )
    for obligation in rows:
        assert sql[obligation.pk] == status_of(obligation, on).value, obligation.__dict__
    for status in ObligationStatus:
        chosen = set(
            Obligation.objects.filter(pk__in=ids)
            .filter(status_filter(status.value, on))
            .values_list("pk", flat=True)
        )
        assert chosen == {pk for pk, s in sql.items() if s == status.value}, status
    return sql


def test_table_of_cases(world: World) -> None:
    rows = _make(world, [c[:4] for c in CASES])
    sql = _check(rows, ON)
    assert [sql[o.pk] for o in rows] == [c[4].value for c in CASES]


def test_first_lateness_cases(world: World) -> None:
    rows = _make(world, [c[:4] for c in FIRST_LATE_CASES], [c[4] for c in FIRST_LATE_CASES])
    sql = _check(rows, ON)
    assert [sql[o.pk] for o in rows] == [c[5].value for c in FIRST_LATE_CASES]


offsets = st.integers(min_value=-20, max_value=20)
facts = st.tuples(offsets, st.none() | offsets, st.none() | offsets, st.none() | offsets)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=st.lists(facts, min_size=1, max_size=25),
    on=offsets,
    late=st.lists(st.none() | st.integers(min_value=0, max_value=30), min_size=25, max_size=25),
)
def test_sql_and_python_agree(
    world: World,
    rows: list[tuple[int, int | None, int | None, int | None]],
    on: int,
    late: list[int | None],
) -> None:
    # The examples share the test's database: each starts from the world alone.
    Obligation.objects.filter(due_on__lt=dt.date(2001, 1, 1)).delete()
    _check(_make(world, rows, late), d(on))
