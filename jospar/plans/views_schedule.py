"""The control schedule page moved to the control app (``control:obligations``); the old
address ``plans:obligations`` serves the same page, with the same parameters, so that links
made before keep working."""

from __future__ import annotations

from jospar.control.views import obligation_list as obligations

__all__ = ["obligations"]
