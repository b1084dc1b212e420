"""Confirming or rejecting a proposal (a POST from the publication's page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jospar.core import edge
from jospar.core.errors import ServiceError
from jospar.media.access import access_proposal
from jospar.media.services.matching import proposal_confirm, proposal_reject
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
