"""The working-day calendar page: a year's days off and working weekend days, corrected by an
administrator through ``calendar_day_set`` (audited), like ``jospar calendar-set``."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jospar.core.calendar import calendar_day_set, calendar_year, holiday_name
from jospar.core.errors import ServiceError
from jospar.core.models import User

KINDS = [
    ("off", gettext_lazy("Day off")),
    ("working", gettext_lazy("Working day")),
    ("ordinary", gettext_lazy("Ordinary week (remove the exception)")),
]


class CalendarDayForm(forms.Form):
    day = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(label=gettext_lazy("The day is"), choices=KINDS)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=1000)


def _year(raw: str | None) -> int:
    try:
        year = int(raw or "")
    except ValueError:
        return timezone.localdate().year
    return year if 1990 <= year <= 2100 else timezone.localdate().year


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not (isinstance(actor, User) and actor.is_administrator):
        raise PermissionDenied(_("Only an administrator corrects the calendar."))
    year = _year(request.GET.get("year"))
    form = CalendarDayForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            day: dt.date = data["day"]
            working = {"off": False, "working": True, "ordinary": None}[data["kind"]]
            try:
                calendar_day_set(
                    actor=actor,
                    day=day,
                    is_working=working,
                    name=data["name"],
                    reason=data["reason"],
                )
            except ServiceError as exc:
                form.add_error(None, str(exc.message))
                status = exc.status
            else:
                messages.success(
                    request,
                    _("%(day)s has been changed.") % {"day": day.strftime("%d.%m.%Y")},
                )
                return redirect(f"{reverse('calendar')}?year={day.year}")
        else:
            status = 400
    return render(
        request,
        "core/calendar.html",
        {
            "year": year,
            "previous": year - 1,
            "next": year + 1,
            "days": [(entry, holiday_name(entry.name)) for entry in calendar_year(year)],
            "form": form,
        },
        status=status,
    )
