"""REST API of executive discipline: the figures of the dashboards, grouped by plan,
organisation or region, with the trend by quarter. Over what the caller may see."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jospar.control.discipline import (
    DisciplineFilter,
    Figures,
    Group,
    default_period,
    discipline_dashboard,
)
from jospar.control.discipline_plans import discipline_by_plan
from jospar.core.api.directory import ErrorSerializer
from jospar.core.edge_fields import DateApiField, IdApiField
from jospar.core.models import User
from jospar.plans.access import access_plan

ERRORS: dict[int, Any] = {
    400: OpenApiResponse(ErrorSerializer, description="Refused: {code, message, fields}"),
    403: OpenApiResponse(ErrorSerializer, description="Not signed in"),
    404: OpenApiResponse(ErrorSerializer, description="The plan is missing, or not visible to you"),
}


class DisciplineQuery(serializers.Serializer):  # type: ignore[type-arg]
    group = serializers.ChoiceField(
        choices=["plan", "organisation", "region"], required=False, default="organisation"
    )
    plan = IdApiField(required=False, min_value=1)
    date_from = DateApiField(required=False, allow_null=True)
    date_to = DateApiField(required=False, allow_null=True)


class FiguresSerializer(serializers.Serializer):  # type: ignore[type-arg]
    counted = serializers.IntegerField(help_text="Obligations due (deadline passed) or submitted")
    on_time = serializers.IntegerField(help_text="Submitted on or before the deadline")
    late = serializers.IntegerField(help_text="Submitted after the deadline")
    overdue = serializers.IntegerField(help_text="Status overdue now")
    accepted = serializers.IntegerField()
    on_time_open = serializers.IntegerField(help_text="Submitted on time, awaiting review")
    late_open = serializers.IntegerField(help_text="Submitted late, awaiting review")
    share_on_time = serializers.FloatField(
        allow_null=True, help_text="on_time ÷ counted, 0..1; null when nothing counts"
    )
    average_delay_days = serializers.FloatField(
        allow_null=True,
        help_text="Mean calendar days from the deadline to the submission (late) or to today "
        "(overdue); null when nothing is late or overdue",
    )


class GroupSerializer(FiguresSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    obligations_url = serializers.CharField(help_text="The obligation list behind the figures")


class QuarterSerializer(FiguresSerializer):
    quarter = serializers.CharField(help_text="2016-Q1")
    obligations_url = serializers.CharField()


class DisciplineSerializer(serializers.Serializer):  # type: ignore[type-arg]
    group = serializers.CharField()
    on = DateApiField(help_text="Today in Kazakhstan: the date the figures are for")
    date_from = DateApiField(allow_null=True)
    date_to = DateApiField(allow_null=True)
    plan = serializers.IntegerField(allow_null=True)
    totals = FiguresSerializer()
    groups = GroupSerializer(many=True)
    trend = QuarterSerializer(many=True)


def _figures(figures: Figures) -> dict[str, Any]:
    return {
        "counted": figures.counted,
        "on_time": figures.on_time,
        "late": figures.late,
        "overdue": figures.overdue,
        "accepted": figures.accepted,
        "on_time_open": figures.on_time_open,
        "late_open": figures.late_open,
        "share_on_time": figures.share_on_time,
        "average_delay_days": figures.average_delay,
    }


def _group(group: Group, base: str) -> dict[str, Any]:
    return {
        "id": group.key,
        "name": group.label,
        "obligations_url": f"{base}?{group.query}",
        **_figures(group.figures),
    }


class DisciplineView(APIView):
    @extend_schema(
        summary="Executive discipline figures, by plan, organisation or region",
        description=(
            "Share on time, overdue count and average delay over the obligations visible to "
            "you, in force, whose deadline lies in the period (by default this quarter and the "
            "three before it; an empty `from` or `to` leaves that side open), grouped as asked, "
            "with the trend by quarter of the deadline. Groups come worst share first."
        ),
        parameters=[
            OpenApiParameter(
                "group", str, enum=["plan", "organisation", "region"], description="grouping"
            ),
            OpenApiParameter("plan", int, description="a plan's id"),
            OpenApiParameter("from", OpenApiTypes.DATE, description="deadline on or after"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="deadline on or before"),
        ],
        responses={200: DisciplineSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        actor = cast(User, request.user)
        params = request.query_params
        raw = {
            "group": params.get("group") or "organisation",
            "plan": params.get("plan"),
            "date_from": params.get("from"),
            "date_to": params.get("to"),
        }
        query = DisciplineQuery(data={k: v for k, v in raw.items() if v})
        query.is_valid(raise_exception=True)
        data = query.validated_data
        plan_id = access_plan(actor, data["plan"]).pk if data.get("plan") else None
        date_from: dt.date | None = data.get("date_from")
        date_to: dt.date | None = data.get("date_to")
        if "from" not in params and "to" not in params:
            date_from, date_to = default_period()
        filters = DisciplineFilter(plan_id=plan_id, date_from=date_from, date_to=date_to)
        dashboard = discipline_dashboard(actor, filters)
        group = data["group"]
        if group == "plan":
            groups = discipline_by_plan(actor, filters, on=dashboard.on)
        elif group == "region":
            groups = dashboard.regions
        else:
            groups = dashboard.organisations
        base = reverse("control:obligations")
        return Response(
            {
                "group": group,
                "on": dashboard.on,
                "date_from": date_from,
                "date_to": date_to,
                "plan": plan_id,
                "totals": _figures(dashboard.totals),
                "groups": [_group(g, base) for g in groups],
                "trend": [
                    {
                        "quarter": q.label,
                        "obligations_url": f"{base}?{q.query}",
                        **_figures(q.figures),
                    }
                    for q in dashboard.quarters
                ],
            }
        )


urlpatterns = [path("discipline/", DisciplineView.as_view(), name="api-discipline")]
