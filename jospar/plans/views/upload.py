"""Upload → check → correct → save: the pages of the web import (administrators only)."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jospar.core.edge import id_or_none, int_or_none
from jospar.core.errors import ServiceError
from jospar.core.models import User
from jospar.planparser.corrections import FIELDS, CorrectionError, cell_text
from jospar.plans import selectors
from jospar.plans.access import access_plan_upload, can_import_plans
from jospar.plans.forms import CorrectionForm, PlanDetailsForm, PlanUploadForm
from jospar.plans.importing import parse_refusal_message
from jospar.plans.models import PlanUpload, PlanUploadStatus
from jospar.plans.review import Review, ReviewRow, upload_review
from jospar.plans.services.revisions import ImportOutcome
from jospar.plans.services.upload import (
    plan_upload_correct,
    plan_upload_create,
    plan_upload_details_set,
    plan_upload_discard,
    plan_upload_enqueue,
)
from jospar.plans.upload_executors import upload_unknown_executors

# Files above this size are read by a background task, with a progress page meanwhile.
DEFAULT_ASYNC_BYTES = 1024 * 1024


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not can_import_plans(actor):
        raise PermissionDenied
    plans = selectors.plans_for_choice(actor)
    initial: dict[str, Any] = {}
    wanted = id_or_none(request.GET.get("plan"))
    if wanted is not None and plans.filter(pk=wanted).exists():
        initial["target_plan"] = wanted
    form = PlanUploadForm(request.POST or None, request.FILES or None, plans=plans, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            uploaded = form.cleaned_data["file"]
            arguments: dict[str, Any] = {
                "actor": actor,
                "filename": uploaded.name,
                "lang": form.cleaned_data["lang"] or None,
                "period": form.period(),
                "target_plan": form.cleaned_data["target_plan"],
            }
            threshold = getattr(settings, "PLAN_UPLOAD_ASYNC_BYTES", DEFAULT_ASYNC_BYTES)
            try:
                data = uploaded.read()
                # Reading a PDF's layout takes seconds a page: never in the request.
                if len(data) > threshold or data.startswith(b"%PDF"):
                    draft = plan_upload_enqueue(data=data, **arguments)
                else:
                    draft = plan_upload_create(data=data, **arguments)
            except ServiceError as exc:
                form.add_error(
                    "file" if "file" in exc.fields or not exc.fields else None, str(exc.message)
                )
            else:
                return redirect("plans:upload-review", upload_id=draft.pk)
        status = 400
    return render(
        request,
        "plans/upload.html",
        {"form": form, "drafts": selectors.upload_drafts(actor)[:20]},
        status=status,
    )


def _details_form(upload: PlanUpload) -> PlanDetailsForm:
    period = (upload.parsed or {}).get("period") or {}
    return PlanDetailsForm(
        initial={
            "title": (upload.parsed or {}).get("title") or "",
            "lang": upload.lang,
            "period_start": period.get("start"),
            "period_end": period.get("end"),
        }
    )


def _review_context(
    request: HttpRequest, upload: PlanUpload, review: Review, **extra: Any
) -> dict[str, Any]:
    return {
        "upload": upload,
        "review": review,
        "only_warnings": request.GET.get("warnings") == "1",
        "fields": FIELDS,
        "details_form": extra.pop("details_form", None) or _details_form(upload),
        **extra,
    }


def _open_editor(
    upload: PlanUpload, row: ReviewRow, field: str, value: str | None, error: str | None = None
) -> None:
    row.edit_field = field
    row.edit_error = error
    if value is None:
        try:
            value = cell_text(upload.parsed, activity_number=row.number, field=field)
        except CorrectionError:
            value = ""
    row.edit_value = value


@login_required
@require_GET
def upload_review_page(request: HttpRequest, upload_id: int) -> HttpResponse:
    actor = _actor(request)
    upload = access_plan_upload(actor, upload_id)
    if upload.status in (PlanUploadStatus.PARSING, PlanUploadStatus.FAILED):
        return render(request, "plans/upload_progress.html", _progress_context(upload))
    review = upload_review(upload, only_warnings=request.GET.get("warnings") == "1")
    # Without JavaScript the pencil is a link to this page with the cell's form open.
    edit_field = request.GET.get("field", "")
    edit_index = int_or_none(request.GET.get("edit"), minimum=0, maximum=10**9)
    if edit_index is not None and edit_field in FIELDS:
        for row in review.rows:
            if row.index == edit_index:
                _open_editor(upload, row, edit_field, None)
    unknown = upload_unknown_executors(upload)
    context = _review_context(request, upload, review, unknown_executors=unknown)
    return render(request, "plans/upload_review.html", context)


def _progress_context(upload: PlanUpload) -> dict[str, Any]:
    elapsed = int((timezone.now() - upload.uploaded_at).total_seconds())
    error = upload.error or {}
    message = parse_refusal_message(str(error.get("code", "")), str(error.get("message", "")))
    return {"upload": upload, "elapsed": elapsed, "error_message": message}


@login_required
@require_GET
def upload_status(request: HttpRequest, upload_id: int) -> HttpResponse:
    """Polled by the progress page: the same fragment while reading, then on to the review."""
    upload = access_plan_upload(_actor(request), upload_id)
    if upload.status == PlanUploadStatus.PARSING:
        return render(request, "plans/_upload_progress.html", _progress_context(upload))
    response = HttpResponse(status=204)
    response["HX-Redirect"] = reverse("plans:upload-review", args=[upload.pk])
    return response


def _find_row(review: Review, number: str) -> ReviewRow | None:
    return next((row for row in review.rows if row.number == number), None)


@login_required
@require_GET
def upload_cell(request: HttpRequest, upload_id: int) -> HttpResponse:
    """The inline form for one cell (htmx), or the cell as it is (``cancel``)."""
    upload = access_plan_upload(_actor(request), upload_id)
    number, field = request.GET.get("activity", ""), request.GET.get("field", "")
    review = upload_review(upload)
    row = _find_row(review, number)
    if row is None or field not in FIELDS or upload.status != PlanUploadStatus.DRAFT:
        return HttpResponse(status=404)
    if request.GET.get("cancel") != "1":
        _open_editor(upload, row, field, None)
    return render(request, "plans/_review_row.html", {"upload": upload, "row": row})


def _row_response(request: HttpRequest, upload: PlanUpload, number: str) -> HttpResponse:
    review = upload_review(upload)
    row = _find_row(review, number)
    if row is None:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    response = render(request, "plans/_review_row.html", {"upload": upload, "row": row})
    # The counts above the table follow: the summary reloads itself on this event.
    response["HX-Trigger"] = "corrected"
    return response


@login_required
@require_POST
def upload_details(request: HttpRequest, upload_id: int) -> HttpResponse:
    """Correct the plan's title, language and period in the draft."""
    actor = _actor(request)
    upload = access_plan_upload(actor, upload_id)
    form = PlanDetailsForm(request.POST)
    if form.is_valid():
        try:
            upload = plan_upload_details_set(
                actor=actor,
                upload=upload,
                title=form.cleaned_data["title"],
                lang=form.cleaned_data["lang"],
                period=form.period(),
            )
        except ServiceError as exc:
            for name, problems in (exc.fields or {}).items():
                for problem in problems or [str(exc.message)]:
                    form.add_error(name if name in form.fields else None, str(problem))
        else:
            messages.success(request, _("The plan's title, language and period are saved."))
            return redirect("plans:upload-review", upload_id=upload.pk)
    upload.refresh_from_db()
    context = _review_context(request, upload, upload_review(upload), details_form=form)
    return render(request, "plans/upload_review.html", context, status=400)


@login_required
@require_POST
def upload_correct(request: HttpRequest, upload_id: int) -> HttpResponse:
    actor = _actor(request)
    upload = access_plan_upload(actor, upload_id)
    form = CorrectionForm(request.POST)
    number = request.POST.get("activity", "")
    field = request.POST.get("field", "")
    value = request.POST.get("value", "")
    try:
        if not form.is_valid():
            raise ServiceError("invalid", _("The correction is incomplete."), {})
        upload = plan_upload_correct(
            actor=actor,
            upload=upload,
            activity_number=form.cleaned_data["activity"],
            field=form.cleaned_data["field"],
            value=form.cleaned_data["value"],
        )
    except ServiceError as exc:
        return _refused_correction(request, upload, number, field, value, exc)
    if not _is_htmx(request):
        messages.success(request, _("Activity %(number)s corrected.") % {"number": number})
        target = reverse("plans:upload-review", args=[upload.pk])
        row = _find_row(upload_review(upload), value.strip() if field == "number" else number)
        return redirect(f"{target}#act-{row.index}" if row else target)
    if field == "number":
        # Another row may share the old number: the whole table is drawn again.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return _row_response(request, upload, number)


def _refused_correction(
    request: HttpRequest,
    upload: PlanUpload,
    number: str,
    field: str,
    value: str,
    exc: ServiceError,
) -> HttpResponse:
    """The refusal is shown in the cell's form, with the person's text kept as typed."""
    upload.refresh_from_db()
    review = upload_review(upload)
    row = _find_row(review, number)
    if _is_htmx(request):
        if row is None or field not in FIELDS:
            response = render(
                request,
                "plans/_error.html",
                {"message": exc.message, "code": exc.code},
                status=422,
            )
            response["HX-Retarget"] = "#review-errors"
            response["HX-Reswap"] = "innerHTML"
            return response
        _open_editor(upload, row, field, value, str(exc.message))
        return render(request, "plans/_review_row.html", {"upload": upload, "row": row}, status=422)
    if row is not None and field in FIELDS:
        _open_editor(upload, row, field, value, str(exc.message))
    context = _review_context(request, upload, review, page_error=exc)
    return render(request, "plans/upload_review.html", context, status=400)


def outcome_message(outcome: ImportOutcome) -> str:
    plan_title = Truncator(outcome.plan.title).chars(160)
    if outcome.unchanged:
        return _("The plan “%(plan)s” already has this text: nothing was changed.") % {
            "plan": plan_title
        }
    revision = outcome.revision
    assert revision is not None
    counts = {
        "plan": plan_title,
        "activities": len(revision.parsed.get("activities") or []),
        "obligations": outcome.obligations_created,
        "withdrawn": outcome.obligations_withdrawn,
        "changes": len(outcome.changes),
        "number": revision.number,
        "lang": revision.get_lang_display(),
    }
    if outcome.created_plan:
        return (
            _(
                "The plan “%(plan)s” was created: %(activities)d activities, %(obligations)d"
                " obligations in the control schedule."
            )
            % counts
        )
    if revision.number == 1:
        return (
            _("The %(lang)s version was added to the plan “%(plan)s” (%(activities)d activities).")
            % counts
        )
    return (
        _(
            "Revision %(number)d of the %(lang)s version of “%(plan)s” was saved with %(changes)d"
            " changes; obligations: %(obligations)d added, %(withdrawn)d withdrawn."
        )
        % counts
    )


@login_required
@require_POST
def upload_discard(request: HttpRequest, upload_id: int) -> HttpResponse:
    actor = _actor(request)
    upload = access_plan_upload(actor, upload_id)
    try:
        plan_upload_discard(actor=actor, upload=upload)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
        return redirect("plans:upload-review", upload_id=upload.pk)
    messages.info(request, _("The upload “%(file)s” was discarded.") % {"file": upload.filename})
    return redirect("plans:upload")
