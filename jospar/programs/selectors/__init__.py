"""Reading programs: the list and the tree, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from jospar.programs.models import NodeIndicator, NodeKind, Program, ProgramNode, ProjectTask


def program_list() -> QuerySet[Program]:
    return Program.objects.annotate(
        subprogram_count=Count(
            "nodes", filter=Q(nodes__kind=NodeKind.SUBPROGRAM, nodes__in_force=True)
        ),
        base_project_count=Count(
            "nodes", filter=Q(nodes__kind=NodeKind.BASE_PROJECT, nodes__in_force=True)
        ),
    ).order_by("-id")


@dataclass
class TreeNode:
    node: ProgramNode
    children: list[TreeNode] = field(default_factory=list)
    indicators: list[NodeIndicator] = field(default_factory=list)

    @property
    def parts(self) -> list[TreeNode]:
        """The children that are parts of the node (base projects, directions, projects)."""
        return [c for c in self.children if c.node.kind != NodeKind.KEY_EVENT]

    @property
    def events(self) -> list[TreeNode]:
        return [c for c in self.children if c.node.kind == NodeKind.KEY_EVENT]


def program_tree(program: Program, *, include_retired: bool = False) -> list[TreeNode]:
    """The program's nodes as a tree, in the text's order (three queries whatever the size)."""
    nodes = program.nodes.all()
    if not include_retired:
        nodes = nodes.filter(in_force=True)
    nodes = nodes.prefetch_related(
        Prefetch(
            "indicators",
            queryset=NodeIndicator.objects.filter(in_force=True).order_by("position"),
        ),
        "co_executors",
    ).order_by("position", "id")
    by_parent: dict[int | None, list[TreeNode]] = {}
    for node in nodes:
        by_parent.setdefault(node.parent_id, []).append(
            TreeNode(node, indicators=list(node.indicators.all()))
        )
    for items in by_parent.values():
        for item in items:
            item.children = by_parent.get(item.node.pk, [])
    return by_parent.get(None, [])


def node_path(node: ProgramNode) -> list[ProgramNode]:
    """The node's ancestors from the top, for the breadcrumbs (depth ≤ 4)."""
    path: list[ProgramNode] = []
    current = node.parent
    while current is not None:
        path.insert(0, current)
        current = current.parent
    return path


def program_languages(program: Program) -> list[str]:
    """The language versions imported, Kazakh first."""
    langs = set(program.revisions.values_list("lang", flat=True))
    return [code for code in ("kk", "ru") if code in langs]


def node_subtree(node: ProgramNode) -> TreeNode:
    """The node with its descendants (a program is small enough to read whole, in 3 queries)."""
    for top in program_tree(node.program):
        found = _find(top, node.pk)
        if found is not None:
            return found
    return TreeNode(node, indicators=list(node.indicators.filter(in_force=True)))


def _find(item: TreeNode, pk: int) -> TreeNode | None:
    if item.node.pk == pk:
        return item
    for child in item.children:
        found = _find(child, pk)
        if found is not None:
            return found
    return None


def node_tasks(node: ProgramNode) -> list[ProjectTask]:
    """The project tasks issued on this node (a key event: its tracking), newest first."""
    return list(
        ProjectTask.objects.filter(node=node)
        .prefetch_related("addressees__organisation")
        .order_by("-id")[:200]
    )
