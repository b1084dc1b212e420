"""What the control API shows of obligations, reports and decisions, and what it accepts."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jospar.control.models import (
    ControlDecision,
    ControlDecisionKind,
    EvidenceKind,
    ExecutionReport,
    Obligation,
    ObligationStatus,
    ReportAttachment,
    ReportEvidence,
    ReportLink,
    Review,
)
from jospar.control.services.evidence import (
    NUMBER_MAX,
    OUTLET_MAX,
    PARTICIPANTS_MAX,
    PLACE_MAX,
    REASON_MAX,
    URL_MAX,
    required_kinds,
)
from jospar.control.status import status_of
from jospar.core.edge_fields import DateApiField, IdApiField
from jospar.core.models import Lang
from jospar.plans.models import CompletionKind


class ObligationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """One obligation of the control schedule, with its computed status."""

    plan = serializers.IntegerField(
        source="activity.plan_id", read_only=True, allow_null=True, default=None
    )
    activity_number = serializers.CharField(
        source="activity.number", read_only=True, allow_null=True, default=None
    )
    activity_title = serializers.CharField(
        source="activity.title",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="In the request's language, else the other. Null for a project task.",
    )
    executor_code = serializers.CharField(
        source="executor.code", read_only=True, allow_null=True, default=None
    )
    lead = serializers.SerializerMethodField(help_text="The lead executor of the activity.")
    organisation_name = serializers.SerializerMethodField()
    region_name = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    status_label = serializers.SerializerMethodField()

    class Meta:
        model = Obligation
        fields = [
            "id",
            "due_on",
            "deadline",
            "status",
            "status_label",
            "plan",
            "activity",
            "activity_number",
            "activity_title",
            "project_task",
            "executor",
            "executor_code",
            "lead",
            "lead_obligation",
            "organisation",
            "organisation_name",
            "region",
            "region_name",
            "submitted_at",
            "submitted_on",
            "returned_at",
            "accepted_at",
            "in_force",
        ]

    def get_lead(self, obligation: Obligation) -> bool:
        if obligation.executor is not None:
            return bool(obligation.executor.lead)
        return obligation.project_task_id is not None and obligation.lead_obligation_id is None

    def get_organisation_name(self, obligation: Obligation) -> str | None:
        return obligation.organisation.name if obligation.organisation else None

    def get_region_name(self, obligation: Obligation) -> str | None:
        return obligation.region.name if obligation.region else None

    @extend_schema_field(serializers.ChoiceField(choices=ObligationStatus.choices))
    def get_status(self, obligation: Obligation) -> str:
        # Lists annotate the status in SQL; one object loaded alone computes it in Python.
        value = getattr(obligation, "status", None)
        return str(value) if value else status_of(obligation).value

    def get_status_label(self, obligation: Obligation) -> str:
        return str(ObligationStatus(self.get_status(obligation)).label)


class AttachmentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    download = serializers.SerializerMethodField(help_text="Where the file is downloaded.")

    class Meta:
        model = ReportAttachment
        fields = [
            "id",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_at",
            "download",
        ]

    def get_download(self, attachment: ReportAttachment) -> str:
        path = reverse("api-attachment-download", args=[attachment.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class LinkSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = ReportLink
        fields = ["id", "url", "title"]


class EvidenceSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """One piece of evidence of completion; ``files`` are among the report's attachments."""

    kind_label = serializers.SerializerMethodField()
    files = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = ReportEvidence
        fields = [
            "id",
            "kind",
            "kind_label",
            "number",
            "date",
            "url",
            "outlet",
            "place",
            "participants",
            "missing_reason",
            "files",
        ]

    def get_kind_label(self, evidence: ReportEvidence) -> str:
        return str(EvidenceKind(evidence.kind).label)


class ReviewSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    reviewer = serializers.CharField(source="reviewer.username", read_only=True)

    class Meta:
        model = Review
        fields = ["id", "report", "decision", "comment", "new_deadline", "reviewer", "decided_at"]


class ReportSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    author = serializers.CharField(source="author.username", read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    links = LinkSerializer(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    reviews = ReviewSerializer(many=True, read_only=True)

    class Meta:
        model = ExecutionReport
        fields = [
            "id",
            "obligation",
            "kind",
            "version",
            "state",
            "lang",
            "text",
            "organisation",
            "author",
            "created_at",
            "updated_at",
            "submitted_at",
            "attachments",
            "links",
            "evidence",
            "reviews",
        ]


class ControlDecisionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    decided_by = serializers.CharField(source="decided_by.username", read_only=True)

    class Meta:
        model = ControlDecision
        fields = [
            "id",
            "activity",
            "obligation",
            "kind",
            "reason",
            "new_deadline",
            "decided_by",
            "decided_at",
        ]


class ObligationDetailSerializer(ObligationSerializer):
    activity_title_kk = serializers.CharField(source="activity.title_kk", read_only=True)
    activity_title_ru = serializers.CharField(source="activity.title_ru", read_only=True)
    deadline_text = serializers.CharField(source="activity.deadline_text", read_only=True)
    completion_kinds = serializers.ListField(
        source="activity.completion_kinds",
        child=serializers.ChoiceField(choices=CompletionKind.choices),
        read_only=True,
        help_text="What the activity must produce; each kind but 'other' asks the lead"
        " executor's report for evidence.",
    )
    evidence_required = serializers.SerializerMethodField()
    removed_from_control = serializers.SerializerMethodField()
    reports = serializers.SerializerMethodField()
    decisions = serializers.SerializerMethodField()

    class Meta(ObligationSerializer.Meta):
        fields = [
            *ObligationSerializer.Meta.fields,
            "activity_title_kk",
            "activity_title_ru",
            "deadline_text",
            "completion_kinds",
            "evidence_required",
            "removed_from_control",
            "reports",
            "decisions",
        ]

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=EvidenceKind.choices))
    )
    def get_evidence_required(self, obligation: Obligation) -> list[str]:
        return required_kinds(obligation)

    def get_removed_from_control(self, obligation: Obligation) -> bool:
        return bool(self.context.get("removed", False))

    @extend_schema_field(ReportSerializer(many=True))
    def get_reports(self, obligation: Obligation) -> list[dict[str, Any]]:
        reports = self.context.get("reports", [])
        return list(ReportSerializer(reports, many=True, context=self.context).data)

    @extend_schema_field(ControlDecisionSerializer(many=True))
    def get_decisions(self, obligation: Obligation) -> list[dict[str, Any]]:
        decisions = self.context.get("decisions", [])
        return list(ControlDecisionSerializer(decisions, many=True).data)


class ContributionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A co-executor's obligation and the latest input it sent to the lead executor."""

    obligation = ObligationSerializer()
    latest_input = ReportSerializer(allow_null=True, source="latest")


# --- what the API accepts -----------------------------------------------------------------

# Reports are written in the plans' two languages.
REPORT_LANGS = [(code, label) for code, label in Lang.choices if code in ("kk", "ru")]


class ObligationQuerySerializer(serializers.Serializer):  # type: ignore[type-arg]
    plan = IdApiField(required=False, min_value=1)
    organisation = IdApiField(required=False, min_value=1)
    region = IdApiField(required=False, min_value=1)
    status = serializers.ChoiceField(required=False, choices=ObligationStatus.choices)
    deadline_from = DateApiField(required=False)
    deadline_to = DateApiField(required=False)
    due_from = DateApiField(required=False)
    due_to = DateApiField(required=False)
    quarter = serializers.RegexField(r"^\d{4}-[Qq][1-4]$", required=False)


class ReportDraftSerializer(serializers.Serializer):  # type: ignore[type-arg]
    text = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=50_000)
    lang = serializers.ChoiceField(choices=REPORT_LANGS)


class ReportDraftUpdateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    text = serializers.CharField(
        allow_blank=True, trim_whitespace=False, max_length=50_000, required=False
    )
    lang = serializers.ChoiceField(choices=REPORT_LANGS, required=False)


class AttachmentUploadSerializer(serializers.Serializer):  # type: ignore[type-arg]
    file = serializers.FileField(
        help_text="Word, Excel, OpenDocument, PDF or an image; checked by its content."
    )


class LinkCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    url = serializers.CharField(max_length=1000, help_text="An http:// or https:// address.")
    title = serializers.CharField(max_length=500, required=False, allow_blank=True)


class EvidenceCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """What the evidence endpoint reads (every value through ``jospar.core.edge``). Which fields
    a kind needs: act — number, date, files; draft_law — url; information — files; media —
    url, outlet, date; event — date, place, participants, files (images). Or only
    ``missing_reason``: why the evidence cannot be given."""

    kind = serializers.ChoiceField(choices=EvidenceKind.choices)
    number = serializers.CharField(required=False, allow_blank=True, max_length=NUMBER_MAX)
    date = DateApiField(required=False, allow_null=True)
    url = serializers.CharField(
        required=False, allow_blank=True, max_length=URL_MAX, help_text="http:// or https://"
    )
    outlet = serializers.CharField(required=False, allow_blank=True, max_length=OUTLET_MAX)
    place = serializers.CharField(required=False, allow_blank=True, max_length=PLACE_MAX)
    participants = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=PARTICIPANTS_MAX
    )
    missing_reason = serializers.CharField(required=False, allow_blank=True, max_length=REASON_MAX)
    calendar_event = IdApiField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text=(
            "For an event: a reported event of the calendar that this obligation's activity or"
            " organisation held (as the report form offers). Its date, place, participants and"
            " address fill the fields left empty, and its photos are attached as copies."
        ),
    )
    files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text="Multipart only; checked by content and kept as the report's attachments.",
    )


class AcceptSerializer(serializers.Serializer):  # type: ignore[type-arg]
    comment = serializers.CharField(required=False, allow_blank=True, max_length=10_000)


class ReturnSerializer(serializers.Serializer):  # type: ignore[type-arg]
    comment = serializers.CharField(allow_blank=True, max_length=10_000)
    new_deadline = DateApiField(
        help_text="Today or later; a weekend or public holiday moves to the next working day."
    )


class DecisionCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(choices=ControlDecisionKind.choices)
    reason = serializers.CharField(allow_blank=True, max_length=10_000)
    new_deadline = DateApiField(
        required=False, allow_null=True, help_text="For an extension: the new date."
    )
    obligation = IdApiField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="For an extension of one obligation only; the whole activity when absent.",
    )
