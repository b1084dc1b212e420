"""Upload → check and correct the tree beside the source text → save (administrators only)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jospar.core.edge import int_or_none
from jospar.core.errors import ServiceError
from jospar.core.models import User
from jospar.programs import selectors
from jospar.programs.access import can_import_programs
from jospar.programs.forms import ProgramUploadForm
from jospar.programs.models import ProgramUpload, ProgramUploadStatus
from jospar.programs.services.uploads import (
    program_upload_correct,
    program_upload_create,
    program_upload_discard,
    program_upload_save,
    program_upload_tree,
)

# Path and index numbers in a correction: a program has a few dozen nodes, never thousands.
_MAX_INDEX = 10_000


def _actor(request: HttpRequest) -> User:
    actor = cast(User, request.user)
    if not can_import_programs(actor):
        raise PermissionDenied
    return actor


def _upload(actor: User, upload_id: int) -> ProgramUpload:
    upload = ProgramUpload.objects.filter(pk=upload_id, created_by=actor).first()
    if upload is None:
        raise Http404
    return upload


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = ProgramUploadForm(
        request.POST or None, request.FILES or None, programs=selectors.program_list()
    )
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        try:
            draft = program_upload_create(
                actor=actor,
                data=f.read(),
                filename=f.name,
                lang=form.cleaned_data["lang"] or None,
                target_program=form.cleaned_data["target_program"],
            )
        except ServiceError as exc:
            form.add_error("file", str(exc.message))
        else:
            return redirect("programs:upload-review", upload_id=draft.pk)
    return render(
        request, "programs/upload.html", {"form": form}, status=400 if form.errors else 200
    )


def _index(value: str) -> int | None:
    return int_or_none(value, minimum=0, maximum=_MAX_INDEX)


def _path(value: str) -> list[int] | None:
    parts = [_index(p) for p in value.split(".") if p != ""]
    if not 1 <= len(parts) <= 2 or any(p is None for p in parts):
        return None
    return [p for p in parts if p is not None]


def _correction(post: Any) -> dict[str, Any] | None:
    """The correction a form posted, or None when its numbers are not numbers."""
    op = post.get("op", "")
    path = _path(post.get("path", ""))
    if path is None:
        return None
    if op == "rename":
        return {"op": op, "path": path, "name": post.get("name", "")}
    if op == "move":
        to = _path(post.get("to", ""))
        return {"op": op, "path": path, "to": to} if to else None
    if op == "merge":
        into = _path(post.get("into", ""))
        return {"op": op, "path": path, "into": into} if into else None
    if op == "split":
        start = _index(post.get("events_from", ""))
        if start is None or start < 1:
            return None
        return {"op": op, "path": path, "name": post.get("name", ""), "events_from": start}
    if op == "target":
        indicator = _index(post.get("indicator", ""))
        if indicator is None:
            return None
        return {
            "op": op,
            "path": path,
            "indicator": indicator,
            "value": post.get("value", "")[:40],
            "unit": post.get("unit", "")[:32],
            "year": post.get("year", "")[:8],
        }
    return None


@login_required
@require_http_methods(["GET", "POST"])
def upload_review(request: HttpRequest, upload_id: int) -> HttpResponse:
    actor = _actor(request)
    draft = _upload(actor, upload_id)
    error = ""
    status = 200
    if request.method == "POST":
        correction = _correction(request.POST)
        if correction is not None and correction["op"] == "split":
            # The form names the first key event (1-based) that moves to the new base project.
            correction = _split(draft, correction)
        if correction is None:
            error, status = _("This correction could not be read."), 400
        else:
            try:
                program_upload_correct(actor=actor, upload=draft, correction=correction)
            except ServiceError as exc:
                error, status = str(exc.message), exc.status
            else:
                messages.success(request, _("The correction is applied."))
                return redirect("programs:upload-review", upload_id=draft.pk)
    tree = _with_paths(program_upload_tree(draft))
    return render(
        request,
        "programs/upload_review.html",
        {
            "upload": draft,
            "tree": tree,
            "error": error,
            "source_lines": list(enumerate(draft.source_text.split("\n"), start=1)),
            "editable": draft.status == ProgramUploadStatus.DRAFT,
        },
        status=status,
    )


def _with_paths(tree: dict[str, Any]) -> dict[str, Any]:
    """The tree with each node's correction path ("0", "0.2"), which the forms post back."""
    for i, sp in enumerate(tree["subprograms"]):
        sp["ui_path"] = str(i)
        for j, bp in enumerate(sp["base_projects"]):
            bp["ui_path"] = f"{i}.{j}"
    return tree


def _split(draft: ProgramUpload, correction: dict[str, Any]) -> dict[str, Any] | None:
    tree = program_upload_tree(draft)
    path = correction["path"]
    try:
        events = tree["subprograms"][path[0]]["base_projects"][path[1]]["key_events"]
    except (IndexError, KeyError, TypeError):
        return None
    start = correction.pop("events_from") - 1
    correction["take"] = {"key_events": list(range(start, len(events)))}
    return correction


@login_required
@require_POST
def upload_save(request: HttpRequest, upload_id: int) -> HttpResponse:
    actor = _actor(request)
    draft = _upload(actor, upload_id)
    try:
        outcome = program_upload_save(actor=actor, upload=draft)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
        return redirect("programs:upload-review", upload_id=draft.pk)
    if outcome.unchanged:
        messages.info(request, _("This text was already saved; nothing changed."))
    else:
        messages.success(request, _("The program is saved."))
    return redirect("programs:detail", program_id=outcome.program.pk)


@login_required
@require_POST
def upload_discard(request: HttpRequest, upload_id: int) -> HttpResponse:
    actor = _actor(request)
    draft = _upload(actor, upload_id)
    try:
        program_upload_discard(actor=actor, upload=draft)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    return redirect("programs:list")
