"""Surveys' pages: the list of surveys and waves, a wave's results (share by answer with the
95 % margin of error, nationally and by region; the sample planned and achieved), and the
centre's import of a file of answers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from jospar.core.errors import ServiceError
from jospar.core.models import Region
from jospar.indicators.access import can_read_indicators, is_centre
from jospar.indicators.models_surveys import Survey, SurveyWave
from jospar.indicators.services.surveys import survey_import
from jospar.indicators.survey_results import wave_results
from jospar.indicators.tabular import MAX_BYTES
from jospar.indicators.views.pages import actor_of


@login_required
@require_GET
def survey_list(request: HttpRequest) -> HttpResponse:
    if not can_read_indicators(actor_of(request)):
        raise PermissionDenied
    surveys = Survey.objects.prefetch_related("waves").order_by("code")
    return render(request, "indicators/surveys.html", {"surveys": surveys})


@login_required
@require_http_methods(["GET", "POST"])
def wave_detail(request: HttpRequest, wave_id: int) -> HttpResponse:
    actor = actor_of(request)
    if not can_read_indicators(actor):
        raise Http404
    wave = SurveyWave.objects.select_related("survey").filter(pk=wave_id).first()
    if wave is None:
        raise Http404
    problems: list[str] = []
    if request.method == "POST":
        if not is_centre(actor):
            raise PermissionDenied
        upload = request.FILES.get("file")
        if upload is None or upload.size is None or upload.size > MAX_BYTES:
            problems = [_("Choose a CSV or XLSX file of at most 10 MB.")]
        else:
            try:
                report = survey_import(
                    actor=actor, wave=wave, filename=upload.name or "", data=upload.read()
                )
                messages.success(
                    request,
                    _("Imported the answers of %(n)s respondents.") % {"n": report.respondents},
                )
                return HttpResponseRedirect(reverse("indicators:wave", args=[wave.pk]))
            except ServiceError as exc:
                problems = exc.fields.get("file") or [str(exc.message)]
    results = wave_results(wave)
    region_ids = {r for result in results for r in result.respondents}
    samples = list(wave.samples.select_related("region").order_by("region__name_ru"))
    region_ids |= {s.region_id for s in samples}
    regions = {r.pk: r for r in Region.objects.filter(pk__in=region_ids)}
    questions = []
    for result in results:
        codes = result.question.answer_codes
        questions.append(
            {
                "result": result,
                "answers": [(c, result.question.answer_text(c), result.national[c]) for c in codes],
                "regions": [
                    (regions[r], n, [result.by_region[r][c] for c in codes])
                    for r, n in sorted(
                        result.respondents.items(), key=lambda item: regions[item[0]].name
                    )
                ],
            }
        )
    return render(
        request,
        "indicators/wave.html",
        {
            "wave": wave,
            "questions": questions,
            "samples": samples,
            "problems": problems,
            "can_import": is_centre(actor),
        },
        status=400 if problems else 200,
    )
