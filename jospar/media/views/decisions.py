"""Confirming or rejecting a proposal; uploading a file of posts (POSTs from the pages)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from jospar.core import edge
from jospar.core.errors import ServiceError
from jospar.media.access import access_proposal, access_source
from jospar.media.services.matching import proposal_confirm, proposal_reject
from jospar.media.services.uploads import UPLOAD_MAX_BYTES, posts_import
from jospar.media.views.pages import actor_of


@login_required
@require_POST
def proposal_decide(request: HttpRequest, proposal_id: int) -> HttpResponse:
    actor = actor_of(request)
    proposal = access_proposal(actor, proposal_id)
    decision = edge.choice_or_default(request.POST.get("decision"), ("confirm", "reject"), "")
    try:
        if decision == "confirm":
            done = proposal_confirm(actor=actor, proposal=proposal)
            if done.report_link_id:
                messages.success(request, _("Confirmed and attached to your execution report."))
            else:
                messages.success(request, _("Confirmed."))
        elif decision == "reject":
            proposal_reject(actor=actor, proposal=proposal)
            messages.success(request, _("Rejected."))
        else:
            messages.error(request, _("Choose whether to confirm or reject."))
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    return redirect("media:publication", proposal.publication_id)


@login_required
@require_POST
def posts_upload(request: HttpRequest, source_id: int) -> HttpResponse:
    actor = actor_of(request)
    source = access_source(actor, source_id)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file."))
        return redirect("media:sources")
    if (upload.size or 0) > UPLOAD_MAX_BYTES:
        messages.error(request, _("The file is larger than 5 MB."))
        return redirect("media:sources")
    name = edge.text_or_empty(upload.name, max_length=200) or "posts.csv"
    try:
        new = posts_import(actor=actor, source=source, data=upload.read(), name=name)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            ngettext("%(n)d new publication recorded.", "%(n)d new publications recorded.", new)
            % {"n": new},
        )
    return redirect("media:sources")
