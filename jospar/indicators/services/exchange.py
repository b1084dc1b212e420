"""Importing values from a statistical system's file (CSV or DHIS2 dataValueSets), all or
nothing.

The centre imports; an imported value is approved as it comes (the file is the statistical
system's official figure). A value already approved with another figure is changed by a
``Correction`` (both kept); a region's value still in its approval flow (draft, submitted,
returned) is not overwritten: the file is refused, naming it. The same figure twice is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.core.audit import audit_record
from jospar.core.errors import ServiceError
from jospar.core.models import Region, User
from jospar.indicators.interop import NATIONAL, InRow, read_values
from jospar.indicators.models import (
    Correction,
    DataValue,
    Indicator,
    Level,
    Method,
    ValueOrigin,
    ValueState,
    place_q,
)
from jospar.indicators.services._common import require_centre, value_snapshot


@dataclass
class ImportResult:
    created: int = 0
    corrected: int = 0
    unchanged: int = 0


def _refuse(problems: list[str]) -> ServiceError:
    return ServiceError("import_refused", problems[0], {"file": problems[:50]})


def values_import(*, actor: User, filename: str, data: bytes) -> ImportResult:
    require_centre(actor)
    filename = "".join(c for c in filename if c.isprintable())[:200]
    rows, problems = read_values(filename, data)
    if not rows and not problems:
        problems.append(_("The file has no values."))
    indicators = {i.code: i for i in Indicator.objects.filter(code__in={r.indicator for r in rows})}
    regions = {r.code: r for r in Region.objects.filter(code__in={r.region for r in rows})}
    seen: dict[tuple[str, str, str], int] = {}
    checked: list[tuple[InRow, Indicator, Region | None]] = []
    for row in rows:
        where = _("Row %(line)s: ") % {"line": row.line}
        indicator = indicators.get(row.indicator)
        region = None if row.region == NATIONAL else regions.get(row.region)
        if indicator is None:
            problems.append(
                where + _("no indicator has the code “%(code)s”.") % {"code": row.indicator}
            )
            continue
        if row.region != NATIONAL and region is None:
            problems.append(where + _("no region has the code “%(code)s”.") % {"code": row.region})
            continue
        if indicator.method in (Method.COMPUTED, Method.SURVEY):
            problems.append(
                where
                + _("%(code)s is computed by jospar, not imported.") % {"code": indicator.code}
            )
            continue
        if row.period.type != indicator.frequency:
            problems.append(
                where
                + _("%(code)s is measured %(frequency)s; %(period)s is another kind of period.")
                % {
                    "code": indicator.code,
                    "frequency": indicator.get_frequency_display(),
                    "period": row.period.iso,
                }
            )
            continue
        if region is not None and indicator.level != Level.REGION:
            problems.append(
                where + _("%(code)s has no values by region.") % {"code": indicator.code}
            )
            continue
        key = (row.indicator, row.period.iso, row.region)
        if key in seen:
            problems.append(where + _("the same value is on row %(other)s.") % {"other": seen[key]})
            continue
        seen[key] = row.line
        checked.append((row, indicator, region))
    if problems:
        raise _refuse(problems)
    result = ImportResult()
    now = timezone.now()
    note = _("Imported from %(file)s") % {"file": filename[:200]}
    with transaction.atomic():
        for row, indicator, region in checked:
            current = (
                DataValue.objects.select_for_update()
                .filter(
                    place_q(region.pk if region else None),
                    indicator=indicator,
                    period=row.period.iso,
                )
                .first()
            )
            if current is None:
                created = DataValue.objects.create(
                    indicator=indicator,
                    period=row.period.iso,
                    period_type=row.period.type,
                    period_start=row.period.start,
                    region=region,
                    value=row.value,
                    comment=row.comment,
                    source=note,
                    origin=ValueOrigin.IMPORTED,
                    state=ValueState.APPROVED,
                    entered_by=actor,
                    entered_at=now,
                    reviewed_by=actor,
                    reviewed_at=now,
                )
                audit_record(
                    actor=actor,
                    action="indicator_value.imported",
                    object_type="indicators.datavalue",
                    object_id=created.pk,
                    after=value_snapshot(created),
                    reason=note,
                )
                result.created += 1
            elif current.state != ValueState.APPROVED:
                raise _refuse(
                    [
                        _("Row %(line)s: the region's value is %(state)s; it is not overwritten.")
                        % {"line": row.line, "state": current.get_state_display()}
                    ]
                )
            elif current.current == row.value:
                result.unchanged += 1
            else:
                before = value_snapshot(current)
                Correction.objects.create(
                    data_value=current,
                    previous=current.current,
                    value=row.value,
                    reason=note,
                    source=note,
                    made_by=actor,
                    made_at=now,
                )
                current.corrected_value = row.value
                current.save(update_fields=["corrected_value"])
                audit_record(
                    actor=actor,
                    action="indicator_value.corrected",
                    object_type="indicators.datavalue",
                    object_id=current.pk,
                    before=before,
                    after=value_snapshot(current),
                    reason=note,
                )
                result.corrected += 1
    return result
