"""Filing a report: the topic, the text, a pin on the map (or an address and a region), the
files, anonymity, then the topic's survey. Before a report is created, open reports of the
same topic nearby are shown, with "support this one instead".

A refusal keeps everything typed; files cannot be kept by a browser across a page, so the
page says to attach them again."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from jospar.civic import services
from jospar.civic.forms import FilingForm, survey_from_post
from jospar.civic.models import CitizenAccount, Topic
from jospar.civic.nearby import nearby_open_reports
from jospar.civic.selectors.reports import active_topic
from jospar.civic.views.common import (
    error_text,
    login_redirect,
    map_layers,
    regions,
    topics,
    user_of,
)
from jospar.core.errors import ServiceError
from jospar.core.models import Region


def _questions(all_topics: list[Topic]) -> list[tuple[Topic, list[Any]]]:
    by_topic: dict[int, list[Any]] = {t.pk: [] for t in all_topics}
    from jospar.civic.models import TopicQuestion

    for question in TopicQuestion.objects.filter(topic__in=all_topics).order_by(
        "topic", "position", "code"
    ):
        by_topic[question.topic_id].append(question)
    return [(t, by_topic[t.pk]) for t in all_topics if by_topic[t.pk]]


def _point(form: FilingForm) -> tuple[float | None, float | None]:
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    return data.get("latitude"), data.get("longitude")


def _render(
    request: HttpRequest,
    form: FilingForm,
    all_topics: list[Topic],
    *,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    posted = request.POST if request.method == "POST" else None
    context = {
        "form": form,
        "survey": _questions(all_topics),
        "posted_answers": {key: posted.getlist(key) for key in posted if key.startswith("q-")}
        if posted
        else {},
        "map_config": map_layers(),
        "field_errors": {},
        "error": None,
        "nearby": [],
        "files_lost": bool(posted) and bool(request.FILES),
        **extra,
    }
    return render(request, "civic/file.html", context, status=status)


def _unconfirmed(user: Any) -> bool:
    account = CitizenAccount.objects.filter(user=user).first()
    return account is not None and not account.is_confirmed


@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if user is None:
        return login_redirect(request)
    all_topics, all_regions = topics(), regions()
    if _unconfirmed(user):
        return render(request, "civic/file_unconfirmed.html", status=403)
    if request.method == "GET":
        initial = {"topic": request.GET.get("topic", "")}
        form = FilingForm(initial=initial, topics=all_topics, regions=all_regions)
        return _render(request, form, all_topics)

    form = FilingForm(request.POST, topics=all_topics, regions=all_regions)
    if not form.is_valid():
        return _render(
            request,
            form,
            all_topics,
            status=400,
            error=_("Some fields need correcting."),
        )
    data = form.cleaned_data
    topic = active_topic(data["topic"])
    if topic is None:
        form.add_error("topic", _("This topic is no longer offered; choose another."))
        return _render(request, form, all_topics, status=400)
    lat, lon = _point(form)
    if lat is not None and lon is not None and not request.POST.get("nearby_seen"):
        nearby = nearby_open_reports(topic, lat, lon)
        if nearby:
            return _render(request, form, all_topics, status=200, nearby=nearby)
    region = Region.objects.filter(pk=data["region"]).first() if data.get("region") else None
    questions = list(topic.questions.order_by("position", "code"))
    try:
        report = services.report_file(
            actor=user,
            topic=topic,
            description=data["description"],
            latitude=lat,
            longitude=lon,
            address=data.get("address", ""),
            region=region,
            is_anonymous=bool(data.get("is_anonymous")),
            survey=survey_from_post(request.POST, topic, questions),
            media=request.FILES.getlist("media"),
        )
    except ServiceError as err:
        field_errors = {
            (f"q-{topic.code}-{name[7:]}" if name.startswith("survey.") else name): problems
            for name, problems in err.fields.items()
        }
        return _render(
            request,
            form,
            all_topics,
            status=400,
            error=error_text(err) if not err.fields else str(err.message),
            field_errors=field_errors,
        )
    if report.is_public:
        messages.success(request, _("Your report is published. The akimat has been told."))
    else:
        messages.success(request, _("Your report is sent; a moderator will publish it soon."))
    return redirect("civic:report", report_id=report.pk)


@require_GET
def nearby_fragment(request: HttpRequest) -> HttpResponse:
    """Open reports of the topic near the pin, as a piece of the filing page (htmx)."""
    topic = active_topic(request.GET.get("topic", ""))
    try:
        lat = float(request.GET.get("latitude", ""))
        lon = float(request.GET.get("longitude", ""))
    except (ValueError, OverflowError):
        topic = None
        lat = lon = 0.0
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        topic = None
    nearby = nearby_open_reports(topic, lat, lon) if topic is not None else []
    return render(request, "civic/_nearby.html", {"nearby": nearby, "live": True})
