"""The board of a project: its project tasks and key events put on control, by the state of
their obligations (to do, in progress, in review, done), in the order the manager put them.

A card's column is read from the loop, never stored: done when its obligations are accepted, in
review when the lead's report waits for the manager, in progress when a report is being written
or was returned, to do otherwise. Only the order within a column is the manager's
(`programs.BoardCard`, kept per project by `programs.services.office.board_order_set`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from jospar.control.models import ExecutionReport, Obligation, ReportState
from jospar.core.errors import ServiceError
from jospar.core.models import User
from jospar.programs.models import BoardCard, ProgramNode, ProjectTask
from jospar.programs.policy import subtree_ids
from jospar.programs.services.office import board_order_set

TODO, IN_PROGRESS, IN_REVIEW, DONE = "todo", "in_progress", "in_review", "done"
COLUMNS = (
    (TODO, _("To do")),
    (IN_PROGRESS, _("In progress")),
    (IN_REVIEW, _("In review")),
    (DONE, _("Done")),
)
MAX_CARDS = 500


@dataclass
class Card:
    task: ProjectTask
    column: str
    position: int | None


@dataclass
class Column:
    key: str
    label: str
    cards: list[Card] = field(default_factory=list)


def _column(obligations: list[Obligation]) -> str:
    main = [o for o in obligations if o.lead_obligation_id is None] or obligations
    if not main:
        return TODO
    if all(o.accepted_at is not None for o in main):
        return DONE
    waiting = [
        o
        for o in main
        if o.accepted_at is None
        and o.submitted_at is not None
        and (o.returned_at is None or o.returned_at < o.submitted_at)
    ]
    if waiting:
        return IN_REVIEW
    started = any(
        o.returned_at is not None or getattr(o, "has_draft", False) or o.submitted_at is not None
        for o in obligations
    )
    return IN_PROGRESS if started else TODO


def project_board(node: ProgramNode) -> list[Column]:
    """The board in four queries whatever its size (the tree, the tasks, their obligations,
    the cards' places)."""
    nodes = subtree_ids(node.program_id, [node.pk]) or {node.pk}
    tasks = list(
        ProjectTask.objects.filter(node_id__in=sorted(nodes), in_force=True)
        .select_related("node")
        .order_by("deadline", "id")[:MAX_CARDS]
    )
    by_task: dict[int, list[Obligation]] = {t.pk: [] for t in tasks}
    drafts = ExecutionReport.objects.filter(obligation=OuterRef("pk"), state=ReportState.DRAFT)
    for o in (
        Obligation.objects.filter(project_task_id__in=list(by_task), in_force=True)
        .annotate(has_draft=Exists(drafts))
        .only(
            "id",
            "project_task_id",
            "lead_obligation_id",
            "submitted_at",
            "returned_at",
            "accepted_at",
        )
        .order_by("id")
    ):
        assert o.project_task_id is not None
        by_task[o.project_task_id].append(o)
    places = dict(
        BoardCard.objects.filter(node=node, task_id__in=list(by_task)).values_list(
            "task_id", "position"
        )
    )
    columns = {key: Column(key, str(label)) for key, label in COLUMNS}
    for task in tasks:
        column = _column(by_task[task.pk])
        columns[column].cards.append(Card(task, column, places.get(task.pk)))
    big = 2**62
    for col in columns.values():
        col.cards.sort(
            key=lambda c: (
                c.position if c.position is not None else big,
                c.task.deadline,
                c.task.pk,
            )
        )
    return list(columns.values())


def _column_of(board: list[Column], task_id: int) -> Column:
    for col in board:
        if any(c.task.pk == task_id for c in col.cards):
            return col
    raise ServiceError("wrong_cards", str(_("This card is not on this board.")))


def board_move(*, actor: User, node: ProgramNode, task_id: int, direction: str) -> list[int]:
    """Move a card one place up or down within its column (the buttons, without JavaScript)."""
    if direction not in ("up", "down"):
        raise ServiceError("wrong_direction", str(_("Move a card up or down.")))
    column = _column_of(project_board(node), task_id)
    ids = [c.task.pk for c in column.cards]
    i = ids.index(task_id)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(ids):
        ids[i], ids[j] = ids[j], ids[i]
    return board_order_set(actor=actor, node=node, task_ids=ids, allowed=set(ids))


def board_reorder(*, actor: User, node: ProgramNode, task_ids: list[int]) -> list[int]:
    """Put one column's cards in the order given (a card dragged within its column)."""
    if not task_ids:
        raise ServiceError("wrong_cards", str(_("These cards are not on this board.")))
    column = _column_of(project_board(node), task_ids[0])
    ids = [c.task.pk for c in column.cards]
    if sorted(set(task_ids)) != sorted(ids):
        raise ServiceError("wrong_cards", str(_("A card moves within its own column only.")))
    return board_order_set(actor=actor, node=node, task_ids=task_ids, allowed=set(ids))
