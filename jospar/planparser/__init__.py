"""The plan importer: an official plan's text (Kazakh or Russian; .txt, .docx, .html) as data.

Pure Python, no Django: the command line, the web upload and the background task share it.
"""

from __future__ import annotations

from jospar.planparser.deadlines import parse_deadline
from jospar.planparser.document import parse_plan
from jospar.planparser.executors import parse_executors
from jospar.planparser.glossary import parse_glossary
from jospar.planparser.model import (
    AKIMATS,
    Activity,
    DeadlineResult,
    Executor,
    Lang,
    ParsedPlan,
    ParseWarning,
    Period,
    PlanParseError,
)

__all__ = [
    "AKIMATS",
    "Activity",
    "DeadlineResult",
    "Executor",
    "Lang",
    "ParseWarning",
    "ParsedPlan",
    "Period",
    "PlanParseError",
    "parse_deadline",
    "parse_executors",
    "parse_glossary",
    "parse_plan",
]
