"""The plan importer's saving half: atomic, idempotent, revisions, language versions."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jospar.control.models import Obligation
from jospar.control.services.plan_revisions import plan_file_import, plan_import
from jospar.core.audit import audit_verify_chain
from jospar.core.errors import ServiceError
from jospar.core.models import AuditEvent, Organisation
from jospar.planparser.tests.seedtools import GOLD, OTHER_SEEDS, seed_bytes
from jospar.plans.importing import plan_parse_file
from jospar.plans.models import Activity, ActivityExecutor, Plan, PlanRevision

pytestmark = pytest.mark.django_db


def _import(path: Path, **kwargs: Any) -> Any:
    return plan_file_import(actor=None, data=path.read_bytes(), filename=path.name, **kwargs)


def _counts() -> dict[str, int]:
    return {
        "plans": Plan.objects.count(),
        "revisions": PlanRevision.objects.count(),
        "activities": Activity.objects.count(),
        "executors": ActivityExecutor.objects.count(),
        "obligations": Obligation.objects.count(),
        "organisations": Organisation.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def _expected_obligations(plan_file: str, regions_then: int) -> int:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    plan = next(p for p in gold["plans"] if p["file"].startswith(plan_file))
    total = 0
    for activity in plan["activities"]:
        owners = sum(regions_then if e["code"] == "akimats" else 1 for e in activity["executors"])
        total += owners * len(activity["reports"])
    return total


def test_two_language_versions_become_one_plan(
    regions: None, seed_path: Callable[[str], Path]
) -> None:
    kk = _import(seed_path("000"))
    ru = _import(seed_path("001"))
    assert kk.created_plan
    assert not ru.created_plan
    plan = kk.plan
    assert ru.plan.pk == plan.pk
    assert plan.approved_on is not None
    assert plan.approved_on.isoformat() == "2015-10-30"
    assert plan.approval_number == "10"
    assert {r.lang for r in plan.revisions.all()} == {"kk", "ru"}
    activities = list(plan.activities.order_by("position"))
    assert len(activities) == 28
    assert all(a.title_kk and a.title_ru for a in activities)
    # The bodies the two texts name differently are one body of the directory.
    first = activities[0]
    pairs = {(e.code_kk, e.code_ru) for e in first.executors.all()}
    assert ("ИДМ", "МИР") in pairs
    assert ("МСМ", "МКС") in pairs
    assert ("ОКҚ", "СЦК") in pairs
    mir = next(e for e in first.executors.all() if e.code_ru == "МИР").organisation
    assert mir is not None
    assert mir.abbr_kk == "ИДМ"
    assert mir.abbr_ru == "МИР"
    assert "инвестициям и развитию" in mir.name_ru
    assert "Инвестициялар және даму" in mir.name_kk
    # Activity 5 lists the same bodies in another order in each language.
    fifth = next(a for a in activities if a.number == "5")
    assert {(e.code_kk, e.code_ru) for e in fifth.executors.all()} >= {
        ("ИДМ", "МИР"),
        ("ОКҚ", "СЦК"),
    }
    assert Obligation.objects.filter(activity__plan=plan).count() == _expected_obligations(
        "000", 16
    )
    assert audit_verify_chain().ok


def test_akimats_expand_to_the_regions_of_the_plan_date(
    regions: None, seed_path: Callable[[str], Path]
) -> None:
    outcome = _import(seed_path("001"))
    activity = outcome.plan.activities.get(number="14")
    obligations = Obligation.objects.filter(activity=activity)
    # 16 regions existed in October 2015 (no Shymkent, Turkistan, Abai, Zhetisu, Ulytau).
    assert obligations.values("region").distinct().count() == 16
    assert not obligations.filter(region__code__in=["shymkent", "turkistan", "abai"]).exists()
    assert obligations.filter(region__code="south-kazakhstan").exists()
    assert all(
        o.organisation is not None and o.organisation.region_id == o.region_id
        for o in obligations.select_related("organisation")
    )


def test_importing_the_same_text_twice_changes_nothing(
    regions: None, seed_path: Callable[[str], Path]
) -> None:
    _import(seed_path("003"))
    before = _counts()
    again = _import(seed_path("003"))
    assert again.unchanged
    assert _counts() == before


def test_a_changed_text_becomes_a_new_revision_with_its_changes(
    regions: None, seed_path: Callable[[str], Path]
) -> None:
    path = seed_path("003")
    first = _import(path)
    text = path.read_text(encoding="utf-8").replace(
        "2016 ж., 1-ші ақпанға", "2016 ж., 15-ші ақпанға"
    )
    second = plan_file_import(actor=None, data=text.encode(), filename=path.name)
    assert second.plan.pk == first.plan.pk
    assert second.revision is not None
    assert second.revision.number == 2
    changed = {(c["activity"], c.get("field")) for c in second.changes}
    assert ("10", "reports") in changed
    assert ("10", "deadline_text") in changed
    activity = second.plan.activities.get(number="10")
    assert activity.report_dates == ["2016-02-15"]
    dates = set(
        Obligation.objects.filter(activity=activity, in_force=True).values_list("due_on", flat=True)
    )
    assert {d.isoformat() for d in dates} == {"2016-02-15"}
    # The old obligations are withdrawn, not deleted.
    assert Obligation.objects.filter(activity=activity, in_force=False).count() == 4


def test_a_failure_half_way_leaves_nothing(
    regions: None, seed_path: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _counts()

    def explode(**kwargs: Any) -> None:
        raise RuntimeError("disk full")

    # The schedule is derived by control after the plan is saved, in the same transaction.
    monkeypatch.setattr("jospar.control.services.plan_revisions.obligations_sync_for_plan", explode)
    with pytest.raises(RuntimeError):
        _import(seed_path("000"))
    assert _counts() == before


def test_a_language_version_that_disagrees_is_refused(
    regions: None, seed_path: Callable[[str], Path]
) -> None:
    _import(seed_path("000"))
    path = seed_path("001")
    parsed, text = plan_parse_file(data=path.read_bytes(), filename=path.name)
    parsed["activities"][0]["reports"] = ["2015-11-17"]
    before = _counts()
    with pytest.raises(ServiceError) as refused:
        plan_import(actor=None, parsed=parsed, source_text=text, filename=path.name)
    assert refused.value.code == "language_versions_disagree"
    assert "1" in str(refused.value.message)
    assert _counts() == before


def test_not_a_plan_is_refused_clearly(db: Any) -> None:
    data = seed_bytes(OTHER_SEEDS[0])
    with pytest.raises(ServiceError) as refused:
        plan_file_import(actor=None, data=data, filename="program.txt")
    assert refused.value.code in {"not_a_plan", "no_activities"}
    assert Plan.objects.count() == 0
