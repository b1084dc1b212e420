from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


class CivicConfig(AppConfig):
    name = "jospar.civic"
    label = "civic"
    verbose_name = _("Civic Control")

    def ready(self) -> None:
        from jospar.civic.notify import KIND_NEW, KIND_OVERDUE, KIND_UPDATE
        from jospar.core.services.notification_email import letter_register

        many = ngettext_lazy(
            "Citizen reports: %(count)d update", "Citizen reports: %(count)d updates", "count"
        )
        for kind in (KIND_UPDATE, KIND_NEW, KIND_OVERDUE):
            letter_register(kind, "civic/email/report_event", many)
