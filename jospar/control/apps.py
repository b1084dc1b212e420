from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


class ControlConfig(AppConfig):
    name = "jospar.control"
    label = "control"
    verbose_name = _("Control")

    def ready(self) -> None:
        from jospar.control.program_counts import program_counts_on_tree_change
        from jospar.control.review_notices import KINDS
        from jospar.core.services.notification_email import letter_register
        from jospar.programs.extensions import register_tree_changed

        many = ngettext_lazy(
            "Execution reports: %(count)d event", "Execution reports: %(count)d events", "count"
        )
        for kind in KINDS:
            letter_register(kind, "control/email/review_event", many)
        # A node moved in a program's tree changes which ancestors its obligations count on:
        # that program's counts are rewritten in the moving service's transaction.
        register_tree_changed(program_counts_on_tree_change)
