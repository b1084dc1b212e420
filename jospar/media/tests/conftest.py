from __future__ import annotations

from jospar.control.tests.conftest import holidays_2030, world

__all__ = ["holidays_2030", "world"]
