from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from jospar.core.two_factor.services import two_factor_applies

register = template.Library()


@register.simple_tag(takes_context=True)
def two_factor_link(context: dict[str, Any]) -> SafeString | str:
    """The account bar's link to the second factor, for those who may use one."""
    user = context.get("user")
    if not two_factor_applies(user):
        return ""
    return format_html(
        '<a href="{}" id="nav-two-factor">{}</a>', reverse("two-factor-setup"), _("Second factor")
    )
