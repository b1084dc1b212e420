from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "jospar.events"
    label = "events"
    verbose_name = _("Calendar of public events")

    def ready(self) -> None:
        # An executor gives a reported event as a report's evidence through control's
        # extension point: control never imports the calendar.
        from jospar.control.evidence_sources import register_event_source
        from jospar.events.evidence import reported_calendar_events

        register_event_source(reported_calendar_events)
