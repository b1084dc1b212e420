"""Pages of saved plans: the list, one plan, one activity, one revision."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jospar.core.errors import ServiceError
from jospar.core.models import User
from jospar.plans import selectors
from jospar.plans.access import (
    access_plan,
    can_amend_plan,
    can_import_plans,
)
from jospar.plans.forms import PlanTitleForm
from jospar.plans.models import Plan
from jospar.plans.services.details import plan_title_set

PAGE_SIZE = 50


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def display_lang() -> str:
    """The plan language to show first: the interface language where the plan has it."""
    lang = (translation.get_language() or "kk")[:2]
    return lang if lang in ("kk", "ru") else "ru"


@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    page = Paginator(selectors.plan_list_for(actor, counts=False), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # Counted for the page's rows only: page 20 costs what page 1 does.
    page.object_list = selectors.plans_counted(page.object_list)
    rows = [(plan, selectors.plan_languages(plan)) for plan in page.object_list]
    return render(
        request,
        "plans/list.html",
        {"page": page, "rows": rows, "can_import": can_import_plans(actor)},
    )


@login_required
@require_GET
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = _actor(request)
    return _plan_page(request, actor, access_plan(actor, plan_id))


def _plan_page(
    request: HttpRequest,
    actor: User,
    plan: Plan,
    title_form: PlanTitleForm | None = None,
    status: int = 200,
) -> HttpResponse:
    only_warnings = request.GET.get("warnings") == "1"
    activities = list(selectors.plan_activities(plan, only_warnings=only_warnings))
    revisions = list(selectors.plan_revisions(plan))
    return render(
        request,
        "plans/detail.html",
        {
            "plan": plan,
            "activities": activities,
            "revisions": revisions,
            "languages": sorted({r.lang for r in revisions}, key=["kk", "ru"].index),
            "counts": selectors.plan_counts(plan),
            "only_warnings": only_warnings,
            "lang": display_lang(),
            "can_import": can_import_plans(actor),
            "can_amend": can_amend_plan(actor, plan),
            "title_form": title_form
            or PlanTitleForm(
                initial={"lang": display_lang(), "title": getattr(plan, f"title_{display_lang()}")}
            ),
        },
        status=status,
    )


@login_required
@require_POST
def plan_title(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Correct the plan's title in one language (administrators)."""
    actor = _actor(request)
    plan = access_plan(actor, plan_id)
    form = PlanTitleForm(request.POST)
    if form.is_valid():
        try:
            plan_title_set(
                actor=actor,
                plan=plan,
                lang=form.cleaned_data["lang"],
                title=form.cleaned_data["title"],
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as exc:
            if exc.code == "forbidden":
                raise PermissionDenied(exc.message) from exc
            for name, problems in (exc.fields or {}).items():
                for problem in problems or [str(exc.message)]:
                    form.add_error(name if name in form.fields else None, str(problem))
        else:
            messages.success(request, _("The plan's title is corrected."))
            return redirect("plans:detail", plan_id=plan.pk)
    return _plan_page(request, actor, plan, title_form=form, status=400)


@login_required
@require_GET
def revision_detail(request: HttpRequest, plan_id: int, revision_id: int) -> HttpResponse:
    actor = _actor(request)
    plan = access_plan(actor, plan_id)
    revision = selectors.plan_revision(plan, revision_id)
    if revision is None:
        raise Http404
    context: dict[str, Any] = {
        "plan": plan,
        "revision": revision,
        "glossary": selectors.revision_glossary(revision),
    }
    return render(request, "plans/revision.html", context)
