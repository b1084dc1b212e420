"""Issue #15: the control pages cost the same number of queries whatever the data's size; the
obligation list's keyset pages have neither duplicates nor gaps; its tabs and total (from the
kept counts) equal the rows; a count that only a scan would answer is bounded and said so."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jospar.control.models import Obligation, ObligationStatus
from jospar.control.selectors.counts import obligation_status_totals, obligation_total
from jospar.control.selectors.obligations import ObligationFilter, obligation_list_for
from jospar.control.status import status_of, today
from jospar.control.synth import SynthSpec, synth_build, synth_reset
from jospar.core import keyset
from jospar.core.keyset import Total, bounded_count, parse_cursor
from jospar.core.models import User

pytestmark = pytest.mark.django_db

SMALL = SynthSpec(plans=3, obligations=300, reports=220, ministries=4, seed=11)
LARGER = SynthSpec(plans=8, obligations=1400, reports=1000, ministries=6, seed=12)


def _build(spec: SynthSpec) -> None:
    synth_reset()
    synth_build(actor=None, spec=spec)


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _executor() -> str:
    user = (
        User.objects.filter(
            username__startswith="synth-exec-", organisation__obligations__isnull=False
        )
        .order_by("id")
        .first()
    )
    assert user is not None
    return user.username


def _pages(plan_id: int) -> list[tuple[str, str]]:
    return [
        ("synth-controller", reverse("control:obligations")),
        ("synth-controller", reverse("control:obligations") + "?status=overdue"),
        ("synth-controller", reverse("control:obligations") + f"?plan={plan_id}&status=accepted"),
        ("synth-controller", reverse("control:obligations") + "?due_from=2015-01-01"),
        ("synth-controller", reverse("control:review")),
        ("synth-controller", reverse("control:discipline") + "?group=plan"),
        ("synth-controller", reverse("plans:list") + "?page=2"),
        ("synth-observer", reverse("control:obligations")),
        ("EXECUTOR", reverse("control:obligations")),
        ("EXECUTOR", reverse("control:today")),
    ]


def _queries() -> dict[str, int]:
    from jospar.plans.models import Plan

    plan_id = Plan.objects.filter(approval_number__startswith="SYNTH-").order_by("id").first()
    assert plan_id is not None
    executor = _executor()
    out: dict[str, int] = {}
    for username, url in _pages(plan_id.pk):
        client = _client(executor if username == "EXECUTOR" else username)
        client.get(url)  # warm: sessions, caches
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, url
        out[f"{username} {url.split('?')[1] if '?' in url else url}"] = len(ctx.captured_queries)
    return out


def test_queries_do_not_grow_with_the_data() -> None:
    """Two data sets, about five times apart: every page the same number of queries."""
    _build(SMALL)
    small_obligations = Obligation.objects.count()
    small = _queries()
    _build(LARGER)
    assert Obligation.objects.count() > 3 * small_obligations
    assert _queries() == small


def _walk(client: Client, url: str) -> list[int]:
    """Follow "Next" from the first page to the last; the ids in order."""
    seen: list[int] = []
    for _ in range(1000):
        response = client.get(url)
        assert response.status_code == 200
        seen += [o.pk for o in response.context["page"].object_list]
        nxt = response.context["page"].next_cursor
        if nxt is None:
            return seen
        url = re.sub(r"[?&]after=[^&]*", "", url)
        url += ("&" if "?" in url else "?") + f"after={nxt}"
    raise AssertionError("no end")


def test_keyset_pages_have_no_duplicates_or_gaps(monkeypatch: pytest.MonkeyPatch) -> None:
    _build(SMALL)
    monkeypatch.setattr("jospar.control.views.obligations.PAGE_SIZE", 17)
    controller = User.objects.get(username="synth-controller")
    # Some obligations without a deadline come last, read by id.
    Obligation.objects.filter(pk__in=Obligation.objects.order_by("id").values("pk")[:3]).update(
        deadline=None
    )
    expected = list(
        obligation_list_for(controller)
        .order_by(F("deadline").asc(nulls_last=True), "id")
        .values_list("pk", flat=True)
    )
    client = _client("synth-controller")
    url = reverse("control:obligations")
    ids = _walk(client, url)
    assert len(ids) == len(set(ids))
    assert ids == expected
    # And back: "Previous" from the last page returns the same pages in reverse.
    last = client.get(url + f"?after={_cursor_before_last(ids, 17)}")
    back: list[int] = []
    page = last.context["page"]
    back = [o.pk for o in page.object_list]
    while page.previous_cursor:
        page = client.get(url + f"?before={page.previous_cursor}").context["page"]
        back = [o.pk for o in page.object_list] + back
    assert back == expected


def _cursor_before_last(ids: list[int], size: int) -> str:
    o = Obligation.objects.get(pk=ids[((len(ids) - 1) // size) * size - 1])
    return keyset.cursor_text((o.deadline, o.pk))


def test_tabs_and_total_from_counts_equal_the_rows() -> None:
    _build(SMALL)
    on = today()
    for username in ("synth-controller", "synth-observer", _executor()):
        user = User.objects.get(username=username)
        for f in (ObligationFilter(on=on), ObligationFilter(on=on, quarter="2016-Q1")):
            rows = list(obligation_list_for(user, f))
            totals = obligation_status_totals(user, f)
            for status in ObligationStatus:
                n = sum(1 for o in rows if status_of(o, on) == status)
                assert totals[status.value] == Total(n), (username, status)
                with_status = ObligationFilter(on=on, quarter=f.quarter, status=status.value)
                assert obligation_total(user, with_status) == Total(n)
            plan_id = rows[0].activity.plan_id if rows and rows[0].activity else None
            if plan_id is not None:
                by_plan = ObligationFilter(on=on, plan_id=plan_id)
                n = sum(1 for o in rows if o.activity and o.activity.plan_id == plan_id)
                assert f.quarter or obligation_total(user, by_plan) == Total(n)


def test_bounded_counts_say_more_than(monkeypatch: pytest.MonkeyPatch) -> None:
    _build(SMALL)
    monkeypatch.setattr(keyset, "COUNT_BOUND", 20)
    qs = Obligation.objects.all()
    assert bounded_count(qs, 20) == Total(20, more=True)
    assert bounded_count(qs.filter(pk__in=[]), 20) == Total(0)
    # A filter by the plan's own date is not in the counts: bounded, and said so.
    monkeypatch.setattr(
        "jospar.control.selectors.counts.bounded_count", lambda q: bounded_count(q, 20)
    )
    response = _client("synth-controller").get(
        reverse("control:obligations") + "?due_from=2000-01-01", HTTP_ACCEPT_LANGUAGE="en"
    )
    text = response.content.decode()
    assert "More than 20 obligations" in text
    assert "more than 20" in text


@pytest.mark.parametrize(
    "value", ["", "x", "2016-13-01.5", "2016-01-01.-1", "2016-01-01", "-.x", "\x00.1"]
)
def test_hostile_cursors_are_ignored(value: str) -> None:
    assert parse_cursor(value) is None
    _build(SMALL)
    response = _client("synth-controller").get(reverse("control:obligations"), {"after": value})
    # NUL is refused at the edge (400); the rest are ignored: the first page.
    assert response.status_code in (200, 400)


def test_organisation_choices_come_from_the_counts_and_equal_the_owing_organisations() -> None:
    """The list's organisation drop-down: the organisations that owe an obligation in force the
    person can see — read from the kept counts, never from the obligations (a semi-join over
    2 M obligations took 26 s at national scale)."""
    from jospar.control.selectors.counts import obligation_organisations
    from jospar.control.selectors.obligations import in_force, visible_obligations

    _build(SMALL)
    executor = _executor()
    for username in ("synth-controller", "synth-observer", executor):
        user = User.objects.get(username=username)
        expected = set(
            visible_obligations(user).filter(in_force()).values_list("organisation_id", flat=True)
        )
        with CaptureQueriesContext(connection) as ctx:
            found = {o.pk for o in obligation_organisations(user)}
        assert found, username
        assert found == expected, username
        assert not any("control_obligation" in q["sql"] for q in ctx.captured_queries), username
    # An organisation whose obligations all leave force leaves the choices.
    user = User.objects.get(username="synth-controller")
    gone = Obligation.objects.order_by("id").values_list("organisation_id", flat=True)[0]
    from jospar.control.discipline_counts import discipline_counts_rebuild

    Obligation.objects.filter(organisation_id=gone).update(in_force=False)
    discipline_counts_rebuild()
    assert gone not in {o.pk for o in obligation_organisations(user)}
