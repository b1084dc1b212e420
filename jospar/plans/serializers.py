"""What the API shows of plans, activities and obligations, and what it accepts for an import."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from jospar.core.edge_fields import DateApiField, IdApiField
from jospar.plans.models import Activity, ActivityExecutor, CompletionKind, Plan
from jospar.plans.selectors import plan_languages


class PlanSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    title = serializers.CharField(
        read_only=True, help_text="In the request's language, else the other."
    )
    languages = serializers.SerializerMethodField()
    activity_count = serializers.IntegerField(read_only=True)
    obligation_count = serializers.IntegerField(read_only=True)
    warning_activity_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "title",
            "title_kk",
            "title_ru",
            "approved_on",
            "approval_number",
            "period_start",
            "period_end",
            "languages",
            "activity_count",
            "obligation_count",
            "warning_activity_count",
        ]

    def get_languages(self, plan: Plan) -> list[str]:
        return plan_languages(plan)


class ExecutorSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    organisation_name = serializers.SerializerMethodField()

    class Meta:
        model = ActivityExecutor
        fields = [
            "id",
            "position",
            "code_kk",
            "code_ru",
            "organisation",
            "organisation_name",
            "is_akimat_group",
            "lead",
            "by_agreement",
            "role_kk",
            "role_ru",
        ]

    def get_organisation_name(self, executor: ActivityExecutor) -> str | None:
        return executor.organisation.name if executor.organisation else None


class ActivitySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    executors = ExecutorSerializer(many=True, read_only=True, source="current_executors")
    report_dates = serializers.ListField(child=DateApiField(), read_only=True)
    warnings = serializers.ListField(child=serializers.DictField(), read_only=True)
    completion_form_kk = serializers.ListField(child=serializers.CharField(), read_only=True)
    completion_form_ru = serializers.ListField(child=serializers.CharField(), read_only=True)
    completion_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=CompletionKind.choices),
        read_only=True,
        help_text="What the activity must produce, read from both forms of completion; each"
        " kind asks its report for evidence.",
    )
    controller = serializers.ListField(
        child=serializers.CharField(), read_only=True, allow_null=True
    )

    class Meta:
        model = Activity
        fields = [
            "id",
            "number",
            "position",
            "section_kk",
            "section_ru",
            "title_kk",
            "title_ru",
            "completion_form_kk",
            "completion_form_ru",
            "completion_kinds",
            "deadline_text_kk",
            "deadline_text_ru",
            "controller",
            "financing_kk",
            "financing_ru",
            "window_start",
            "window_end",
            "report_dates",
            "warnings",
            "executors",
        ]


class PlanImportSerializer(serializers.Serializer):  # type: ignore[type-arg]
    file = serializers.FileField(help_text="The plan's text: .txt, .docx or .html.")
    lang = serializers.ChoiceField(
        choices=["kk", "ru"],
        required=False,
        allow_blank=True,
        help_text="The text's language; detected when absent.",
    )
    period_start = DateApiField(
        required=False, help_text="The plan's period, where its text states none."
    )
    period_end = DateApiField(required=False)
    plan = IdApiField(
        required=False, help_text="Add the text to this plan (another language or a revision)."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("period_start"), attrs.get("period_end")
        if bool(start) != bool(end):
            raise serializers.ValidationError(
                {"period_end": _("Give both the start and the end of the period, or neither.")}
            )
        if start and end and start > end:
            raise serializers.ValidationError({"period_end": _("The end is before the start.")})
        return attrs


class PlanImportResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    plan = serializers.IntegerField()
    revision = serializers.IntegerField(allow_null=True)
    lang = serializers.CharField(allow_null=True)
    revision_number = serializers.IntegerField(allow_null=True)
    created_plan = serializers.BooleanField()
    unchanged = serializers.BooleanField()
    changes = serializers.ListField(child=serializers.DictField())
    warnings = serializers.ListField(child=serializers.DictField())
    obligations_created = serializers.IntegerField()
    obligations_withdrawn = serializers.IntegerField()


class ParsedPlanSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The plan as ``jospar parse-plan`` prints it (``?dry_run=1``)."""

    lang = serializers.CharField()
    title = serializers.CharField()
    period = serializers.DictField()
    approved_on = DateApiField(allow_null=True)
    approval_number = serializers.CharField(allow_null=True)
    glossary = serializers.DictField(child=serializers.CharField())
    activities = serializers.ListField(child=serializers.DictField())
    warnings = serializers.ListField(child=serializers.DictField())
