"""The list of programs, a program's tree and one node's page."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from jospar.core.models import User
from jospar.programs import selectors
from jospar.programs.access import (
    access_program,
    access_program_node,
    can_import_programs,
    can_read_programs,
    may_see_dashboard,
    reads_some_program,
)
from jospar.programs.extensions import panels
from jospar.programs.models import TASK_NODES, NodeKind
from jospar.programs.policy import may_somewhere
from jospar.programs.roles import Action
from jospar.programs.views.office import status_context


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def content_lang(available: list[str]) -> str:
    """The language to show a node's texts in: the interface's where the program has it."""
    lang = (translation.get_language() or "kk")[:2]
    if lang in available:
        return lang
    return available[0] if available else "kk"


@login_required
@require_GET
def program_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not reads_some_program(actor):
        raise PermissionDenied
    programs = selectors.program_list()
    if not can_read_programs(actor):
        programs = programs.filter(roles__user=actor, roles__in_force=True).distinct()
    return render(
        request,
        "programs/list.html",
        {"programs": programs, "can_import": can_import_programs(actor)},
    )


@login_required
@require_GET
def program_detail(request: HttpRequest, program_id: int) -> HttpResponse:
    actor = _actor(request)
    program = access_program(actor, program_id)
    languages = selectors.program_languages(program)
    return render(
        request,
        "programs/detail.html",
        {
            "program": program,
            "tree": selectors.program_tree(program),
            "stages": list(program.stages.all()),
            "revisions": list(program.revisions.order_by("-number")[:20]),
            "lang": content_lang(languages),
            "languages": languages,
            "can_import": can_import_programs(actor),
            "panels": panels(request, program, None),
            "may_see_dashboard": may_see_dashboard(actor, program),
        },
    )


@login_required
@require_GET
def node_detail(request: HttpRequest, node_id: int) -> HttpResponse:
    actor = _actor(request)
    node = access_program_node(actor, node_id)
    languages = selectors.program_languages(node.program)
    lang = content_lang(languages)
    return render(
        request,
        "programs/node.html",
        {
            **status_context(actor, node),
            "node": node,
            "program": node.program,
            "path": selectors.node_path(node),
            "subtree": selectors.node_subtree(node),
            "content": node.content(lang),
            "lang": lang,
            "tasks": selectors.node_tasks(node),
            "may_issue": node.kind in TASK_NODES and may_somewhere(actor, Action.ISSUE_TASK, node),
            "may_track": node.kind == NodeKind.KEY_EVENT
            and node.due_on is not None
            and may_somewhere(actor, Action.ISSUE_TASK, node),
            "panels": panels(request, node.program, node),
        },
    )
