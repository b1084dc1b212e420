"""Periodic collection of the monitored sources."""

from __future__ import annotations

from celery import shared_task

from jospar.media.services.collection import collect_due as _collect_due


@shared_task(name="media.collect_due", acks_late=True)  # type: ignore[untyped-decorator]
def collect_due(on: str | None = None) -> dict[str, int]:
    """Collect every source that is due (each source's own schedule and backoff decide)."""
    results = _collect_due()
    return {
        "sources": len(results),
        "failed": sum(1 for r in results if not r.ok),
        "new": sum(r.new for r in results),
    }
