"""Extension points of the programs' pages for the apps above programs.

Programs sits low in the layers (core < plans, programs < control < …): it may not import the
apps that measure or act on its nodes. An app above it registers, in its ``AppConfig.ready``, a
panel: a function of the request, the program and the node (None on the program's own page)
that returns HTML to show on the page, or "" for nothing. The programs' views render the panels
in the order they were registered; programs knows nothing of what they show.

The second point is "the tree of program P changed": a service of programs that gives a node
another parent (today the import's save, when a corrected text moves a base project and the node
keeps its identity) calls ``tree_changed`` inside its own transaction, and each handler an app
above registered (control keeps counts keyed by a node's ancestors) brings what it keeps of that
program up to date in the same transaction, so no reader sees the moved tree with stale figures.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from jospar.programs.models import Program, ProgramNode

Panel = Callable[[HttpRequest, Program, ProgramNode | None], str]

TreeChanged = Callable[[Program], None]

_PANELS: list[Panel] = []
_TREE_CHANGED: list[TreeChanged] = []


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


def register_tree_changed(handler: TreeChanged) -> TreeChanged:
    if handler not in _TREE_CHANGED:
        _TREE_CHANGED.append(handler)
    return handler


def tree_changed(program: Program) -> None:
    """Tell the registered handlers that nodes of ``program`` changed place in its tree. Called
    inside the changing service's transaction: a handler's failure undoes the change."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("tree_changed runs inside the service's transaction")
    for handler in _TREE_CHANGED:
        handler(program)
