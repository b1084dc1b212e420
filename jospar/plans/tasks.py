"""Background work of the plans app: reading large uploaded files."""

from __future__ import annotations

from celery import shared_task

from jospar.core.models import User
from jospar.plans.services.upload import plan_upload_parse


@shared_task(name="plans.parse_upload", acks_late=True)  # type: ignore[untyped-decorator]
def parse_upload(upload_id: int, actor_id: int | None = None) -> str:
    """Read the file of a queued upload. Takes ids, not objects, and is safe to run twice:
    an upload that is no longer waiting is left as it is."""
    actor = User.objects.filter(pk=actor_id).first() if actor_id is not None else None
    upload = plan_upload_parse(actor=actor, upload_id=upload_id)
    return upload.status if upload is not None else "missing"
