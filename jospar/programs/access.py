"""Who may see and import programs. Objects named in a URL are fetched here (404 for both
"missing" and "not yours").

Programs are public acts, but their tree with its warnings and co-executors is working material
of the state bodies: administrators, controllers, observers and executors read it; administrators
import it.
"""

from __future__ import annotations

from django.http import Http404

from jospar.core.models import Role, User
from jospar.programs.models import Program, ProgramNode

_READERS = (Role.CONTROLLER, Role.OBSERVER, Role.EXECUTOR)


def can_import_programs(user: User) -> bool:
    return user.is_authenticated and user.is_administrator


def can_read_programs(user: User) -> bool:
    return user.is_authenticated and (
        user.is_administrator or any(user.has_role(r) for r in _READERS)
    )


def access_program(user: User, program_id: int) -> Program:
    if not can_read_programs(user):
        raise Http404
    program = Program.objects.filter(pk=program_id).first()
    if program is None:
        raise Http404
    return program


def access_program_node(user: User, node_id: int) -> ProgramNode:
    if not can_read_programs(user):
        raise Http404
    node = ProgramNode.objects.select_related("program", "parent").filter(pk=node_id).first()
    if node is None:
        raise Http404
    return node
