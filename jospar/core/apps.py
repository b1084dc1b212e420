from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "jospar.core"
    label = "core"
    verbose_name = _("Directory and access")

    def ready(self) -> None:
        from django.urls import register_converter

        from jospar.core.edge import IdConverter

        # `<id:name>` in every URL: ASCII digits up to bigint, anything else is a 404.
        register_converter(IdConverter, "id")
