"""Achievement on the program tree: the indicators' page of a program, and the panels shown on
the programs' own pages (registered with ``jospar.programs.extensions`` by the app config)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from jospar.indicators.access import can_read_indicators
from jospar.indicators.achievement import Light
from jospar.indicators.program_tree import flat, node_achievement, program_achievement
from jospar.indicators.views.pages import _reader
from jospar.programs.access import access_program
from jospar.programs.models import Program, ProgramNode


@login_required
@require_GET
def program_tree(request: HttpRequest, program_id: int) -> HttpResponse:
    actor = _reader(request)
    program = access_program(actor, program_id)
    tree = program_achievement(program)
    return render(
        request,
        "indicators/program.html",
        {"program": program, "rows": flat(tree), "tree": tree, "lights": Light},
    )


def programs_panel(request: HttpRequest, program: Program, node: ProgramNode | None) -> str:
    """The achievement of the indicators measuring the node (or the program's sub-programs),
    for a reader of indicators; "" where none measures it."""
    if not can_read_indicators(request.user):
        return ""
    context: dict[str, object]
    if node is None:
        tree = program_achievement(program)
        if not tree:
            return ""
        context = {"program": program, "node": None, "tops": tree, "rows": []}
    else:
        found = node_achievement(node)
        if found is None:
            return ""
        context = {"program": program, "node": node, "tops": [], "rows": flat([found])}
    return render_to_string("indicators/_program_panel.html", context, request=request)
