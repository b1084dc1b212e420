"""Extension points of the programs' pages for the apps above programs.

Programs sits low in the layers (core < plans, programs < control < …): it may not import the
apps that measure or act on its nodes. An app above it registers, in its ``AppConfig.ready``, a
panel: a function of the request, the program and the node (None on the program's own page)
that returns HTML to show on the page, or "" for nothing. The programs' views render the panels
in the order they were registered; programs knows nothing of what they show.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from jospar.programs.models import Program, ProgramNode

Panel = Callable[[HttpRequest, Program, ProgramNode | None], str]

_PANELS: list[Panel] = []


def register_panel(panel: Panel) -> Panel:
    if panel not in _PANELS:
        _PANELS.append(panel)
    return panel


def panels(request: HttpRequest, program: Program, node: ProgramNode | None) -> list[SafeString]:
    """The registered panels' HTML for this page (each panel escapes what it renders: it is a
    template rendered by its own app)."""
    out = []
    for panel in _PANELS:
        html = panel(request, program, node)
        if html:
            out.append(mark_safe(html))
    return out
