"""An activity's monitoring page: its rubrics' cadence (expected against found per period), the
publications proposed or confirmed for it, whether the quarterly monitoring report is its
execution report; and the forms that change these (rubrics, the mark, attaching the report)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jospar.control.access.obligations import access_obligation
from jospar.core import edge
from jospar.core.errors import ServiceError
from jospar.media.access import (
    access_monitored_activity,
    access_monitoring_report,
    access_rubric,
    can_keep_rubrics,
)
from jospar.media.models import (
    MatchProposal,
    MonitoringReport,
    MonitoringReportUse,
    ProposalState,
    Rubric,
    RubricPeriod,
)
from jospar.media.services.report_use import (
    is_monitoring_activity,
    monitoring_activity_set,
    monitoring_report_attach,
    open_monitoring_obligations,
)
from jospar.media.services.reports import quarter_bounds
from jospar.media.services.rubrics import (
    ALIASES_MAX,
    EXPECTED_MAX,
    NAME_MAX,
    RubricInput,
    cadence,
    rubric_create,
    rubric_update,
)
from jospar.media.views.pages import actor_of

PROPOSALS_SHOWN = 50
REPORTS_SHOWN = 8


def _quarter(request: HttpRequest) -> tuple[int, int]:
    today = timezone.localdate()
    year = edge.int_or_none(request.GET.get("year"), minimum=2000, maximum=2100) or today.year
    quarter = edge.int_or_none(request.GET.get("quarter"), minimum=1, maximum=4) or (
        (today.month - 1) // 3 + 1
    )
    return year, quarter


def _read_rubric(data: Any) -> tuple[RubricInput, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    try:
        name = edge.parse_text(data.get("name", ""), "name", max_length=NAME_MAX)
    except edge.EdgeError:
        errors["name"] = [_("Too long, or holds characters that are not text.")]
        name = ""
    aliases = tuple(
        a
        for a in (
            edge.text_or_empty(x, max_length=NAME_MAX)
            for x in str(edge.text_or_empty(data.get("aliases", ""), max_length=2200)).split(";")
        )
        if a
    )[: ALIASES_MAX + 1]
    expected = edge.int_or_none(data.get("expected"), minimum=1, maximum=EXPECTED_MAX)
    if expected is None:
        errors["expected"] = [_("Give how many publications are expected (1 to 1000).")]
    period = edge.choice_or_default(data.get("period"), RubricPeriod.values, "")
    active = edge.choice_or_default(data.get("active"), ("0", "1"), "1") == "1"
    return RubricInput(name, aliases, expected or 1, period, active), errors


@login_required
@require_GET
def activity_monitoring(request: HttpRequest, activity_id: int) -> HttpResponse:
    actor = actor_of(request)
    activity = access_monitored_activity(actor, activity_id)
    year, quarter = _quarter(request)
    since, until = quarter_bounds(year, quarter)
    rubrics = list(Rubric.objects.filter(activity=activity).order_by("name", "pk"))
    proposals = list(
        MatchProposal.objects.filter(activity=activity)
        .exclude(state=ProposalState.REJECTED)
        .select_related("publication", "publication__source")
        .defer("publication__text", "publication__signature")
        .order_by("-publication__published_on", "-pk")[:PROPOSALS_SHOWN]
    )
    monitoring = is_monitoring_activity(activity)
    reports: list[tuple[MonitoringReport, list[Any], Any]] = []
    if monitoring:
        submitted = list(
            MonitoringReport.objects.filter(submitted_at__isnull=False).order_by(
                "-year", "-quarter", "-pk"
            )[:REPORTS_SHOWN]
        )
        used = set(
            MonitoringReportUse.objects.filter(
                report__in=submitted, execution_report__obligation__activity=activity
            ).values_list("report_id", flat=True)
        )
        mine = [o for o in open_monitoring_obligations(actor) if o.activity_id == activity.pk]
        for report in submitted:
            reports.append((report, mine, report.pk in used))
    return render(
        request,
        "media/activity.html",
        {
            "activity": activity,
            "year": year,
            "quarter": quarter,
            "since": since,
            "until": until,
            "cadence": cadence(rubrics, since, until),
            "proposals": proposals,
            "monitoring": monitoring,
            "reports": reports,
            "can_keep": can_keep_rubrics(actor, activity),
            "periods": RubricPeriod.choices,
            "rubric_values": {"name": "", "aliases": "", "expected": 1, "period": "month"},
            "errors": {},
        },
    )


@login_required
@require_POST
def rubric_add(request: HttpRequest, activity_id: int) -> HttpResponse:
    actor = actor_of(request)
    activity = access_monitored_activity(actor, activity_id)
    if not can_keep_rubrics(actor, activity):
        raise Http404
    data, errors = _read_rubric(request.POST)
    if not errors:
        try:
            rubric_create(actor=actor, activity=activity, data=data)
        except ServiceError as exc:
            errors = exc.fields or {"form": [str(exc.message)]}
    if errors:
        for problems in errors.values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.success(request, _("The rubric is added; its cadence is checked below."))
    return redirect("media:activity", activity.pk)


@login_required
@require_http_methods(["GET", "POST"])
def rubric_edit(request: HttpRequest, rubric_id: int) -> HttpResponse:
    actor = actor_of(request)
    rubric = access_rubric(actor, rubric_id)
    errors: dict[str, list[str]] = {}
    values = {
        "name": rubric.name,
        "aliases": "; ".join(str(a) for a in rubric.aliases),
        "expected": rubric.expected,
        "period": rubric.period,
        "active": rubric.active,
    }
    if request.method == "POST":
        data, errors = _read_rubric(request.POST)
        values = {
            "name": data.name,
            "aliases": "; ".join(data.aliases),
            "expected": data.expected,
            "period": data.period,
            "active": data.active,
        }
        if not errors:
            try:
                rubric_update(actor=actor, rubric=rubric, data=data)
            except ServiceError as exc:
                errors = exc.fields or {"form": [str(exc.message)]}
            else:
                messages.success(request, _("The rubric is saved."))
                if rubric.activity_id:
                    return redirect("media:activity", rubric.activity_id)
                return redirect("media:rubric", rubric.pk)
    return render(
        request,
        "media/rubric_form.html",
        {"rubric": rubric, "values": values, "errors": errors, "periods": RubricPeriod.choices},
        status=400 if errors else 200,
    )


@login_required
@require_POST
def activity_mark(request: HttpRequest, activity_id: int) -> HttpResponse:
    actor = actor_of(request)
    activity = access_monitored_activity(actor, activity_id)
    if not can_keep_rubrics(actor, activity):
        raise Http404
    marked = edge.choice_or_default(request.POST.get("marked"), ("0", "1"), "")
    if not marked:
        messages.error(request, _("Choose whether the monitoring report reports this activity."))
    else:
        monitoring_activity_set(actor=actor, activity=activity, marked=marked == "1")
        messages.success(request, _("Saved."))
    return redirect("media:activity", activity.pk)


@login_required
@require_POST
def report_attach(request: HttpRequest, report_id: int) -> HttpResponse:
    """One action: the frozen report becomes the executor's draft execution report's file."""
    actor = actor_of(request)
    report = access_monitoring_report(actor, report_id)
    obligation_id = edge.id_or_none(request.POST.get("obligation"))
    if obligation_id is None:
        messages.error(request, _("Choose the obligation to report on."))
        return redirect("media:report")
    obligation = access_obligation(actor, obligation_id)
    try:
        use = monitoring_report_attach(actor=actor, report=report, obligation=obligation)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
        if obligation.activity_id:
            return redirect("media:activity", obligation.activity_id)
        return redirect("media:report")
    messages.success(
        request,
        _("The monitoring report is attached to your draft execution report; check and submit it."),
    )
    return redirect("control:obligation", use.execution_report.obligation_id)
