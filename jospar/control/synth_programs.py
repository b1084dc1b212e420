"""A national program at scale for `jospar synth --program`: four sub-programs, twenty base
projects, two thousand projects across the twenty regions, two hundred thousand project tasks
(and a key event per project with a date), each task owed by one body as an obligation of the
control loop, with execution reports drawn like the plans' (`synth_rows.Facts`).

Written with COPY like the rest of `jospar synth`; the program is marked by its Russian title
starting ``[synth]`` so that `synth_program_reset` finds it again. The same seed gives the same
data."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.control.discipline_counts import discipline_counts_rebuild
from jospar.control.models import DisciplineCount, ExecutionReport, Obligation
from jospar.control.synth import ORG_MARK, TITLE_MARK, _ministries, _users
from jospar.control.synth_load import (
    TableWriter,
    analyze,
    lock_tables,
    next_id,
    reset_sequences,
)
from jospar.control.synth_rows import REPORT_FIELDS, Body, Facts
from jospar.core.audit import audit_record
from jospar.core.calendar import next_working_day
from jospar.core.models import Organisation, Region, User
from jospar.programs.models import Program, ProgramNode, ProjectTask, ProjectTaskAddressee

Progress = Callable[[str], None]

NODE_FIELDS = (
    "id",
    "program_id",
    "parent_id",
    "kind",
    "position",
    "printed_number",
    "name_kk",
    "name_ru",
    "due_on",
    "from_text",
    "in_force",
)
TASK_FIELDS = (
    "id",
    "program_id",
    "node_id",
    "kind",
    "lang",
    "region_id",
    "required_items",
    "deadline",
    "contact",
    "prepared_by_name",
    "prepared_by_title",
    "issued_by_id",
    "issued_at",
    "in_force",
)
ADDRESSEE_FIELDS = ("id", "task_id", "position", "text", "organisation_id", "lead", "by_agreement")
TASK_OBLIGATION_FIELDS = (
    "id",
    "project_task_id",
    "organisation_id",
    "region_id",
    "due_on",
    "deadline",
    "submitted_at",
    "submitted_on",
    "first_late_days",
    "returned_at",
    "accepted_at",
    "in_force",
    "created_at",
)

TABLES = [
    Program._meta.db_table,
    ProgramNode._meta.db_table,
    ProjectTask._meta.db_table,
    ProjectTaskAddressee._meta.db_table,
    Obligation._meta.db_table,
    ExecutionReport._meta.db_table,
]


@dataclass(frozen=True)
class ProgramSpec:
    subprograms: int = 4
    base_projects: int = 20
    projects: int = 2000
    tasks: int = 200_000
    first_year: int = 2023
    last_year: int = 2027
    seed: int = 10

    @classmethod
    def small(cls) -> ProgramSpec:
        return cls(subprograms=2, base_projects=4, projects=20, tasks=400)


@dataclass
class ProgramResult:
    program_id: int = 0
    nodes: int = 0
    tasks: int = 0
    obligations: int = 0
    reports: int = 0
    seconds: float = 0.0


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def synth_program_reset() -> dict[str, int]:
    """Delete the synthetic programs with their tasks, obligations and reports (set-based)."""
    programs = f"SELECT id FROM {_q(Program._meta.db_table)} WHERE title_ru LIKE %s"
    tasks = f"SELECT id FROM {_q(ProjectTask._meta.db_table)} WHERE program_id IN ({programs})"
    obligations = (
        f"SELECT id FROM {_q(Obligation._meta.db_table)} WHERE project_task_id IN ({tasks})"
    )
    steps = [
        (
            "reports",
            f"DELETE FROM {_q(ExecutionReport._meta.db_table)} "
            f"WHERE obligation_id IN ({obligations})",
        ),
        (
            "obligations",
            f"DELETE FROM {_q(Obligation._meta.db_table)} WHERE project_task_id IN ({tasks})",
        ),
        (
            "addressees",
            f"DELETE FROM {_q(ProjectTaskAddressee._meta.db_table)} WHERE task_id IN ({tasks})",
        ),
        (
            "tasks",
            f"DELETE FROM {_q(ProjectTask._meta.db_table)} WHERE program_id IN ({programs})",
        ),
        (
            "nodes",
            f"DELETE FROM {_q(ProgramNode._meta.db_table)} WHERE program_id IN ({programs})",
        ),
        ("programs", f"DELETE FROM {_q(Program._meta.db_table)} WHERE title_ru LIKE %s"),
    ]
    removed: dict[str, int] = {}
    with connection.cursor() as cursor:
        for label, sql in steps:
            cursor.execute(sql, [f"{TITLE_MARK}%"] * sql.count("%s"))
            removed[label] = cursor.rowcount
    return removed


def synth_program_build(
    *, actor: User | None, spec: ProgramSpec, reset: bool = True, progress: Progress | None = None
) -> ProgramResult:
    """Build the program in one transaction, count it, then refresh the planner's statistics."""
    say = progress or (lambda _message: None)
    started = time.perf_counter()
    result = ProgramResult()
    with transaction.atomic():
        lock_tables(TABLES)
        if reset:
            synth_program_reset()
        _build(spec, result, say)
        reset_sequences([Program, ProgramNode, ProjectTask, ProjectTaskAddressee, Obligation])
        reset_sequences([ExecutionReport])
        say(_("Counting the obligations again"))
        discipline_counts_rebuild()
        audit_record(
            actor=actor,
            action="control.synth_program_built",
            object_type="programs.Program",
            object_id=result.program_id,
            after={"nodes": result.nodes, "tasks": result.tasks, "obligations": result.obligations},
        )
    say(_("Refreshing the statistics"))
    analyze([*TABLES, DisciplineCount._meta.db_table])
    result.seconds = time.perf_counter() - started
    return result


def _working_day(
    rng: random.Random, first: dt.date, span: int, cache: dict[int, dt.date]
) -> dt.date:
    offset = rng.randrange(span)
    found = cache.get(offset)
    if found is None:
        found = cache[offset] = next_working_day(first + dt.timedelta(days=offset))
    return found


def _build(spec: ProgramSpec, result: ProgramResult, say: Progress) -> None:
    rng = random.Random(spec.seed)
    today = timezone.localdate()
    now = timezone.now()
    regions = list(Region.objects.select_related("akimat").filter(akimat__isnull=False))
    regions = [r for r in regions if r.valid_to is None][:20] if regions else []
    if not regions:
        raise ValueError(_("Load the regions first (jospar load-regions)."))
    ministries = _ministries_for(rng)
    akimats = [r.akimat for r in regions]
    authors, _made = _users([*ministries, *akimats])
    issuer = User.objects.filter(username="synth-controller").values_list("pk", flat=True).first()
    assert issuer is not None
    bodies: dict[int, Body] = {
        o.pk: Body(o.pk, authors[o.pk], rng.betavariate(8, 2), o.region_id)
        for o in [*ministries, *akimats]
    }

    program = Program.objects.create(
        title_kk=f"{TITLE_MARK}Ұлттық бағдарлама", title_ru=f"{TITLE_MARK}Национальная программа"
    )
    result.program_id = program.pk
    node_id = next_id(ProgramNode)
    nodes: list[tuple[Any, ...]] = []

    def node(parent: int | None, kind: str, position: int, number: str, due: Any = None) -> int:
        nonlocal node_id
        pk = node_id
        node_id += 1
        names = {
            "subprogram": ("кіші бағдарлама", "подпрограмма"),
            "base_project": ("базалық жоба", "базовый проект"),
            "project": ("жоба", "проект"),
            "key_event": ("негізгі іс-шара", "ключевое событие"),
        }[kind]
        nodes.append(
            (pk, program.pk, parent, kind, position, number, f"{number} {names[0]}",
             f"{number} {names[1]}", due, False, True)
        )  # fmt: skip
        return pk

    first = dt.date(spec.first_year, 1, 1)
    span = (dt.date(spec.last_year, 12, 31) - first).days
    days: dict[int, dt.date] = {}
    projects: list[tuple[int, Region]] = []
    events: list[tuple[int, Region, dt.date]] = []
    per_sub = max(spec.base_projects // spec.subprograms, 1)
    per_base = max(spec.projects // spec.base_projects, 1)
    for s in range(spec.subprograms):
        sub = node(None, "subprogram", s + 1, f"{s + 1}")
        for b in range(per_sub):
            base = node(sub, "base_project", b + 1, f"{s + 1}.{b + 1}")
            for p in range(per_base):
                region = regions[(len(projects)) % len(regions)]
                project = node(base, "project", p + 1, f"{s + 1}.{b + 1}.{p + 1}")
                projects.append((project, region))
                due = _working_day(rng, first, span, days)
                event = node(project, "key_event", 1, f"{s + 1}.{b + 1}.{p + 1}.1", due)
                events.append((event, region, due))
    result.nodes = TableWriter(ProgramNode, NODE_FIELDS).write(nodes)
    say(_("%(nodes)s program nodes written") % {"nodes": result.nodes})

    task_id = next_id(ProjectTask)
    addressee_id = next_id(ProjectTaskAddressee)
    obligation_id = next_id(Obligation)
    facts = Facts(rng, today, now, 0.9, next_id(ExecutionReport))
    writers = (
        TableWriter(ProjectTask, TASK_FIELDS),
        TableWriter(ProjectTaskAddressee, ADDRESSEE_FIELDS),
        TableWriter(Obligation, TASK_OBLIGATION_FIELDS),
        TableWriter(ExecutionReport, REPORT_FIELDS),
    )
    batches: tuple[list[Any], list[Any], list[Any], list[Any]] = ([], [], [], [])

    def flush() -> None:
        result.tasks += writers[0].write(batches[0])
        writers[1].write(batches[1])
        result.obligations += writers[2].write(batches[2])
        result.reports += writers[3].write(batches[3])
        for batch in batches:
            batch.clear()

    def task(node_pk: int, kind: str, region: Region, deadline: dt.date, body_pk: int) -> None:
        nonlocal task_id, addressee_id, obligation_id
        body = bodies[body_pk]
        lang = "kk" if rng.random() < 0.6 else "ru"
        item = "Ақпарат ұсыну" if lang == "kk" else "Представить информацию"
        issued = now - dt.timedelta(days=max((today - deadline).days, 0) + 30)
        batches[0].append(
            (task_id, program.pk, node_pk, kind, lang, region.pk, [f"{item} № {task_id}"],
             deadline, "", "", "менеджер", issuer, issued, True)
        )  # fmt: skip
        batches[1].append((addressee_id, task_id, 1, str(body_pk), body_pk, True, False))
        batches[2].append(
            (obligation_id, task_id, body_pk, body.region_id, deadline, deadline,
             *facts.draw(obligation_id, body, deadline, deadline, batches[3]), True, issued)
        )  # fmt: skip
        task_id += 1
        addressee_id += 1
        obligation_id += 1

    per_project = max(spec.tasks // max(len(projects), 1), 1)
    for i, (project, region) in enumerate(projects):
        for _n in range(per_project):
            # Most tasks go to the project's region's akimat, the rest to a ministry.
            if rng.random() < 0.6:
                owner = region.akimat.pk
            else:
                owner = ministries[rng.randrange(len(ministries))].pk
            task(project, "task", region, _working_day(rng, first, span, days), owner)
        event, event_region, due = events[i]
        task(event, "key_event", event_region, due, event_region.akimat.pk)
        if len(batches[2]) >= 50_000:
            flush()
            say(_("%(tasks)s project tasks written") % {"tasks": result.tasks})
    flush()
    say(
        _("%(tasks)s project tasks, %(reports)s reports written")
        % {"tasks": result.tasks, "reports": result.reports}
    )


def _ministries_for(rng: random.Random) -> list[Organisation]:
    """The synthetic ministries of `jospar synth` (made here when it has not run)."""
    from jospar.control.synth import SynthSpec

    found = list(Organisation.objects.filter(name_en__startswith=ORG_MARK).order_by("id")[:30])
    return found or _ministries(SynthSpec(ministries=30), rng)
