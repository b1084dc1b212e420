"""The main menu's "Discipline" entry: the overview for those who see every body's figures,
an executor's own organisation's page otherwise."""

from __future__ import annotations

from django import template
from django.urls import reverse

from jospar.control.access_discipline import can_see_discipline_overview, own_organisation_id

register = template.Library()


@register.simple_tag(takes_context=True)
def discipline_url(context: template.Context) -> str:
    user = context.get("user")
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    if can_see_discipline_overview(user):
        return reverse("control:discipline")
    own = own_organisation_id(user)
    if own is not None:
        return reverse("control:discipline-organisation", args=[own])
    return ""
