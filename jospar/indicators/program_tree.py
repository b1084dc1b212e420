"""Achievement on the program tree: each node of a program with the achievement of the
indicators that measure it (latest approved national value against the year's target, the right
way up: ``achievement.py``), and the count of lights over its whole subtree.

Indicators sit above programs, so the tree that shows achievement lives here: the indicators'
page of a program, and the panels that indicators registers on the programs' own pages through
``jospar.programs.extensions`` (programs never imports indicators).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from jospar.indicators.achievement import Light
from jospar.indicators.selectors import DashboardRow, latest_rows
from jospar.programs.models import NodeKind, Program, ProgramNode
from jospar.programs.selectors import TreeNode, program_tree

LIGHT_ORDER = (Light.GREEN, Light.AMBER, Light.RED, Light.GREY)


@dataclass
class AchievementNode:
    node: ProgramNode
    rows: list[DashboardRow]  # the indicators that measure this node itself
    children: list[AchievementNode] = field(default_factory=list)
    lights: Counter[str] = field(default_factory=Counter)  # over the whole subtree

    @property
    def counts(self) -> list[tuple[Light, int]]:
        return [(light, self.lights[light]) for light in LIGHT_ORDER if self.lights[light]]

    @property
    def total(self) -> int:
        return sum(self.lights.values())


def _rows_by_node(program_id: int) -> dict[int, list[DashboardRow]]:
    out: dict[int, list[DashboardRow]] = {}
    for row in latest_rows(program_id=program_id):
        if row.indicator.node_id is not None:
            out.setdefault(row.indicator.node_id, []).append(row)
    return out


def _wrap(item: TreeNode, rows: dict[int, list[DashboardRow]]) -> AchievementNode | None:
    """The node with its parts; a key event or a part without any indicator below is left
    out, so that the tree shows where achievement is measured."""
    children = [c for c in (_wrap(child, rows) for child in item.children) if c is not None]
    own = rows.get(item.node.pk, [])
    if not own and not children:
        return None
    if item.node.kind == NodeKind.KEY_EVENT and not own:
        return None
    out = AchievementNode(item.node, own, children)
    out.lights.update(str(row.achievement.light) for row in own)
    for child in children:
        out.lights.update(child.lights)
    return out


def program_achievement(program: Program) -> list[AchievementNode]:
    """The program's tree with achievement (a fixed number of queries, whatever its size)."""
    rows = _rows_by_node(program.pk)
    return [n for n in (_wrap(top, rows) for top in program_tree(program)) if n is not None]


def node_achievement(node: ProgramNode) -> AchievementNode | None:
    """One node's subtree with achievement (None: no indicator measures it or any part)."""
    for top in program_achievement(node.program):
        found = _find(top, node.pk)
        if found is not None:
            return found
    return None


def _find(item: AchievementNode, pk: int) -> AchievementNode | None:
    if item.node.pk == pk:
        return item
    for child in item.children:
        found = _find(child, pk)
        if found is not None:
            return found
    return None


def flat(items: list[AchievementNode], depth: int = 0) -> list[tuple[int, AchievementNode]]:
    """The tree in reading order with each node's depth (for one table with indented rows)."""
    out: list[tuple[int, AchievementNode]] = []
    for item in items:
        out.append((depth, item))
        out.extend(flat(item.children, depth + 1))
    return out
