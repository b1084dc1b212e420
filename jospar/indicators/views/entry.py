"""Entering values (a region's office: its region's form; the centre: the national form),
submitting them, the centre's approval queue, and corrections of approved values."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jospar.core.edge import choice_or_default, parse_choice, parse_text
from jospar.core.errors import ServiceError
from jospar.core.models import Region
from jospar.indicators import selectors
from jospar.indicators.access import access_data_value, is_centre, office_region
from jospar.indicators.models import DataValue, Indicator, ValueState
from jospar.indicators.periods import (
    Period,
    parse_period,
    parse_value,
    period_or_none,
    periods_of,
)
from jospar.indicators.services._common import SOURCE_MAX, TEXT_MAX
from jospar.indicators.services.values import (
    EDITABLE,
    ValueEntry,
    form_indicators,
    value_approve,
    value_correct,
    value_return,
    values_save,
    values_submit,
)
from jospar.indicators.views.pages import actor_of

RECENT_YEARS = 3


def _place(request: HttpRequest) -> Region | None:
    """The form's region: the office's own; None for the centre (the national form)."""
    actor = actor_of(request)
    region = office_region(actor)
    if region is not None:
        return region
    if is_centre(actor):
        return None
    raise PermissionDenied


def _period_choices(today: Any) -> list[Period]:
    choices: list[Period] = []
    for kind in ("quarterly", "six_monthly", "yearly", "monthly"):
        periods = [
            p
            for p in periods_of(kind, today.year - RECENT_YEARS + 1, today.year)
            if p.start <= today
        ]
        choices += list(reversed(periods))[:12]
    return choices


def _default_period(today: Any) -> Period:
    return parse_period(f"{today.year}Q{(today.month - 1) // 3 + 1}")


@dataclass
class FormRow:
    indicator: Indicator
    value: DataValue | None
    typed: str
    source: str
    comment: str
    editable: bool
    error: str = ""


def _rows(
    region: Region | None, period: Period, typed: dict[int, tuple[str, str, str]] | None = None
) -> list[FormRow]:
    existing = selectors.region_period_values(region, period.iso)
    rows = []
    for indicator in form_indicators(region, period).select_related("node"):
        value = existing.get(indicator.pk)
        editable = value is None or value.state in EDITABLE
        shown = (
            typed[indicator.pk]
            if typed and indicator.pk in typed
            else (
                (f"{value.current.normalize():f}" if value else ""),
                value.source if value else "",
                value.comment if value else "",
            )
        )
        rows.append(FormRow(indicator, value, shown[0], shown[1], shown[2], editable))
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def entry(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    region = _place(request)
    today = timezone.localdate()
    source = request.POST if request.method == "POST" else request.GET
    period = period_or_none(source.get("period")) or _default_period(today)
    context: dict[str, Any] = {
        "region": region,
        "period": period,
        "periods": _period_choices(today),
        "confirm_needed": False,
    }
    if request.method == "POST":
        action = choice_or_default(request.POST.get("action"), ["save", "submit"], "save")
        typed: dict[int, tuple[str, str, str]] = {}
        entries: list[ValueEntry] = []
        errors: dict[str, list[str]] = {}
        for indicator in form_indicators(region, period):
            key = indicator.pk
            raw = request.POST.get(f"v{key}", "")
            if f"v{key}" not in request.POST:
                continue
            try:
                text = parse_text(raw, f"v{key}", max_length=40)
                src = parse_text(request.POST.get(f"s{key}", ""), f"s{key}", max_length=SOURCE_MAX)
                comment = parse_text(
                    request.POST.get(f"c{key}", ""), f"c{key}", max_length=TEXT_MAX, multiline=True
                )
            except ServiceError as exc:
                errors[f"i{key}"] = [str(exc.message)]
                continue
            typed[key] = (text, src, comment)
            if not text:
                entries.append(ValueEntry(key, None, src, comment))
                continue
            try:
                number: Decimal = parse_value(text, f"i{key}")
            except ServiceError as exc:
                errors[f"i{key}"] = [str(exc.message)]
                continue
            entries.append(ValueEntry(key, number, src, comment))
        current = selectors.region_period_values(region, period.iso)
        entries = [
            e
            for e in entries
            if current.get(e.indicator_id) is None or current[e.indicator_id].state in EDITABLE
        ]
        try:
            if errors:
                raise ServiceError("invalid_entry", _("Some values cannot be saved."), errors)
            values_save(
                actor=actor,
                region=region,
                period=period,
                entries=entries,
                confirmed=request.POST.get("confirm") == "1",
            )
            if action == "submit" and region is not None:
                values_submit(actor=actor, region=region, period=period)
                messages.success(request, _("The values were submitted to the centre."))
            else:
                messages.success(request, _("The values were saved."))
            return HttpResponseRedirect(
                f"{reverse('indicators:entry')}?{urlencode({'period': period.iso})}"
            )
        except ServiceError as exc:
            rows = _rows(region, period, typed)
            for row in rows:
                row.error = "; ".join(exc.fields.get(f"i{row.indicator.pk}", []))
            context.update(
                rows=rows,
                any_editable=any(row.editable for row in rows),
                error=exc.message,
                confirm_needed=exc.code == "needs_confirmation",
            )
            return render(request, "indicators/entry.html", context, status=400)
    context["rows"] = _rows(region, period)
    context["any_editable"] = any(row.editable for row in context["rows"])
    context["can_submit"] = region is not None and any(
        row.value is not None and row.value.state in EDITABLE for row in context["rows"]
    )
    return render(request, "indicators/entry.html", context)


@login_required
@require_http_methods(["GET"])
def queue(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not is_centre(actor):
        raise PermissionDenied
    return render(
        request, "indicators/queue.html", {"values": list(selectors.review_queue()[:500])}
    )


@login_required
@require_POST
def review(request: HttpRequest, value_id: int) -> HttpResponse:
    actor = actor_of(request)
    value = access_data_value(actor, value_id)
    if not is_centre(actor):
        raise PermissionDenied
    try:
        action = parse_choice(request.POST.get("action"), "action", ["approve", "return"])
        if action == "approve":
            value_approve(actor=actor, value_id=value.pk)
            messages.success(request, _("The value was approved."))
        else:
            comment = parse_text(
                request.POST.get("comment", ""), "comment", max_length=TEXT_MAX, multiline=True
            )
            value_return(actor=actor, value_id=value.pk, comment=comment)
            messages.success(request, _("The value was returned to the region."))
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    return HttpResponseRedirect(reverse("indicators:queue"))


@login_required
@require_http_methods(["GET", "POST"])
def value_detail(request: HttpRequest, value_id: int) -> HttpResponse:
    actor = actor_of(request)
    value = access_data_value(actor, value_id)
    error = None
    if request.method == "POST":
        if not is_centre(actor):
            raise PermissionDenied
        try:
            number = parse_value(request.POST.get("value", ""), "value")
            reason = parse_text(
                request.POST.get("reason", ""), "reason", max_length=TEXT_MAX, multiline=True
            )
            src = parse_text(request.POST.get("source", ""), "source", max_length=SOURCE_MAX)
            value_correct(actor=actor, value_id=value.pk, value=number, reason=reason, source=src)
            messages.success(request, _("The correction was recorded."))
            return HttpResponseRedirect(reverse("indicators:value", args=[value.pk]))
        except ServiceError as exc:
            error = exc.message
    return render(
        request,
        "indicators/value.html",
        {
            "value": value,
            "corrections": list(value.corrections.select_related("made_by")),
            "can_correct": is_centre(actor) and value.state == ValueState.APPROVED,
            "error": error,
        },
        status=400 if error else 200,
    )
