"""A small program for the project office's tests: two sub-programs, a base project with two
projects (one with a key event), two regions with a regional project office each, and a
person in each role that matters, placed on their own node, the parent's, a sibling's, or
another region's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from jospar.core.models import Organisation, OrganisationKind, Region, Role, User
from jospar.programs.models import NodeKind, Program, ProgramNode, ProgramRole
from jospar.programs.roles import ProjectRole


@dataclass
class OfficeWorld:
    program: Program
    sub: ProgramNode
    other_sub: ProgramNode
    base: ProgramNode
    project: ProgramNode
    sibling: ProgramNode
    event: ProgramNode
    astana: Region
    almaty: Region
    astana_akimat: Organisation
    almaty_akimat: Organisation
    people: dict[str, User]

    def __getitem__(self, name: str) -> User:
        return self.people[name]


def _node(program: Program, parent: ProgramNode | None, kind: str, name: str) -> ProgramNode:
    return ProgramNode.objects.create(
        program=program, parent=parent, kind=kind, position=1, name_kk=name, name_ru=name
    )


def build_office(make_user: Callable[..., User]) -> OfficeWorld:
    astana = Region.objects.create(
        code="astana", kind="city", name_kk="Астана қаласы", name_ru="город Астана", name_en="A"
    )
    almaty = Region.objects.create(
        code="almaty", kind="city", name_kk="Алматы қаласы", name_ru="город Алматы", name_en="B"
    )
    astana_akimat = Organisation.objects.create(
        kind=OrganisationKind.AKIMAT,
        name_kk="Астана қаласының әкімдігі",
        name_ru="Акимат города Астаны",
        region=astana,
    )
    almaty_akimat = Organisation.objects.create(
        kind=OrganisationKind.AKIMAT,
        name_kk="Алматы қаласының әкімдігі",
        name_ru="Акимат города Алматы",
        region=almaty,
    )
    program = Program.objects.create(title_kk="Рухани жаңғыру", title_ru="Рухани жаңғыру")
    sub = _node(program, None, NodeKind.SUBPROGRAM, "Туған жер")
    other_sub = _node(program, None, NodeKind.SUBPROGRAM, "Қазақстандағы 100 жаңа есім")
    base = _node(program, sub, NodeKind.BASE_PROJECT, "Базалық жоба")
    project = _node(program, base, NodeKind.PROJECT, "Жоба")
    sibling = _node(program, base, NodeKind.PROJECT, "Басқа жоба")
    event = _node(program, project, NodeKind.KEY_EVENT, "Түйінді оқиға")
    event.due_on = dt.date.today() + dt.timedelta(days=20)
    event.save()
    people: dict[str, User] = {}

    def give(name: str, role: str, node: ProgramNode | None, region: Region | None = None) -> None:
        user = make_user(username=name, first_name=name)
        people[name] = user
        ProgramRole.objects.create(program=program, node=node, user=user, role=role, region=region)

    give("project_manager", ProjectRole.PROJECT_MANAGER, project)  # own
    give("project_head", ProjectRole.PROJECT_HEAD, project)  # own
    give("sub_manager", ProjectRole.MANAGER, sub)  # the parent's (holds below)
    give("sibling_manager", ProjectRole.PROJECT_MANAGER, sibling)  # a sibling's
    give("other_sub_manager", ProjectRole.MANAGER, other_sub)  # another sub-program's
    give("event_manager", ProjectRole.PROJECT_MANAGER, event)  # a child's: not the project
    give("expert", ProjectRole.EXPERT, project)
    give("task_executor", ProjectRole.TASK_EXECUTOR, project)
    give("curator", ProjectRole.PROGRAM_CURATOR, None)  # the centre
    give("sub_head", ProjectRole.SUBPROGRAM_HEAD, sub)  # the centre for the sub-program
    give("other_sub_head", ProjectRole.SUBPROGRAM_HEAD, other_sub)
    give("astana_office", ProjectRole.REGIONAL_OFFICE_HEAD, sub, astana)
    give("almaty_office", ProjectRole.REGIONAL_OFFICE_HEAD, sub, almaty)  # another region's
    give("astana_other_office", ProjectRole.REGIONAL_OFFICE_HEAD, other_sub, astana)
    give("regional_curator", ProjectRole.REGIONAL_CURATOR, sub, astana)
    people["stranger"] = make_user(username="stranger")
    people["observer"] = make_user(Role.OBSERVER, username="observer")
    people["akimat_executor"] = make_user(
        Role.EXECUTOR, username="akimat_executor", organisation=astana_akimat
    )
    return OfficeWorld(
        program=program,
        sub=sub,
        other_sub=other_sub,
        base=base,
        project=project,
        sibling=sibling,
        event=event,
        astana=astana,
        almaty=almaty,
        astana_akimat=astana_akimat,
        almaty_akimat=almaty_akimat,
        people=people,
    )
