from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "jospar.core"
    label = "core"
    verbose_name = _("Directory and access")

    def ready(self) -> None:
        # Second factors change only through the audited services (jospar.core.two_factor):
        # django-otp's own admin pages would add or delete devices without an audit row. The
        # admin site has discovered every app's admin module by now (its app comes first).
        from django.contrib import admin
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        for model in (TOTPDevice, StaticDevice):
            if admin.site.is_registered(model):
                admin.site.unregister(model)
        from django.urls import register_converter

        from jospar.core.edge import IdConverter

        # `<id:name>` in every URL: ASCII digits up to bigint, anything else is a 404.
        register_converter(IdConverter, "id")
