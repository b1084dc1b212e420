"""The upload preview's "did you mean …" for executors the directory does not know."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jospar.core.errors import ServiceError
from jospar.plans.access import access_plan_upload
from jospar.plans.upload_executors import upload_executor_link
from jospar.plans.views.upload import _actor


@login_required
@require_POST
def upload_executor_link_view(request: HttpRequest, upload_id: int) -> HttpResponse:
    actor = _actor(request)
    upload = access_plan_upload(actor, upload_id)
    raw = str(request.POST.get("organisation", ""))
    code = " ".join(str(request.POST.get("code", "")).split())[:200]
    name = " ".join(str(request.POST.get("name", "")).split())[:500]
    try:
        if not raw.isdigit() or len(raw) > 12:
            raise ServiceError("invalid", _("Choose one of the bodies offered."))
        alias = upload_executor_link(
            actor=actor, upload=upload, code=code, name=name, organisation_id=int(raw)
        )
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("“%(printed)s” will be saved as “%(body)s”.")
            % {"printed": name or code, "body": alias.organisation},
        )
    return redirect("plans:upload-review", upload_id=upload.pk)
