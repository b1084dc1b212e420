"""The completion kinds are filled at import, from both language versions, and again by
``completion_kinds_fill`` (what the migration does for rows saved before them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from jospar.control.services.plan_revisions import plan_file_import
from jospar.plans.completion import completion_kinds_fill
from jospar.plans.models import Activity

SEEDS = Path(__file__).resolve().parents[1] / "demo_seeds"

pytestmark = pytest.mark.django_db


def test_import_fills_the_kinds_of_both_versions() -> None:
    ru = SEEDS / "001_995ec698e315c512.txt"
    kk = SEEDS / "000_cd8375e37760b29f.txt"
    plan = plan_file_import(actor=None, data=ru.read_bytes(), filename=ru.name).plan
    assert plan_file_import(actor=None, data=kk.read_bytes(), filename=kk.name).plan == plan
    kinds = {a.number: a.completion_kinds for a in plan.activities.all()}
    assert kinds
    assert all(k for k in kinds.values())
    # "информация в АП" / "ПӘ-ге ақпарат" everywhere; "материалы СМИ" somewhere; the Kazakh
    # "кеңес" and the Russian "совещание" alike.
    assert all("information" in k for k in kinds.values())
    assert any("media" in k for k in kinds.values())
    assert any("event" in k for k in kinds.values())
    assert not any("other" in k for k in kinds.values())


def test_fill_reads_rows_saved_without_kinds() -> None:
    path = SEEDS / "001_995ec698e315c512.txt"
    plan = plan_file_import(actor=None, data=path.read_bytes(), filename=path.name).plan
    Activity.objects.filter(plan=plan).update(completion_kinds=[])
    assert completion_kinds_fill(plan) == plan.activities.count()
    assert completion_kinds_fill(plan) == 0
    first = plan.activities.order_by("position").first()
    assert first is not None
    assert first.completion_kinds
