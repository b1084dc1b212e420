"""A service's refusal placed on the form that sent it: each field's problems beside the field."""

from __future__ import annotations

from collections.abc import Container, Mapping
from typing import Any

from jospar.core.errors import ServiceError


def refusal_onto_form(
    form: Any,
    error: ServiceError,
    *,
    names: Mapping[str, str] | None = None,
    skip: Container[str] = (),
) -> bool:
    """Add each of the refusal's field problems to the form field it names (``names`` maps a
    service's field name to the form's); returns whether any was placed. What fits no field is
    the caller's to show above the form."""
    placed = False
    for name, problems in error.fields.items():
        field = (names or {}).get(name, name)
        if field in form.fields and field not in skip:
            for problem in problems:
                form.add_error(field, problem)
                placed = True
    return placed
