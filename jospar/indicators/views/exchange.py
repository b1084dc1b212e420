"""Exchange with statistical systems: export approved values as CSV or DHIS2 dataValueSets
JSON, and (the centre) import such a file, all or nothing."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from jospar.core.errors import ServiceError
from jospar.indicators.access import can_read_indicators, is_centre
from jospar.indicators.interop import export_csv, export_data_value_sets
from jospar.indicators.models import DataValue, ValueState
from jospar.indicators.periods import period_or_none
from jospar.indicators.services.exchange import values_import
from jospar.indicators.tabular import MAX_BYTES
from jospar.indicators.views.pages import actor_of

EXPORT_LIMIT = 100_000


def _approved(request: HttpRequest) -> QuerySet[DataValue]:
    if not can_read_indicators(actor_of(request)):
        raise PermissionDenied
    values = DataValue.objects.filter(state=ValueState.APPROVED).select_related(
        "indicator", "region"
    )
    period = period_or_none(request.GET.get("period"))
    if period is not None:
        values = values.filter(period=period.iso)
    return values.order_by("indicator__code", "period_start", "region__code")[:EXPORT_LIMIT]


@login_required
@require_GET
def export_values_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        "\ufeff" + export_csv(_approved(request)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="indicator-values.csv"'
    return response


@login_required
@require_GET
def export_values_json(request: HttpRequest) -> HttpResponse:
    document = export_data_value_sets(_approved(request))
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="dataValueSets.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def exchange(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not can_read_indicators(actor):
        raise PermissionDenied
    problems: list[str] = []
    if request.method == "POST":
        if not is_centre(actor):
            raise PermissionDenied
        upload = request.FILES.get("file")
        if upload is None or upload.size is None or upload.size > MAX_BYTES:
            problems = [_("Choose a CSV or JSON file of at most 10 MB.")]
        else:
            try:
                result = values_import(actor=actor, filename=upload.name or "", data=upload.read())
                messages.success(
                    request,
                    _("Imported: %(created)s new, %(corrected)s corrected, %(same)s unchanged.")
                    % {
                        "created": result.created,
                        "corrected": result.corrected,
                        "same": result.unchanged,
                    },
                )
                return HttpResponseRedirect(reverse("indicators:exchange"))
            except ServiceError as exc:
                problems = exc.fields.get("file") or [str(exc.message)]
    return render(
        request,
        "indicators/exchange.html",
        {"problems": problems, "can_import": is_centre(actor)},
        status=400 if problems else 200,
    )
