"""The program tree of `../shared/spec/program-import.md`, as plain data with its JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from jospar.planparser.model import Lang

IndicatorKind = Literal["target", "outcome"]
Direction = Literal["increase", "decrease"]


@dataclass
class Warning:
    """Something the reader is unsure of, on the node it concerns (`line` is 1-based)."""

    code: str
    detail: str
    line: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "detail": self.detail, "line": self.line}


@dataclass
class Target:
    value: float | int
    unit: str | None
    year: int | None

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "unit": self.unit, "year": self.year}


@dataclass
class Indicator:
    text: str
    kind: IndicatorKind
    target: Target | None = None
    targets: list[Target] = field(default_factory=list)
    direction: Direction | None = None
    line: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "kind": self.kind,
            "target": self.target.to_json() if self.target else None,
            "targets": [t.to_json() for t in self.targets],
            "direction": self.direction,
            "line": self.line,
        }


@dataclass
class KeyEvent:
    text: str
    deadline_text: str | None = None
    line: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "deadline_text": self.deadline_text, "line": self.line}


@dataclass
class OtherSection:
    """A labelled block the tree does not model, kept verbatim (nothing is dropped)."""

    heading: str | None
    text: str
    line: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"heading": self.heading, "text": self.text, "line": self.line}


@dataclass
class ProgramDirection:
    """A channel or mechanism of a sub-program built of directions instead of base projects."""

    name: str
    activities: list[str] = field(default_factory=list)
    line: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "activities": self.activities, "line": self.line}


@dataclass
class BaseProject:
    name: str
    printed_number: str | None = None
    description: str = ""
    goals: list[str] = field(default_factory=list)
    tasks: list[str] = field(default_factory=list)
    outcome_indicators: list[Indicator] = field(default_factory=list)
    key_events: list[KeyEvent] = field(default_factory=list)
    co_executors: list[str] = field(default_factory=list)
    other_sections: list[OtherSection] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    line: int | None = None
    listed_number: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "printed_number": self.printed_number,
            "description": self.description,
            "goals": self.goals,
            "tasks": self.tasks,
            "outcome_indicators": [i.to_json() for i in self.outcome_indicators],
            "key_events": [e.to_json() for e in self.key_events],
            "co_executors": self.co_executors,
            "other_sections": [s.to_json() for s in self.other_sections],
            "warnings": [w.to_json() for w in self.warnings],
            "line": self.line,
        }


@dataclass
class Subprogram:
    name: str
    printed_number: str | None = None
    summary: str | None = None
    description: str = ""
    purpose: str | None = None
    tasks: list[str] = field(default_factory=list)
    target_indicators: list[Indicator] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    target_group: str | None = None
    key_events: list[KeyEvent] = field(default_factory=list)
    co_executors: list[str] = field(default_factory=list)
    directions: list[ProgramDirection] = field(default_factory=list)
    base_projects: list[BaseProject] = field(default_factory=list)
    other_sections: list[OtherSection] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    line: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "printed_number": self.printed_number,
            "summary": self.summary,
            "description": self.description,
            "purpose": self.purpose,
            "tasks": self.tasks,
            "target_indicators": [i.to_json() for i in self.target_indicators],
            "methods": self.methods,
            "target_group": self.target_group,
            "key_events": [e.to_json() for e in self.key_events],
            "co_executors": self.co_executors,
            "directions": [d.to_json() for d in self.directions],
            "base_projects": [b.to_json() for b in self.base_projects],
            "other_sections": [s.to_json() for s in self.other_sections],
            "warnings": [w.to_json() for w in self.warnings],
            "line": self.line,
        }


@dataclass
class Stage:
    name: str | None
    start_year: int
    end_year: int

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "start_year": self.start_year, "end_year": self.end_year}


@dataclass
class ParsedProgram:
    title: str
    lang: Lang
    stages: list[Stage] = field(default_factory=list)
    subprograms: list[Subprogram] = field(default_factory=list)
    other_sections: list[OtherSection] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "lang": self.lang,
            "stages": [s.to_json() for s in self.stages],
            "subprograms": [s.to_json() for s in self.subprograms],
            "other_sections": [s.to_json() for s in self.other_sections],
            "warnings": [w.to_json() for w in self.warnings],
        }
