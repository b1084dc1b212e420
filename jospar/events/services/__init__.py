"""The state changes of public events: each one transaction with its audit row."""

from jospar.events.services.lifecycle import (
    event_cancel,
    event_create,
    event_moderate,
    event_register,
    event_report,
    event_unregister,
)

__all__ = [
    "event_cancel",
    "event_create",
    "event_moderate",
    "event_register",
    "event_report",
    "event_unregister",
]
