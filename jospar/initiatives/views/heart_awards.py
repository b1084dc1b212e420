"""What Generous Heart gives its winners: the certificate as PDF (Kazakh and Russian, public)
and the "best practice" stories (written by the winner or a moderator, moderated, listed)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from jospar.core.edge import page_number
from jospar.core.errors import ServiceError
from jospar.initiatives import services
from jospar.initiatives.access.heart import access_nominee
from jospar.initiatives.certificates import certificate_number, certificate_pdf, has_certificate
from jospar.initiatives.forms_heart import StoryForm, StoryReviewForm
from jospar.initiatives.models import HeartStory
from jospar.initiatives.selectors import stories as selectors_stories
from jospar.initiatives.services.stories import is_story_moderator, may_write_story
from jospar.initiatives.views._common import show_error

STORIES_PER_PAGE = 20


@require_GET
def certificate(request: HttpRequest, nominee_id: int) -> HttpResponse:
    """Anyone may download a winner's certificate: the results it comes from are public."""
    nominee = access_nominee(request.user, nominee_id)
    if not has_certificate(nominee):
        raise Http404
    response = HttpResponse(certificate_pdf(nominee), content_type="application/pdf")
    name = f"jomart-zhurek-{certificate_number(nominee)}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def story_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors_stories.published_stories(), STORIES_PER_PAGE).get_page(
        page_number(request.GET.get("page"))
    )
    return render(request, "initiatives/heart/stories.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def story_write(request: HttpRequest, nominee_id: int) -> HttpResponse:
    nominee = access_nominee(request.user, nominee_id)
    if not may_write_story(request.user, nominee):
        raise Http404
    story = selectors_stories.story_of(nominee)
    initial = (
        {"title": story.title, "body": story.body, "lang": story.lang}
        if story is not None
        else {"lang": request.LANGUAGE_CODE[:2]}
    )
    form = StoryForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.story_save(actor=request.user, nominee=nominee, **form.cleaned_data)
                return redirect("initiatives:heart-results", nominee.nomination.cycle_id)
            except ServiceError as error:
                show_error(form, error)
                status = error.status
    return render(
        request,
        "initiatives/heart/story_form.html",
        {
            "nominee": nominee,
            "cycle": nominee.nomination.cycle,
            "story": story,
            "form": form,
            "staff": is_story_moderator(request.user),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def story_queue(request: HttpRequest) -> HttpResponse:
    if not is_story_moderator(request.user):
        raise Http404
    form = StoryReviewForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            story = HeartStory.objects.filter(pk=form.cleaned_data["story"]).first()
            if story is None:
                raise Http404
            try:
                services.story_review(
                    actor=request.user,
                    story=story,
                    decision=form.cleaned_data["decision"],
                    note=form.cleaned_data["note"],
                )
                return redirect("initiatives:heart-story-queue")
            except ServiceError as error:
                show_error(form, error)
                status = error.status
    waiting = list(selectors_stories.waiting_stories()[:100])
    published = list(selectors_stories.published_stories()[:50])
    return render(
        request,
        "initiatives/heart/story_queue.html",
        {"waiting": waiting, "published": published, "form": form},
        status=status,
    )
