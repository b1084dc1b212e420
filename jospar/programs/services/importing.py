"""Importing a program's text: one revision, the tree synchronised, node identities kept.

A re-import of a corrected text updates the nodes it finds (by kind and folded name within the
same parent; for a second language, by position, since the names differ) and adds what is new.
Nodes the text no longer has leave force — never deleted, since tasks, people and indicator
values point at them. Nodes a person added by hand (projects, dated key events) are not the
text's to remove.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jospar.core.audit import audit_record
from jospar.core.errors import PermissionRefused, ServiceError
from jospar.core.models import User
from jospar.core.selectors.directory import organisation_by_code
from jospar.planparser.model import PlanParseError
from jospar.planparser.program import parse_program
from jospar.planparser.program.text import fold_name
from jospar.planparser.sources import load
from jospar.programs.access import can_import_programs
from jospar.programs.corrections import CorrectionError, apply_corrections
from jospar.programs.extensions import tree_changed
from jospar.programs.models import (
    NodeIndicator,
    NodeKind,
    Program,
    ProgramNode,
    ProgramRevision,
    ProgramStage,
)

# What the text gives each node kind, beside its name.
_SUBPROGRAM_CONTENT = ("summary", "description", "purpose", "tasks", "methods", "target_group")
_BASE_PROJECT_CONTENT = ("description", "goals", "tasks")


@dataclass
class ProgramImportOutcome:
    program: Program
    revision: ProgramRevision | None
    created: bool
    unchanged: bool = False
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)


def content_sha256(text: str, corrections: list[dict[str, Any]]) -> str:
    """The identity of a revision: its text and the corrections a person made to it."""
    payload = text if not corrections else text + "\n" + json.dumps(corrections, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


_CORRECTION_MESSAGES = {
    "empty_name": gettext_lazy("A name cannot be empty."),
    "bad_name": gettext_lazy("The name is too long."),
    "no_such_node": gettext_lazy("No such node or item."),
    "same_parent": gettext_lazy("The base project is already there."),
    "same_node": gettext_lazy("A base project cannot be merged into itself."),
    "bad_take": gettext_lazy("Say which items the new base project takes."),
    "bad_value": gettext_lazy("The target must be a number."),
    "bad_year": gettext_lazy("The year must be between 1990 and 2100."),
    "unknown_op": gettext_lazy("Unknown correction."),
}


def correction_refusal(exc: CorrectionError) -> ServiceError:
    message = _CORRECTION_MESSAGES.get(exc.code, gettext_lazy("Unknown correction."))
    return ServiceError(exc.code, message, {"correction": [str(message)]})


def source_text_of(data: bytes | str, filename: str = "program.txt") -> str:
    """The text a person compares the tree with (a Word or HTML file as the reader renders it)."""
    if isinstance(data, str):
        return data
    try:
        return load(data, filename).text
    except PlanParseError as exc:
        raise ServiceError(exc.code, exc.message, {"file": [exc.message]}) from exc


def program_import(
    *,
    actor: User | None,
    data: bytes | str,
    filename: str = "program.txt",
    lang: str | None = None,
    program: Program | None = None,
    corrections: list[dict[str, Any]] | None = None,
) -> ProgramImportOutcome:
    """Read `data`, apply a person's corrections, and save it as a revision of `program` (or of
    a new program). The same text with the same corrections again changes nothing."""
    if actor is not None and not can_import_programs(actor):
        raise PermissionRefused("forbidden", _("Only administrators import programs."))
    try:
        parsed = parse_program(data, filename=filename, lang=lang)  # type: ignore[arg-type]
    except PlanParseError as exc:
        raise ServiceError(exc.code, exc.message, {"file": [exc.message]}) from exc
    if not parsed.subprograms:
        message = _("No sub-program was found in this text: is it a program document?")
        raise ServiceError("not_a_program", message, {"file": [message]})
    try:
        tree = apply_corrections(parsed.to_json(), corrections or [])
    except CorrectionError as exc:
        raise correction_refusal(exc) from exc
    text = source_text_of(data, filename)
    sha = content_sha256(text, corrections or [])
    with transaction.atomic():
        if program is not None:
            program = Program.objects.select_for_update().get(pk=program.pk)
        same = ProgramRevision.objects.filter(source_sha256=sha, lang=tree["lang"])
        if program is not None:
            same = same.filter(program=program)
        existing = same.select_related("program").order_by("-number").first()
        if existing is not None:
            return ProgramImportOutcome(existing.program, existing, created=False, unchanged=True)
        created = program is None
        if program is None:
            program = Program.objects.create(created_by=actor if actor and actor.pk else None)
        setattr(program, f"title_{tree['lang']}", tree["title"])
        program.save()
        sync = _TreeSync(program, tree["lang"])
        sync.run(tree)
        if sync.moved:
            # Inside the import's transaction: what is kept by a node's ancestors (control's
            # program counts) is rewritten before anyone reads the moved tree.
            tree_changed(program)
        _stages(program, tree["stages"])
        number = (program.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
        revision = ProgramRevision.objects.create(
            program=program,
            lang=tree["lang"],
            number=number,
            source_filename=filename[:255],
            source_sha256=sha,
            source_text=text,
            parsed=tree,
            corrections=corrections or [],
            changes=[
                *({"change": "added", "node": n} for n in sync.added),
                *({"change": "updated", "node": n} for n in sync.updated),
                *({"change": "removed", "node": n} for n in sync.removed),
                *({"change": "moved", "node": n} for n in sync.moved),
            ],
            imported_by=actor if actor and actor.pk else None,
        )
        audit_record(
            actor=actor,
            action="program.import",
            object_type="program",
            object_id=program.pk,
            after={
                "revision": number,
                "lang": tree["lang"],
                "sha256": sha,
                "added": len(sync.added),
                "updated": len(sync.updated),
                "removed": len(sync.removed),
                "moved": len(sync.moved),
            },
        )
    return ProgramImportOutcome(
        program,
        revision,
        created,
        added=sync.added,
        updated=sync.updated,
        removed=sync.removed,
        moved=sync.moved,
    )


def _stages(program: Program, stages: list[dict[str, Any]]) -> None:
    if not stages:
        return
    program.stages.all().delete()
    ProgramStage.objects.bulk_create(
        ProgramStage(
            program=program,
            position=i,
            name=(s.get("name") or "")[:200],
            start_year=s["start_year"],
            end_year=s["end_year"],
        )
        for i, s in enumerate(stages, start=1)
    )


# The nodes a correction may take to another parent (move, merge, split).
_MOVABLE = (NodeKind.BASE_PROJECT, NodeKind.KEY_EVENT)


class _TreeSync:
    def __init__(self, program: Program, lang: str) -> None:
        self.program = program
        self.lang = lang
        self.added: list[str] = []
        self.updated: list[str] = []
        self.removed: list[str] = []
        self.moved: list[str] = []
        # How often the text names each base project and key event (a move is found only for
        # a name it gives once).
        self.in_text: dict[str, dict[str, int]] = {kind: {} for kind in _MOVABLE}
        nodes = list(program.nodes.all())
        self.children: dict[int | None, list[ProgramNode]] = {}
        for node in nodes:
            self.children.setdefault(node.parent_id, []).append(node)
        self.seen: set[int] = set()

    def run(self, tree: dict[str, Any]) -> None:
        for sp in tree["subprograms"]:
            for bp in sp.get("base_projects", []):
                self._in_text(NodeKind.BASE_PROJECT, bp["name"])
                for event in bp.get("key_events", []):
                    self._in_text(NodeKind.KEY_EVENT, event["text"])
            for event in sp.get("key_events", []):
                self._in_text(NodeKind.KEY_EVENT, event["text"])
        for position, sp in enumerate(tree["subprograms"], start=1):
            node = self._node(None, NodeKind.SUBPROGRAM, position, sp["name"], sp)
            self._content(node, sp, _SUBPROGRAM_CONTENT, sp.get("other_sections", []))
            self._codes(node, sp.get("co_executors", []))
            self._indicators(node, sp.get("target_indicators", []))
            children = 0
            for bp in sp.get("base_projects", []):
                children += 1
                child = self._node(node, NodeKind.BASE_PROJECT, children, bp["name"], bp)
                self._content(child, bp, _BASE_PROJECT_CONTENT, bp.get("other_sections", []))
                self._codes(child, bp.get("co_executors", []))
                self._indicators(child, bp.get("outcome_indicators", []))
                self._events(child, bp.get("key_events", []))
            for d in sp.get("directions", []):
                children += 1
                child = self._node(node, NodeKind.DIRECTION, children, d["name"], d)
                self._set_content(child, {"activities": d.get("activities", [])})
            self._events(node, sp.get("key_events", []), first=children + 1)
        self._retire()

    def _in_text(self, kind: str, name: str) -> None:
        counts = self.in_text[kind]
        key = fold_name(name)
        counts[key] = counts.get(key, 0) + 1

    # --- nodes -------------------------------------------------------------------------

    def _node(
        self,
        parent: ProgramNode | None,
        kind: str,
        position: int,
        name: str,
        data: dict[str, Any],
    ) -> ProgramNode:
        node = self._match(parent, kind, position, name)
        label = name[:120]
        moved = None if node is not None else self._moved(parent, kind, name)
        if moved is not None:
            node = moved
            self.children[node.parent_id].remove(node)
            node.parent = parent
            self.moved.append(label)
        elif node is None:
            node = ProgramNode(program=self.program, parent=parent, kind=kind, from_text=True)
            self.added.append(label)
        elif getattr(node, f"name_{self.lang}") != name or node.position != position:
            self.updated.append(label)
        setattr(node, f"name_{self.lang}", name)
        node.position = position
        node.printed_number = (data.get("printed_number") or "")[:16]
        node.warnings = data.get("warnings", [])
        node.in_force = True
        node.save()
        self.seen.add(node.pk)
        self.children.setdefault(node.parent_id, [])
        if node not in self.children[node.parent_id]:
            self.children[node.parent_id].append(node)
        return node

    def _match(
        self, parent: ProgramNode | None, kind: str, position: int, name: str
    ) -> ProgramNode | None:
        siblings = [
            n
            for n in self.children.get(parent.pk if parent else None, [])
            if n.kind == kind and n.pk not in self.seen
        ]
        key = fold_name(name)
        for n in siblings:
            if fold_name(getattr(n, f"name_{self.lang}")) == key:
                return n
        # The other language's version of the same tree: same kind at the same position,
        # not yet named in this language.
        for n in siblings:
            if not getattr(n, f"name_{self.lang}") and n.position == position:
                return n
        return None

    def _moved(self, parent: ProgramNode | None, kind: str, name: str) -> ProgramNode | None:
        """A base project a correction moved to another sub-program, or a key event a merge or
        split took to another base project: the one node of that kind and name not yet met
        elsewhere in the program keeps its identity (its tasks, status, risks and roles go with
        it) under its new parent, instead of a new node beside a retired one. Only a name the
        text gives once and the tree holds once elsewhere: nothing is guessed."""
        key = fold_name(name)
        if kind not in _MOVABLE or parent is None or self.in_text[kind].get(key) != 1:
            return None
        found = [
            n
            for parent_id, nodes in self.children.items()
            if parent_id != parent.pk
            for n in nodes
            if n.kind == kind
            and n.pk not in self.seen
            and fold_name(getattr(n, f"name_{self.lang}")) == key
        ]
        return found[0] if len(found) == 1 else None

    def _content(
        self,
        node: ProgramNode,
        data: dict[str, Any],
        keys: tuple[str, ...],
        other: list[dict[str, Any]],
    ) -> None:
        content = {k: data.get(k) for k in keys if data.get(k) not in (None, "", [])}
        if other:
            content["other_sections"] = [
                {"heading": s.get("heading"), "text": s.get("text", "")} for s in other
            ]
        self._set_content(node, content)

    def _set_content(self, node: ProgramNode, content: dict[str, Any]) -> None:
        if node.content(self.lang) != content:
            setattr(node, f"content_{self.lang}", content)
            node.save(update_fields=[f"content_{self.lang}"])

    def _codes(self, node: ProgramNode, codes: list[str]) -> None:
        merged = list(dict.fromkeys([*node.co_executor_codes, *codes]))
        if merged != node.co_executor_codes:
            node.co_executor_codes = merged
            node.save(update_fields=["co_executor_codes"])
        orgs = [o for o in (organisation_by_code(self.lang, c) for c in codes) if o is not None]
        if orgs:
            node.co_executors.add(*orgs)

    def _events(self, parent: ProgramNode, events: list[dict[str, Any]], first: int = 1) -> None:
        for offset, event in enumerate(events):
            node = self._node(parent, NodeKind.KEY_EVENT, first + offset, event["text"], event)
            deadline = (event.get("deadline_text") or "")[:200]
            if node.deadline_text != deadline:
                node.deadline_text = deadline
                node.save(update_fields=["deadline_text"])

    def _indicators(self, node: ProgramNode, items: list[dict[str, Any]]) -> None:
        existing = {i.position: i for i in node.indicators.all()}
        for position, item in enumerate(items, start=1):
            ind = existing.pop(position, None) or NodeIndicator(node=node, position=position)
            setattr(ind, f"text_{self.lang}", item["text"])
            ind.kind = item["kind"]
            target = item.get("target") or {}
            ind.target_value = _decimal(target.get("value"))
            ind.target_unit = (target.get("unit") or "")[:32]
            ind.target_year = target.get("year")
            ind.direction = item.get("direction") or ""
            ind.in_force = True
            ind.save()
        for ind in existing.values():
            if ind.in_force:
                ind.in_force = False
                ind.save(update_fields=["in_force"])

    def _retire(self) -> None:
        for siblings in self.children.values():
            for node in siblings:
                if node.pk in self.seen or not node.from_text or not node.in_force:
                    continue
                # Only what this language's text gave: the other language's names stay.
                if not getattr(node, f"name_{self.lang}"):
                    continue
                node.in_force = False
                node.save(update_fields=["in_force"])
                self.removed.append(node.name[:120])


def _decimal(value: object) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
