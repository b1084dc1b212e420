"""Layers, one way: a lower app never imports a higher one, not even inside a function.

core < plans, programs < control < civic, initiatives, media, indicators. The import statements
of every non-test module are read with ``ast``; ``jospar.planparser`` is plain Python below
everything. What turns a plan's activities into obligations lives in control, which calls the
plans app, never the reverse.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "jospar"
LEVEL = {
    "planparser": 0,
    "core": 1,
    "plans": 2,
    "programs": 2,
    "control": 3,
    "civic": 4,
    "initiatives": 4,
    "media": 4,
    "indicators": 4,
    "events": 4,
}


def _app(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) >= 2 and parts[0] == "jospar" and parts[1] in LEVEL:
        return parts[1]
    return None


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _violations() -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT.parent)
        if "tests" in relative.parts or "migrations" in relative.parts:
            continue
        module = ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
        own = _app(module)
        if own is None:
            continue
        for imported in _imports(path):
            other = _app(imported)
            if other is not None and LEVEL[other] > LEVEL[own]:
                out.add((module, other))
    return out


def test_no_lower_app_imports_a_higher_one() -> None:
    found = sorted(_violations())
    assert not found, f"a lower app imports a higher one: {found}"


def test_the_scan_sees_an_import_inside_a_function(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from jospar.control.models import Obligation\n")
    assert "jospar.control.models" in _imports(source)
