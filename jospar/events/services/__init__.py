"""The state changes of public events: each one transaction with its audit row."""

from jospar.events.services.lifecycle import (
    event_cancel,
    event_create,
    event_moderate,
    event_register,
    event_report,
    event_unregister,
)
from jospar.events.services.photos import event_photo_remove

__all__ = [
    "event_cancel",
    "event_create",
    "event_moderate",
    "event_photo_remove",
    "event_register",
    "event_report",
    "event_unregister",
]
