from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "jospar.indicators"
    label = "indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        # The programs' pages show their indicators' achievement through programs' extension
        # point: programs never imports indicators.
        from jospar.indicators.views.program import programs_panel
        from jospar.programs.extensions import register_panel

        register_panel(programs_panel)
