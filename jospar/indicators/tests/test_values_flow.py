"""The approval flow and its permission matrix: a region's office enters and submits only its
own region's values, the centre approves or returns them, an approved value changes only by a
correction that keeps both figures; every refusal changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jospar.core.errors import ServiceError
from jospar.core.models import AuditEvent
from jospar.indicators.models import Correction, DataValue, ValueState
from jospar.indicators.periods import parse_period
from jospar.indicators.services.values import (
    ValueEntry,
    value_approve,
    value_correct,
    value_return,
    values_save,
    values_submit,
)
from jospar.indicators.tests.conftest import World

Q3 = parse_period("2024Q3")


def _enter(world: World, who: str = "office_north", share: str = "40", count: str = "12") -> None:
    values_save(
        actor=world.people[who],
        region=world.north,
        period=Q3,
        entries=[
            ValueEntry(world.share.pk, Decimal(share), source="Акимат", comment=""),
            ValueEntry(world.count.pk, Decimal(count)),
        ],
    )


def test_the_whole_flow(world: World) -> None:
    office, centre = world.people["office_north"], world.people["controller"]
    _enter(world)
    assert DataValue.objects.filter(state=ValueState.DRAFT).count() == 2
    values_submit(actor=office, region=world.north, period=Q3)
    share = DataValue.objects.get(indicator=world.share)
    count = DataValue.objects.get(indicator=world.count)
    assert share.state == ValueState.SUBMITTED
    assert share.submitted_by == office
    value_return(actor=centre, value_id=share.pk, comment="Источник не указан полностью")
    value_approve(actor=centre, value_id=count.pk)
    share.refresh_from_db()
    assert share.state == ValueState.RETURNED
    assert share.review_comment
    # The office corrects the returned value and submits again; the approved one stays.
    values_save(
        actor=office,
        region=world.north,
        period=Q3,
        entries=[ValueEntry(world.share.pk, Decimal("42.5"), source="Акимат, отчёт №5")],
    )
    assert values_submit(actor=office, region=world.north, period=Q3) == [share.pk]
    value_approve(actor=centre, value_id=share.pk)
    share.refresh_from_db()
    assert (share.state, share.current) == (ValueState.APPROVED, Decimal("42.5"))
    actions = list(
        AuditEvent.objects.filter(object_type="indicators.datavalue", object_id=str(share.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "indicator_value.saved",
        "indicator_value.submitted",
        "indicator_value.returned",
        "indicator_value.saved",
        "indicator_value.submitted",
        "indicator_value.approved",
    ]


def test_a_department_of_the_akimat_is_the_regions_office(world: World) -> None:
    _enter(world, who="office_north_department")
    assert DataValue.objects.filter(region=world.north).count() == 2


def test_correction_keeps_both_figures(world: World) -> None:
    centre = world.people["controller"]
    _enter(world)
    values_submit(actor=world.people["office_north"], region=world.north, period=Q3)
    share = DataValue.objects.get(indicator=world.share)
    value_approve(actor=centre, value_id=share.pk)
    value_correct(actor=centre, value_id=share.pk, value=Decimal("41"), reason="Уточнено")
    value_correct(actor=centre, value_id=share.pk, value=Decimal("41.5"), reason="Ещё раз")
    share.refresh_from_db()
    assert share.value == Decimal("40")
    assert share.current == Decimal("41.5")
    assert list(Correction.objects.values_list("previous", "value")) == [
        (Decimal("40"), Decimal("41")),
        (Decimal("41"), Decimal("41.5")),
    ]


def test_implausible_value_asks_for_confirmation(world: World) -> None:
    before = world.snapshot()
    with pytest.raises(ServiceError) as caught:
        _enter(world, share="140")
    assert caught.value.code == "needs_confirmation"
    assert f"i{world.share.pk}" in caught.value.fields
    assert world.snapshot() == before
    values_save(
        actor=world.people["office_north"],
        region=world.north,
        period=Q3,
        entries=[ValueEntry(world.share.pk, Decimal("140"))],
        confirmed=True,
    )
    event = AuditEvent.objects.filter(action="indicator_value.saved").last()
    assert event is not None
    assert "plausible" in event.reason


def _refused(world: World, action: object) -> None:
    before = world.snapshot()
    with pytest.raises(ServiceError):
        action()  # type: ignore[operator]
    assert world.snapshot() == before


ENTER_NORTH_ALLOWED = {"office_north", "office_north_department"}


@pytest.mark.parametrize(
    "who",
    [
        "office_north",
        "office_north_department",
        "office_south",
        "ministry",
        "observer",
        "civic_official",
        "controller",
        "administrator",
    ],
)
def test_matrix_entering_and_submitting(world: World, who: str) -> None:
    actor = world.people[who]
    if who in ENTER_NORTH_ALLOWED:
        _enter(world, who=who)
        values_submit(actor=actor, region=world.north, period=Q3)
        assert DataValue.objects.filter(state=ValueState.SUBMITTED).count() == 2
        return
    _refused(world, lambda: _enter(world, who=who))
    _enter(world)  # the north's own office
    _refused(world, lambda: values_submit(actor=actor, region=world.north, period=Q3))


@pytest.mark.parametrize(
    "who",
    [
        "office_north",
        "office_south",
        "ministry",
        "observer",
        "civic_official",
        "controller",
        "administrator",
    ],
)
def test_matrix_reviewing_and_correcting(world: World, who: str) -> None:
    actor = world.people[who]
    _enter(world)
    values_submit(actor=world.people["office_north"], region=world.north, period=Q3)
    share = DataValue.objects.get(indicator=world.share)
    count = DataValue.objects.get(indicator=world.count)
    if who in {"controller", "administrator"}:
        value_approve(actor=actor, value_id=share.pk)
        value_return(actor=actor, value_id=count.pk, comment="Проверьте")
        value_correct(actor=actor, value_id=share.pk, value=Decimal(1), reason="Опечатка")
        return
    _refused(world, lambda: value_approve(actor=actor, value_id=share.pk))
    _refused(world, lambda: value_return(actor=actor, value_id=share.pk, comment="x"))
    value_approve(actor=world.people["controller"], value_id=share.pk)
    _refused(
        world,
        lambda: value_correct(actor=actor, value_id=share.pk, value=Decimal(1), reason="x"),
    )


def test_nobody_changes_an_approved_value_on_the_form(world: World) -> None:
    office, centre = world.people["office_north"], world.people["controller"]
    _enter(world)
    values_submit(actor=office, region=world.north, period=Q3)
    share = DataValue.objects.get(indicator=world.share)
    value_approve(actor=centre, value_id=share.pk)
    _refused(world, lambda: _enter(world, share="55"))
    _refused(world, lambda: _enter(world, who="controller", share="55"))
    # Removing it is a change too.
    _refused(
        world,
        lambda: values_save(
            actor=office, region=world.north, period=Q3, entries=[ValueEntry(world.share.pk, None)]
        ),
    )
    # A submitted value is the centre's to review: the office cannot edit it either.
    _refused(world, lambda: _enter(world, count="99"))


def test_refusals_of_the_review(world: World) -> None:
    centre = world.people["controller"]
    _enter(world)
    share = DataValue.objects.get(indicator=world.share)
    _refused(world, lambda: value_approve(actor=centre, value_id=share.pk))  # a draft
    values_submit(actor=world.people["office_north"], region=world.north, period=Q3)
    _refused(world, lambda: value_return(actor=centre, value_id=share.pk, comment="  "))
    _refused(
        world, lambda: value_correct(actor=centre, value_id=share.pk, value=Decimal(3), reason="x")
    )  # not approved yet
    _refused(
        world,
        lambda: values_submit(actor=world.people["office_north"], region=world.north, period=Q3),
    )  # nothing left to submit


def test_national_values_are_the_centres(world: World) -> None:
    entries = [ValueEntry(world.national.pk, Decimal(7))]
    _refused(
        world,
        lambda: values_save(
            actor=world.people["office_north"], region=None, period=Q3, entries=entries
        ),
    )
    values_save(actor=world.people["controller"], region=None, period=Q3, entries=entries)
    row = DataValue.objects.get(indicator=world.national)
    assert row.region is None
    assert row.state == ValueState.APPROVED
    # A regional indicator is not on the national form, a national one not on a region's.
    _refused(
        world,
        lambda: values_save(
            actor=world.people["office_north"], region=world.north, period=Q3, entries=entries
        ),
    )
