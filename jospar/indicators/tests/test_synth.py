"""``jospar synth-indicators --small`` on any database: what it builds, that the dashboard reads
it, and that a reset removes it all."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jospar.indicators.models import DataValue, Indicator, Target, ValueState
from jospar.indicators.selectors import national_dashboard
from jospar.indicators.synth import IndicatorSynthSpec, synth_indicators_build
from jospar.programs.models import Program


def _values() -> list[tuple[object, ...]]:
    rows = DataValue.objects.values_list("indicator__code", "period", "region__code", "value")
    return sorted(rows, key=lambda r: (r[0], r[1], r[2] or "", r[3]))


def test_small_synth_builds_resets_and_feeds_the_dashboard(regions: None) -> None:
    out = StringIO()
    call_command("synth_indicators", small=True, stdout=out)
    spec = IndicatorSynthSpec.small()
    assert Indicator.objects.filter(code__startswith="synth-").count() == spec.indicators
    assert Target.objects.count() >= spec.indicators
    values = DataValue.objects.count()
    # The regions of each quarter (17 before June 2022's reform, 20 after), a tenth of the
    # newest quarter's missing, and the national values of the indicators not aggregated.
    assert spec.indicators * spec.quarters * 17 <= values <= spec.indicators * spec.quarters * 21
    assert DataValue.objects.filter(state=ValueState.SUBMITTED).exists()
    groups = national_dashboard()
    rows = [row for group in groups for row in group.rows]
    assert len(rows) == spec.indicators
    assert all(row.value is not None for row in rows)
    assert all(group.node is not None for group in groups)
    assert "Built" in out.getvalue()
    # Same seed, same data: a rebuild with reset gives the same figures.
    before = _values()
    synth_indicators_build(spec=spec, reset=True)
    assert _values() == before
    call_command("synth_indicators", reset_only=True, stdout=StringIO())
    assert not Indicator.objects.exists()
    assert not DataValue.objects.exists()
    assert not Program.objects.exists()


@pytest.mark.django_db
def test_the_full_size_needs_postgresql(settings: object) -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        pytest.skip("on PostgreSQL the full size is allowed")
    with pytest.raises(CommandError):
        call_command("synth_indicators", stdout=StringIO())
